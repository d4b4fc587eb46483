package dev.ztjvm.crypto;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.SharedData;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code packets.json}: echo_example armor images for suites 0, 1 and 3, and hello_example's cryptField. */
class PacketArmorVectorTest {

  private static final JsonNode P = SharedData.vectorJson("packets.json");
  private static final SymmetricKey KEY =
      SymmetricKey.of(hex(SharedData.vectorJson("key-agreement.json").get("shared_key_48").asString()));
  private static final JsonNode ECHO = P.get("echo_example");

  private final PacketArmor armor = new PacketArmor();

  @Test
  void suite0ImageAndDearmor() {
    checkSalsaSuite(PacketArmor.SUITE_POLY1305_NONE, ECHO.get("cipher0_poly1305_mac_only").asString());
  }

  @Test
  void suite1ImageAndDearmor() {
    checkSalsaSuite(PacketArmor.SUITE_POLY1305_SALSA2012, ECHO.get("cipher1_salsa2012_poly1305").asString());
  }

  private void checkSalsaSuite(int suite, String wireHex) {
    byte[] plain = hex(ECHO.get("plaintext_packet").asString());
    byte[] pkt = withSlack(plain);
    armor.armor(pkt, 3, plain.length, KEY, suite);
    assertThat(hex(Arrays.copyOfRange(pkt, 3, 3 + plain.length))).isEqualTo(wireHex);
    assertThat(PacketArmor.suiteOf(pkt, 3)).isEqualTo(suite);

    byte[] wire = hex(wireHex);
    // hops are excluded from the crypto: a relayed copy (hops 2) still verifies
    for (int hops : new int[] {0, 2}) {
      byte[] rx = wire.clone();
      rx[18] |= (byte) hops;
      assertThat(armor.dearmor(rx, 0, rx.length, KEY)).as("hops %d", hops).isTrue();
      assertThat(Arrays.copyOfRange(rx, 27, rx.length)).isEqualTo(Arrays.copyOfRange(plain, 27, plain.length));
      assertThat(Arrays.copyOfRange(rx, 0, 18)).isEqualTo(Arrays.copyOfRange(plain, 0, 18));
    }
    for (int i = 0; i < wire.length; i++) {
      if (i == 18) {
        continue; // flags: changing the suite is covered below; hop bits are deliberately not authenticated
      }
      byte[] rx = wire.clone();
      rx[i] ^= 0x01;
      assertThat(armor.dearmor(rx, 0, rx.length, KEY)).as("flipped byte %d", i).isFalse();
    }
    byte[] fragFlag = wire.clone();
    fragFlag[18] ^= 0x40;
    assertThat(armor.dearmor(fragFlag, 0, fragFlag.length, KEY)).isFalse();
    byte[] truncated = Arrays.copyOf(wire, wire.length - 1);
    assertThat(armor.dearmor(truncated, 0, truncated.length, KEY)).isFalse();
  }

  @Test
  void suite3ImageAndDearmor() {
    byte[] plain = hex(ECHO.get("plaintext_packet").asString());
    byte[] pkt = withSlack(plain);
    armor.armor(pkt, 3, plain.length, KEY, PacketArmor.SUITE_AES_GMAC_SIV);
    assertThat(hex(Arrays.copyOfRange(pkt, 3, 3 + plain.length))).isEqualTo(ECHO.get("cipher3_aes_gmac_siv")
        .asString());

    byte[] rx = hex(ECHO.get("cipher3_aes_gmac_siv").asString());
    assertThat(armor.dearmor(rx, 0, rx.length, KEY)).isTrue();
    assertThat(hex(rx)).isEqualTo(ECHO.get("cipher3_after_dearmor").asString());

    // a duplicate of the same packet (same recovered IV) is accepted again and never throws
    byte[] dup = hex(ECHO.get("cipher3_aes_gmac_siv").asString());
    dup[18] |= 3;
    assertThat(armor.dearmor(dup, 0, dup.length, KEY)).isTrue();

    byte[] wire = hex(ECHO.get("cipher3_aes_gmac_siv").asString());
    for (int i = 0; i < wire.length; i++) {
      if (i == 18) {
        continue;
      }
      byte[] bad = wire.clone();
      bad[i] ^= 0x01;
      assertThat(armor.dearmor(bad, 0, bad.length, KEY)).as("flipped byte %d", i).isFalse();
    }
  }

  @Test
  void unsupportedSuitesAreNotAuthentic() {
    byte[] wire = hex(ECHO.get("cipher1_salsa2012_poly1305").asString());
    for (int suite : new int[] {2, 4, 5, 6, 7}) {
      byte[] rx = wire.clone();
      rx[18] = (byte) (suite << 3);
      assertThat(armor.dearmor(rx, 0, rx.length, KEY)).as("suite %d", suite).isFalse();
    }
    assertThat(armor.dearmor(new byte[27], 0, 27, KEY)).isFalse();
  }

  @Test
  void helloCryptFieldThenSuite0() {
    JsonNode h = P.get("hello_example");
    byte[] plain = hex(h.get("plaintext_packet").asString());
    int start = h.get("encrypted_section_starts_at_byte").asInt();
    byte[] pkt = withSlack(plain);
    armor.cryptField(pkt, 3, start, plain.length, KEY);
    assertThat(hex(Arrays.copyOfRange(pkt, 3, 3 + plain.length))).isEqualTo(h.get("after_cryptField").asString());
    armor.armor(pkt, 3, plain.length, KEY, PacketArmor.SUITE_POLY1305_NONE);
    assertThat(hex(Arrays.copyOfRange(pkt, 3, 3 + plain.length))).isEqualTo(h.get("wire_cipher0").asString());

    byte[] rx = hex(h.get("wire_cipher0").asString());
    assertThat(armor.dearmor(rx, 0, rx.length, KEY)).isTrue();
    armor.cryptField(rx, 0, start, rx.length, KEY);
    assertThat(Arrays.copyOfRange(rx, 27, rx.length)).isEqualTo(Arrays.copyOfRange(plain, 27, plain.length));
  }

  @Test
  void poly1305IsReKeyedWithoutAllocatingAKeyParameter() {
    assertThat(armor.reusesPoly1305Key()).isTrue();
  }

  /** Copies into a larger buffer at offset 3, so offset handling is exercised. */
  private static byte[] withSlack(byte[] plain) {
    byte[] b = new byte[plain.length + 10];
    Arrays.fill(b, (byte) 0x5a);
    System.arraycopy(plain, 0, b, 3, plain.length);
    return b;
  }
}
