package dev.ztjvm.netstack.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class InternetChecksumTest {

  /** The RFC 1071 definition, one 16-bit word at a time. */
  private static int reference(byte[] b, int off, int len) {
    long sum = 0;
    for (int i = 0; i < len; i += 2) {
      int hi = b[off + i] & 0xff;
      int lo = i + 1 < len ? b[off + i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  @Test
  void wideSummationMatchesTheWordByWordDefinition() {
    long seed = 1071;
    Random r = new Random(seed);
    for (int t = 0; t < 5_000; t++) {
      int len = r.nextInt(3000);
      int off = r.nextInt(9);
      byte[] b = new byte[off + len + r.nextInt(9)];
      if (r.nextInt(4) == 0) {
        java.util.Arrays.fill(b, (byte) 0xff); // carry-heavy input
      } else {
        r.nextBytes(b);
      }
      assertThat(InternetChecksum.of(b, off, len)).as("seed %d case %d len %d off %d", seed, t, len, off)
          .isEqualTo(reference(b, off, len));
    }
  }

  @Test
  void rfc1071Example() {
    byte[] b = {0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
    // RFC 1071 section 3: the sum is ddf2, so the checksum is its complement 220d.
    assertThat(InternetChecksum.of(b, 0, b.length)).isEqualTo(0x220d);
  }
}
