package dev.ztjvm.crypto;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.SharedData;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every entry of {@code zt-vectors/crypto-primitives.json} (ZeroTier's self-test known answers). */
class CryptoPrimitivesVectorTest {

  private static final JsonNode V = SharedData.vectorJson("crypto-primitives.json");

  @Test
  void salsa20KeystreamMatchesEveryVector() {
    int n = 0;
    for (JsonNode v : V.get("salsa20")) {
      Salsa20 s = new Salsa20(v.get("rounds").asInt());
      s.init(hex(v.get("key").asString()), 0, hex(v.get("iv").asString()), 0);
      byte[] out = new byte[64];
      s.crypt(new byte[64], 0, out, 0, 64);
      assertThat(hex(out)).as("Salsa20/%d", v.get("rounds").asInt()).isEqualTo(v.get("keystream").asString());

      Salsa20 s2 = new Salsa20(v.get("rounds").asInt());
      s2.init(hex(v.get("key").asString()), 0, hex(v.get("iv").asString()), 0);
      byte[] ks = new byte[64];
      s2.keystream(ks, 0, 64);
      assertThat(hex(ks)).isEqualTo(v.get("keystream").asString());
      n++;
    }
    assertThat(n).isEqualTo(2);
  }

  @Test
  void poly1305TagMatchesEveryVector() {
    int n = 0;
    for (JsonNode v : V.get("poly1305")) {
      Poly1305 p = new Poly1305();
      p.init(new KeyParameter(hex(v.get("key").asString())));
      byte[] in = hex(v.get("input").asString());
      p.update(in, 0, in.length);
      byte[] tag = new byte[16];
      p.doFinal(tag, 0);
      assertThat(hex(tag)).isEqualTo(v.get("tag").asString());
      n++;
    }
    assertThat(n).isEqualTo(2);
  }

  @Test
  void sha512MatchesEveryVector() {
    int n = 0;
    for (JsonNode v : V.get("sha512")) {
      byte[] in = v.get("input_ascii").asString().getBytes(StandardCharsets.US_ASCII);
      assertThat(hex(Sha.sha512(in))).isEqualTo(v.get("sha512").asString());
      byte[] out = new byte[70];
      Sha.sha512(in, 0, in.length, out, 3);
      assertThat(hex(java.util.Arrays.copyOfRange(out, 3, 67))).isEqualTo(v.get("sha512").asString());
      n++;
    }
    assertThat(n).isEqualTo(1);
  }
}
