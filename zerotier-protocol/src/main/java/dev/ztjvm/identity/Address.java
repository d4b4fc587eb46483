package dev.ztjvm.identity;

/**
 * 40-bit ZeroTier node addresses, handled as {@code long} values in {@code [0, 2^40)}: 5 bytes big-endian on the
 * wire, 10 lowercase hex digits in text.
 */
public final class Address {

  /** Wire length in bytes. */
  public static final int LENGTH = 5;
  /** Mask of the 40 address bits. */
  public static final long MASK = 0xff_ffff_ffffL;

  private Address() {}

  /** Parses exactly 10 hex digits. */
  public static long parse(String hex10) {
    if (hex10.length() != 10) {
      throw new IllegalArgumentException("ZeroTier address must be 10 hex digits, got \"" + hex10 + "\"");
    }
    long a = 0;
    for (int i = 0; i < 10; i++) {
      int d = Character.digit(hex10.charAt(i), 16);
      if (d < 0) {
        throw new IllegalArgumentException("ZeroTier address is not hex: \"" + hex10 + "\"");
      }
      a = (a << 4) | d;
    }
    return a;
  }

  /** 10 lowercase hex digits. */
  public static String toString(long address) {
    String s = Long.toHexString(address & MASK);
    return "0000000000".substring(s.length()) + s;
  }

  /** Reserved: zero, or first byte 0xff (the fragment indicator). Such addresses are never valid identities. */
  public static boolean isReserved(long address) {
    return (address & MASK) == 0 || ((address >>> 32) & 0xff) == 0xff;
  }

  /** Reads 5 big-endian bytes. */
  public static long read(byte[] b, int off) {
    return ((b[off] & 0xffL) << 32)
        | ((b[off + 1] & 0xffL) << 24)
        | ((b[off + 2] & 0xffL) << 16)
        | ((b[off + 3] & 0xffL) << 8)
        | (b[off + 4] & 0xffL);
  }

  /** Writes 5 big-endian bytes. */
  public static void write(long address, byte[] b, int off) {
    b[off] = (byte) (address >>> 32);
    b[off + 1] = (byte) (address >>> 24);
    b[off + 2] = (byte) (address >>> 16);
    b[off + 3] = (byte) (address >>> 8);
    b[off + 4] = (byte) address;
  }
}
