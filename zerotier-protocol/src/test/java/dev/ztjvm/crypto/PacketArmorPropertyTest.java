package dev.ztjvm.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Seeded random armor/dearmor round trips and tampering for suites 0, 1 and 3, plus garbage-input fuzzing. */
class PacketArmorPropertyTest {

  private static final long SEED = 0x5eed_2026_0002L;
  private static final int[] SUITES = {0, 1, 3};

  @Test
  void armorDearmorRoundTripAndTamperingIsDetected() {
    Random rnd = new Random(SEED);
    PacketArmor sender = new PacketArmor();
    PacketArmor receiver = new PacketArmor();
    SymmetricKey[] keys = new SymmetricKey[4];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = SymmetricKey.of(CryptoPropertyTest.bytes(rnd, 48));
    }
    for (int c = 0; c < 3_000; c++) {
      int suite = SUITES[rnd.nextInt(3)];
      SymmetricKey key = keys[rnd.nextInt(keys.length)];
      int len = 28 + rnd.nextInt(rnd.nextInt(8) == 0 ? 10_000 : 1_500);
      int off = rnd.nextInt(20);
      byte[] buf = CryptoPropertyTest.bytes(rnd, off + len + rnd.nextInt(20));
      boolean fragmented = rnd.nextBoolean();
      buf[off + 18] = (byte) (fragmented ? 0x40 : 0);
      byte[] plain = buf.clone();
      String why = "seed " + SEED + " case " + c + " suite " + suite + " len " + len;

      sender.armor(buf, off, len, key, suite);
      assertThat(PacketArmor.suiteOf(buf, off)).as(why).isEqualTo(suite);
      assertThat(buf[off + 18] & 0x40).as(why).isEqualTo(fragmented ? 0x40 : 0);
      assertThat(buf[off + 18] & 0x80).as(why).isEqualTo(suite == 1 ? 0x80 : 0);
      if (suite != 0 && len > 40) {
        assertThat(Arrays.copyOfRange(buf, off + 28, off + len)).as(why)
            .isNotEqualTo(Arrays.copyOfRange(plain, off + 28, off + len));
      }
      // bytes outside the packet are untouched
      assertThat(Arrays.copyOfRange(buf, 0, off)).as(why).isEqualTo(Arrays.copyOfRange(plain, 0, off));
      assertThat(Arrays.copyOfRange(buf, off + len, buf.length)).as(why)
          .isEqualTo(Arrays.copyOfRange(plain, off + len, plain.length));
      byte[] wire = buf.clone();

      byte[] rx = wire.clone();
      rx[off + 18] |= (byte) rnd.nextInt(8); // hops are not authenticated
      assertThat(receiver.dearmor(rx, off, len, key)).as(why).isTrue();
      assertThat(Arrays.copyOfRange(rx, off + 27, off + len)).as(why)
          .isEqualTo(Arrays.copyOfRange(plain, off + 27, off + len));
      if (suite != 3) {
        assertThat(Arrays.copyOfRange(rx, off, off + 18)).as(why).isEqualTo(Arrays.copyOfRange(plain, off, off + 18));
      } else {
        assertThat(Arrays.copyOfRange(rx, off + 8, off + 18)).as(why)
            .isEqualTo(Arrays.copyOfRange(plain, off + 8, off + 18));
      }

      // one flipped bit anywhere except the hop bits makes it not authentic
      byte[] bad = wire.clone();
      int pos;
      int bit;
      do {
        pos = rnd.nextInt(len);
        bit = rnd.nextInt(8);
      } while (pos == 18 && bit < 3);
      bad[off + pos] ^= (byte) (1 << bit);
      assertThat(receiver.dearmor(bad, off, len, key)).as(why + " flipped byte " + pos + " bit " + bit).isFalse();

      // another key is not authentic; a different length is not authentic
      SymmetricKey other = keys[(Arrays.asList(keys).indexOf(key) + 1) % keys.length];
      assertThat(receiver.dearmor(wire.clone(), off, len, other)).as(why).isFalse();
      if (len > 28) {
        assertThat(receiver.dearmor(wire.clone(), off, len - 1, key)).as(why).isFalse();
      }
    }
  }

  @Test
  void randomGarbageNeverThrowsShort() {
    fuzzDearmor(10_000, SEED + 7);
  }

  @Tag("fuzz")
  @Test
  void randomGarbageNeverThrowsLong() {
    fuzzDearmor(1_000_000, SEED + 8);
  }

  private static void fuzzDearmor(int cases, long seed) {
    Random rnd = new Random(seed);
    PacketArmor receiver = new PacketArmor();
    SymmetricKey key = SymmetricKey.of(CryptoPropertyTest.bytes(rnd, 48));
    int accepted = 0;
    for (int c = 0; c < cases; c++) {
      int len = rnd.nextInt(200);
      byte[] b = CryptoPropertyTest.bytes(rnd, len);
      if (len > 18 && rnd.nextBoolean()) {
        b[18] = (byte) (SUITES[rnd.nextInt(3)] << 3); // mostly supported suites, so the MAC check is reached
      }
      if (receiver.dearmor(b, 0, len, key)) {
        accepted++;
      }
    }
    // a 64-bit MAC: random garbage must essentially never pass
    assertThat(accepted).as("seed %d", seed).isZero();
  }
}
