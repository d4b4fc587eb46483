package dev.ztjvm.crypto;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every value of {@code key-agreement.json}: shared key both ways, KBKDF outputs, AES keys, signature. */
class KeyAgreementVectorTest {

  private static final JsonNode V = SharedData.vectorJson("key-agreement.json");
  private static final Identity A = Identity.parse(V.get("identity_A").asString());
  private static final Identity B = Identity.parse(V.get("identity_B").asString());

  @Test
  void sharedKeyIsTheSameFromBothSides() {
    assertThat(hex(A.agree(B).bytes())).isEqualTo(V.get("shared_key_48").asString());
    assertThat(hex(B.agree(A).bytes())).isEqualTo(V.get("shared_key_48_from_B_side").asString());
    assertThat(A.agree(B)).isEqualTo(B.agree(A));
    assertThat(hex(Arrays.copyOf(A.agree(B).bytes(), 32))).isEqualTo(V.get("salsa20_key_32").asString());
  }

  @Test
  void kbkdfOutputsMatch() {
    byte[] k = hex(V.get("shared_key_48").asString());
    byte[] k0 = SymmetricKey.kbkdf(k, '0');
    byte[] k1 = SymmetricKey.kbkdf(k, '1');
    assertThat(hex(k0)).isEqualTo(V.get("kbkdf_label_0_output_48").asString());
    assertThat(hex(k1)).isEqualTo(V.get("kbkdf_label_1_output_48").asString());
    assertThat(hex(Arrays.copyOf(k0, 32))).isEqualTo(V.get("aes_gmac_siv_K0_aes256_key").asString());
    assertThat(hex(Arrays.copyOf(k1, 32))).isEqualTo(V.get("aes_gmac_siv_K1_aes256_key").asString());
  }

  @Test
  void signatureIsReproducedAndVerifies() {
    JsonNode s = V.get("signature");
    assertThat(s.get("signer").asString()).isEqualTo("A");
    byte[] msg = s.get("message_ascii").asString().getBytes(StandardCharsets.US_ASCII);
    byte[] sig = hex(s.get("signature_96").asString());
    assertThat(A.sign(msg)).isEqualTo(sig);
    assertThat(A.publicOnly().verify(msg, sig)).isTrue();
    assertThat(B.verify(msg, sig)).isFalse();
    byte[] other = msg.clone();
    other[0] ^= 0x20;
    assertThat(A.verify(other, sig)).isFalse();
  }
}
