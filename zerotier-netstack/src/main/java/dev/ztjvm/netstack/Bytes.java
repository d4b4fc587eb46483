package dev.ztjvm.netstack;

/**
 * Big-endian (network order) integer access to byte arrays: the order of the stack's headers, and the one byte helper
 * of the whole project (the ZeroTier protocol's VL1/VL2 fields use it too, so it is public here at the bottom layer).
 */
public final class Bytes {

  private Bytes() {}

  public static int u8(byte[] b, int off) {
    return b[off] & 0xff;
  }

  public static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public static long u32(byte[] b, int off) {
    return ((long) (b[off] & 0xff) << 24) | ((b[off + 1] & 0xff) << 16) | ((b[off + 2] & 0xff) << 8)
        | (b[off + 3] & 0xff);
  }

  /** The 32 bits at {@code off} as a (possibly negative) int: IPv4 addresses and TCP sequence numbers. */
  public static int i32(byte[] b, int off) {
    return (int) u32(b, off);
  }

  public static long u40(byte[] b, int off) {
    return ((long) (b[off] & 0xff) << 32) | u32(b, off + 1);
  }

  public static long u48(byte[] b, int off) {
    return ((long) u16(b, off) << 32) | u32(b, off + 2);
  }

  public static long u64(byte[] b, int off) {
    return (u32(b, off) << 32) | u32(b, off + 4);
  }

  public static void put16(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 8);
    b[off + 1] = (byte) v;
  }

  public static void put32(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  public static void put40(byte[] b, int off, long v) {
    b[off] = (byte) (v >>> 32);
    put32(b, off + 1, v);
  }

  public static void put48(byte[] b, int off, long v) {
    put16(b, off, (int) (v >>> 32));
    put32(b, off + 2, v);
  }

  public static void put64(byte[] b, int off, long v) {
    put32(b, off, v >>> 32);
    put32(b, off + 4, v);
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
}
