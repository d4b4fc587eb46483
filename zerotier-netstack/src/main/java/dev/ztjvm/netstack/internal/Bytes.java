package dev.ztjvm.netstack.internal;

/**
 * Big-endian (network order) reads and writes on byte arrays. The integer access is {@link dev.ztjvm.netstack.Bytes}'s
 * (one implementation for the whole SDK); this class names it the way the stack's headers use it (signed 32-bit
 * sequence numbers, 48-bit MACs) and adds what only the stack needs.
 */
public final class Bytes {

  private Bytes() {}

  public static int u8(byte[] b, int off) {
    return dev.ztjvm.netstack.Bytes.u8(b, off);
  }

  public static int u16(byte[] b, int off) {
    return dev.ztjvm.netstack.Bytes.u16(b, off);
  }

  /** The 32 bits at {@code off} as a (possibly negative) int, as TCP sequence arithmetic wants them. */
  public static int i32(byte[] b, int off) {
    return (int) dev.ztjvm.netstack.Bytes.u32(b, off);
  }

  public static long u48(byte[] b, int off) {
    return dev.ztjvm.netstack.Bytes.u48(b, off);
  }

  public static long i64(byte[] b, int off) {
    return dev.ztjvm.netstack.Bytes.u64(b, off);
  }

  public static void put16(byte[] b, int off, int v) {
    dev.ztjvm.netstack.Bytes.put16(b, off, v);
  }

  public static void put32(byte[] b, int off, int v) {
    dev.ztjvm.netstack.Bytes.put32(b, off, v);
  }

  public static void put48(byte[] b, int off, long v) {
    dev.ztjvm.netstack.Bytes.put48(b, off, v);
  }

  public static void put64(byte[] b, int off, long v) {
    dev.ztjvm.netstack.Bytes.put64(b, off, v);
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
