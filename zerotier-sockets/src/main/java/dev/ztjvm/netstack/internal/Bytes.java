package dev.ztjvm.netstack.internal;

/** Big-endian (network order) reads and writes on byte arrays. */
public final class Bytes {

  private Bytes() {}

  public static int u8(byte[] b, int off) {
    return b[off] & 0xff;
  }

  public static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public static int i32(byte[] b, int off) {
    return ((b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8) | (b[off + 3] & 0xff);
  }

  public static long u48(byte[] b, int off) {
    return ((long) u16(b, off) << 32) | (i32(b, off + 2) & 0xffffffffL);
  }

  public static long i64(byte[] b, int off) {
    return ((long) i32(b, off) << 32) | (i32(b, off + 4) & 0xffffffffL);
  }

  public static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  public static void put32(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  public static void put48(byte[] b, int off, long v) {
    put16(b, off, (int) (v >>> 32));
    put32(b, off + 2, (int) v);
  }

  public static void put64(byte[] b, int off, long v) {
    put32(b, off, (int) (v >>> 32));
    put32(b, off + 4, (int) v);
  }

  /** True if {@code a[aOff, aOff+len)} equals {@code b[bOff, bOff+len)}. */
  public static boolean equal(byte[] a, int aOff, byte[] b, int bOff, int len) {
    for (int i = 0; i < len; i++) {
      if (a[aOff + i] != b[bOff + i]) {
        return false;
      }
    }
    return true;
  }

  /** Big-endian 4-byte array of an IPv4 address held as an int. */
  public static byte[] ipv4(int address) {
    byte[] b = new byte[4];
    put32(b, 0, address);
    return b;
  }
}
