package dev.ztjvm.crypto;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.SharedData;
import java.security.MessageDigest;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every entry of {@code aes-gmac-siv.json}: the small full vectors and the 85-entry published-style series. */
class AesGmacSivVectorTest {

  private static final JsonNode V = SharedData.vectorJson("aes-gmac-siv.json");
  private static final AesGmacSiv.Keys KEYS =
      AesGmacSiv.Keys.of(hex(V.get("k0_hex").asString()), hex(V.get("k1_hex").asString()));

  @Test
  void fullVectors() {
    byte[] iv = hex(V.get("full_vectors").get("iv_hex").asString());
    AesGmacSiv siv = new AesGmacSiv();
    int n = 0;
    for (JsonNode e : V.get("full_vectors").get("entries")) {
      int len = e.get("len").asInt();
      byte[] aad = counting(len);
      byte[] data = counting(len);
      byte[] tag = new byte[16];
      siv.encrypt(KEYS, iv, 0, aad, 0, len, data, 0, len, tag, 0);
      assertThat(hex(data)).as("ct len %d", len).isEqualTo(e.get("ct").asString());
      assertThat(hex(tag)).as("tag len %d", len).isEqualTo(e.get("tag").asString());

      assertThat(siv.decrypt(KEYS, tag, 0, aad, 0, len, data, 0, len)).isTrue();
      assertThat(data).isEqualTo(counting(len));
      n++;
    }
    assertThat(n).isEqualTo(V.get("full_vectors").get("entries").size()).isGreaterThan(5);
  }

  @Test
  void publishedStyleSeries() throws Exception {
    AesGmacSiv siv = new AesGmacSiv();
    int n = 0;
    for (JsonNode e : V.get("published_style_series").get("entries")) {
      int len = e.get("len").asInt();
      byte[] iv = hex(e.get("iv_hex").asString());
      byte[] aad = counting(len);
      byte[] data = counting(len);
      byte[] tag = new byte[16];
      siv.encrypt(KEYS, iv, 0, aad, 0, len, data, 0, len, tag, 0);
      assertThat(hex(tag)).as("tag len %d", len).isEqualTo(e.get("tag").asString());
      assertThat(hex(MessageDigest.getInstance("SHA-384").digest(data)))
          .as("ciphertext hash len %d", len).isEqualTo(e.get("ciphertext_sha384").asString());
      assertThat(siv.decrypt(KEYS, tag, 0, aad, 0, len, data, 0, len)).isTrue();
      assertThat(data).isEqualTo(counting(len));
      n++;
    }
    assertThat(n).isEqualTo(85);
  }

  @Test
  void tamperedTagOrDataOrAadIsNotAuthenticAndRepeatsNeverThrow() {
    AesGmacSiv siv = new AesGmacSiv();
    byte[] iv = hex("a0a1a2a3a4a5a6a7");
    int len = 100;
    byte[] aad = counting(len);
    byte[] data = counting(len);
    byte[] tag = new byte[16];
    siv.encrypt(KEYS, iv, 0, aad, 0, len, data, 0, len, tag, 0);
    byte[] ct = data.clone();
    // the same key and IV twice in a row: the JDK's "Cannot reuse iv" must not escape
    byte[] data2 = counting(len);
    byte[] tag2 = new byte[16];
    siv.encrypt(KEYS, iv, 0, aad, 0, len, data2, 0, len, tag2, 0);
    assertThat(tag2).isEqualTo(tag);
    assertThat(data2).isEqualTo(ct);
    for (int rep = 0; rep < 3; rep++) { // replay: same recovered IV each time
      byte[] d = ct.clone();
      assertThat(siv.decrypt(KEYS, tag, 0, aad, 0, len, d, 0, len)).isTrue();
    }
    for (int bit = 0; bit < 128; bit += 7) {
      byte[] t = tag.clone();
      t[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThat(siv.decrypt(KEYS, t, 0, aad, 0, len, ct.clone(), 0, len)).as("tag bit %d", bit).isFalse();
    }
    byte[] d = ct.clone();
    d[len - 1] ^= 1;
    assertThat(siv.decrypt(KEYS, tag, 0, aad, 0, len, d, 0, len)).isFalse();
    byte[] a = aad.clone();
    a[0] ^= 1;
    assertThat(siv.decrypt(KEYS, tag, 0, a, 0, len, ct.clone(), 0, len)).isFalse();
  }

  /** The trap the fallback exists for: the JDK itself refuses a second GCM encryption init with the same key/IV. */
  @Test
  void jdkGcmRefusesIvReuseWhichIsWhyTheFallbackExists() throws Exception {
    javax.crypto.Cipher gcm = javax.crypto.Cipher.getInstance("AES/GCM/NoPadding");
    javax.crypto.spec.SecretKeySpec k = new javax.crypto.spec.SecretKeySpec(new byte[32], "AES");
    byte[] iv = new byte[12];
    gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, k, new javax.crypto.spec.GCMParameterSpec(128, iv));
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> gcm.init(javax.crypto.Cipher.ENCRYPT_MODE, k,
        new javax.crypto.spec.GCMParameterSpec(128, iv)))
        .isInstanceOf(java.security.InvalidAlgorithmParameterException.class);
  }

  static byte[] counting(int len) {
    byte[] b = new byte[len];
    for (int i = 0; i < len; i++) {
      b[i] = (byte) i;
    }
    return b;
  }
}
