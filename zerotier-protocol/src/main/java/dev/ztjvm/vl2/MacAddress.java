package dev.ztjvm.vl2;

/**
 * 48-bit Ethernet MAC addresses held in the low 48 bits of a {@code long}, and the ZeroTier node-MAC derivation of
 * spec 8.1.
 */
public final class MacAddress {
  /** ff:ff:ff:ff:ff:ff. */
  public static final long BROADCAST = 0xffffffffffffL;

  private MacAddress() {}

  /** First octet of every node MAC on this network: locally administered unicast, never 0x52 (KVM/libvirt). */
  public static int firstOctet(long nwid) {
    int f = (int) ((nwid & 0xfe) | 0x02);
    return f == 0x52 ? 0x32 : f;
  }

  /** The MAC of node {@code address} on network {@code nwid} (spec 8.1). */
  public static long forNode(long nwid, long address) {
    long m = (long) firstOctet(nwid) << 40;
    m |= (address ^ xorMask(nwid)) & 0xffffffffffL;
    return m;
  }

  /** True if this MAC is a node MAC derived for this network (first octet matches). */
  public static boolean isNodeMac(long nwid, long mac) {
    return (int) ((mac >>> 40) & 0xff) == firstOctet(nwid);
  }

  /** The ZeroTier address behind a node MAC, or -1 if the MAC is not derived for this network. */
  public static long nodeAddress(long nwid, long mac) {
    if (!isNodeMac(nwid, mac)) {
      return -1;
    }
    return (mac ^ xorMask(nwid)) & 0xffffffffffL;
  }

  /**
   * Address byte k (k = 0 most significant) is XORed with network-ID byte k + 1 counted from the least significant
   * end, i.e. with network-ID bytes 1..5 in reversed order.
   */
  private static long xorMask(long nwid) {
    long x = 0;
    for (int k = 1; k <= 5; k++) {
      x = (x << 8) | ((nwid >>> (8 * k)) & 0xff);
    }
    return x;
  }

  /** Group (multicast) bit of the first octet. */
  public static boolean isMulticast(long mac) {
    return ((mac >>> 40) & 0x01) != 0;
  }

  public static boolean isBroadcast(long mac) {
    return (mac & BROADCAST) == BROADCAST;
  }

  /** Reads 6 bytes. */
  public static long read(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 6; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }

  /** Writes 6 bytes. */
  public static void write(long mac, byte[] b, int off) {
    for (int i = 5; i >= 0; i--) {
      b[off + i] = (byte) mac;
      mac >>>= 8;
    }
  }

  /** {@code aa:bb:cc:dd:ee:ff}, lowercase. */
  public static String toString(long mac) {
    StringBuilder sb = new StringBuilder(17);
    for (int i = 5; i >= 0; i--) {
      int v = (int) ((mac >>> (8 * i)) & 0xff);
      sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 15, 16));
      if (i > 0) {
        sb.append(':');
      }
    }
    return sb.toString();
  }

  /**
   * Parses {@code aa:bb:cc:dd:ee:ff} (or with '-').
   *
   * @throws IllegalArgumentException if malformed
   */
  public static long parse(String s) {
    String[] parts = s.split("[:-]");
    if (parts.length != 6) {
      throw new IllegalArgumentException("MAC must have 6 octets: '" + s + "'");
    }
    long v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 2) {
        throw new IllegalArgumentException("bad MAC octet in '" + s + "'");
      }
      try {
        v = (v << 8) | Integer.parseInt(p, 16);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("bad MAC octet in '" + s + "'");
      }
    }
    return v;
  }
}
