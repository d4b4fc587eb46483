package dev.ztjvm.vl2;

/** Big-endian reads and writes with bounds checks that report {@link Vl2FormatException}. */
final class Bytes {
  private Bytes() {}

  static void need(byte[] b, int off, int n, int end, String what) {
    if (off < 0 || n < 0 || off + n > end || end > b.length) {
      throw new Vl2FormatException(what + ": truncated (need " + n + " bytes at " + off + ", have " + (end - off) + ")");
    }
  }

  static int u8(byte[] b, int off) {
    return b[off] & 0xff;
  }

  static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  static int i32(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  static long u40(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 5; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static long u64(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 8; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  static void put32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  static void put40(byte[] b, int off, long v) {
    for (int i = 4; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }

  static void put64(byte[] b, int off, long v) {
    for (int i = 7; i >= 0; i--) {
      b[off + i] = (byte) v;
      v >>>= 8;
    }
  }
}
