package dev.ztjvm.netstack.ethernet;

import java.util.Locale;

/**
 * A 48-bit Ethernet MAC address held in the low 48 bits of a long (first octet in bits 47..40). The one MAC type of
 * the project: the static methods work on the raw {@code long} for hot paths that do not allocate (the ZeroTier
 * layer's frames, rules and certificates use them; its node-MAC derivation is {@code dev.ztjvm.vl2.NodeMac}).
 *
 * @param value the address bits
 */
public record MacAddress(long value) {

  /** ff:ff:ff:ff:ff:ff. */
  public static final MacAddress BROADCAST = new MacAddress(0xffff_ffff_ffffL);

  public MacAddress {
    if ((value & ~0xffff_ffff_ffffL) != 0) {
      throw new IllegalArgumentException("MAC address has more than 48 bits: " + Long.toHexString(value));
    }
  }

  /** Parses {@code aa:bb:cc:dd:ee:ff} (or with '-' separators). */
  public static MacAddress parse(String text) {
    String[] parts = text.split("[:-]");
    if (parts.length != 6) {
      throw new IllegalArgumentException("MAC address needs 6 octets: " + text);
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 2) {
        throw new IllegalArgumentException("bad MAC octet '" + p + "' in " + text);
      }
      try {
        v = (v << 8) | Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad MAC octet '" + p + "' in " + text, e);
      }
    }
    return new MacAddress(v);
  }

  /** True for group (multicast and broadcast) addresses: the I/G bit of the first octet. */
  public boolean isMulticast() {
    return isMulticast(value);
  }

  /** True for group addresses given as raw 48-bit value. */
  public static boolean isMulticast(long mac) {
    return ((mac >>> 40) & 1) != 0;
  }

  /** True for ff:ff:ff:ff:ff:ff given as raw 48-bit value (bits above 48 are ignored). */
  public static boolean isBroadcast(long mac) {
    return (mac & 0xffff_ffff_ffffL) == 0xffff_ffff_ffffL;
  }

  /** Reads the 6 octets at {@code off} as a raw 48-bit value. */
  public static long read(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Writes the low 48 bits of {@code mac} as 6 octets at {@code off}. */
  public static void write(long mac, byte[] b, int off) {
    for (int i = 5; i >= 0; i--) {
      b[off + i] = (byte) mac;
      mac >>>= 8;
    }
  }

  /** {@code aa:bb:cc:dd:ee:ff} (lowercase) of the low 48 bits of a raw value. */
  public static String toString(long mac) {
    return new MacAddress(mac & 0xffff_ffff_ffffL).toString();
  }

  /** The six octets. */
  public byte[] toBytes() {
    byte[] b = new byte[6];
    for (int i = 0; i < 6; i++) {
      b[i] = (byte) (value >>> (40 - 8 * i));
    }
    return b;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 0; i < 6; i++) {
      if (i > 0) {
        sb.append(':');
      }
      sb.append(String.format(Locale.ROOT, "%02x", (value >>> (40 - 8 * i)) & 0xff));
    }
    return sb.toString();
  }
}
