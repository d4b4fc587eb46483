package dev.ztjvm.netstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The one big-endian helper of the project (the stack and the ZeroTier protocol both use it). */
class BytesTest {

  @Test
  void writesEveryWidthBigEndian() {
    byte[] b = new byte[8];
    Bytes.put16(b, 0, 0x1234);
    assertThat(HexFormat.of().formatHex(b, 0, 2)).isEqualTo("1234");
    Bytes.put32(b, 0, 0x89abcdefL);
    assertThat(HexFormat.of().formatHex(b, 0, 4)).isEqualTo("89abcdef");
    Bytes.put40(b, 0, 0x0102030405L);
    assertThat(HexFormat.of().formatHex(b, 0, 5)).isEqualTo("0102030405");
    Bytes.put48(b, 0, 0xa1a2a3a4a5a6L);
    assertThat(HexFormat.of().formatHex(b, 0, 6)).isEqualTo("a1a2a3a4a5a6");
    Bytes.put64(b, 0, 0xf0e0d0c0b0a09080L);
    assertThat(HexFormat.of().formatHex(b)).isEqualTo("f0e0d0c0b0a09080");
  }

  @Test
  void readsWhatItWritesSignedAndUnsigned() {
    long seed = 0x5eedL;
    Random rnd = new Random(seed);
    byte[] b = new byte[12];
    for (int i = 0; i < 2_000; i++) {
      long v = rnd.nextLong();
      int off = rnd.nextInt(4);
      String why = "seed " + seed + " case " + i;
      Bytes.put16(b, off, (int) v);
      assertThat(Bytes.u16(b, off)).as(why).isEqualTo((int) v & 0xffff);
      Bytes.put32(b, off, (int) v);
      assertThat(Bytes.u32(b, off)).as(why).isEqualTo(v & 0xffffffffL);
      assertThat(Bytes.i32(b, off)).as(why).isEqualTo((int) v);
      Bytes.put40(b, off, v);
      assertThat(Bytes.u40(b, off)).as(why).isEqualTo(v & 0xffffffffffL);
      Bytes.put48(b, off, v);
      assertThat(Bytes.u48(b, off)).as(why).isEqualTo(v & 0xffffffffffffL);
      Bytes.put64(b, off, v);
      assertThat(Bytes.u64(b, off)).as(why).isEqualTo(v);
      assertThat(Bytes.u8(b, off)).as(why).isEqualTo((int) (v >>> 56));
    }
  }

  @Test
  void comparesRanges() {
    byte[] a = {1, 2, 3, 4, 5};
    byte[] b = {9, 2, 3, 4, 9};
    assertThat(Bytes.equal(a, 1, b, 1, 3)).isTrue();
    assertThat(Bytes.equal(a, 0, b, 0, 2)).isFalse();
    assertThat(Bytes.equal(a, 1, b, 1, 4)).isFalse();
    assertThat(Bytes.equal(a, 4, b, 0, 0)).isTrue();
  }
}
