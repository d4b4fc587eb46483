package dev.ztjvm.netstack.ipv6;

import dev.ztjvm.netstack.Bytes;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IPv6 header layout (RFC 8200), extension-header numbers and address helpers, including the two addressing
 * forms ZeroTier derives from network id and node address (RFC 4193 and 6PLANE).
 */
public final class Ipv6 {

  private Ipv6() {}

  public static final int HEADER_LENGTH = 40;
  public static final int FRAGMENT_HEADER_LENGTH = 8;

  public static final int NEXT_HOP_BY_HOP = 0;
  public static final int NEXT_ROUTING = 43;
  public static final int NEXT_FRAGMENT = 44;
  public static final int NEXT_ESP = 50;
  public static final int NEXT_AH = 51;
  public static final int NEXT_ICMPV6 = 58;
  public static final int NEXT_NONE = 59;
  public static final int NEXT_DESTINATION_OPTIONS = 60;

  /** ff02::1, all nodes on the link. */
  public static final byte[] ALL_NODES = {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  /** ::, the unspecified address. */
  public static final byte[] UNSPECIFIED = new byte[16];

  public static int version(byte[] b, int off) {
    return (b[off] & 0xff) >>> 4;
  }

  public static int payloadLength(byte[] b, int off) {
    return Bytes.u16(b, off + 4);
  }

  public static int nextHeader(byte[] b, int off) {
    return b[off + 6] & 0xff;
  }

  public static int hopLimit(byte[] b, int off) {
    return b[off + 7] & 0xff;
  }

  /** Writes the fixed header (traffic class and flow label 0). */
  public static void writeHeader(
      byte[] b, int off, int payloadLength, int nextHeader, int hopLimit, byte[] src, byte[] dst) {
    b[off] = 0x60;
    b[off + 1] = 0;
    b[off + 2] = 0;
    b[off + 3] = 0;
    Bytes.put16(b, off + 4, payloadLength);
    b[off + 6] = (byte) nextHeader;
    b[off + 7] = (byte) hopLimit;
    System.arraycopy(src, 0, b, off + 8, 16);
    System.arraycopy(dst, 0, b, off + 24, 16);
  }

  public static boolean isMulticast(byte[] a, int off) {
    return a[off] == (byte) 0xff;
  }

  public static boolean isUnspecified(byte[] a, int off) {
    for (int i = 0; i < 16; i++) {
      if (a[off + i] != 0) {
        return false;
      }
    }
    return true;
  }

  /** fe80::/10. */
  public static boolean isLinkLocal(byte[] a, int off) {
    return a[off] == (byte) 0xfe && (a[off + 1] & 0xc0) == 0x80;
  }

  /** True if the first {@code prefixLength} bits of both addresses agree. */
  public static boolean samePrefix(byte[] a, int aOff, byte[] b, int bOff, int prefixLength) {
    int full = prefixLength >>> 3;
    for (int i = 0; i < full; i++) {
      if (a[aOff + i] != b[bOff + i]) {
        return false;
      }
    }
    int rest = prefixLength & 7;
    if (rest == 0) {
      return true;
    }
    int m = (0xff << (8 - rest)) & 0xff;
    return ((a[aOff + full] ^ b[bOff + full]) & m) == 0;
  }

  /** Number of leading bits two addresses share (for source selection). */
  public static int commonPrefixLength(byte[] a, byte[] b) {
    for (int i = 0; i < 16; i++) {
      int x = (a[i] ^ b[i]) & 0xff;
      if (x != 0) {
        return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
      }
    }
    return 128;
  }

  /** ff02::1:ffXX:XXXX, the solicited-node multicast group of {@code address} (RFC 4291). */
  public static byte[] solicitedNode(byte[] address, int off) {
    byte[] g = new byte[16];
    g[0] = (byte) 0xff;
    g[1] = 2;
    g[11] = 1;
    g[12] = (byte) 0xff;
    g[13] = address[off + 13];
    g[14] = address[off + 14];
    g[15] = address[off + 15];
    return g;
  }

  /** True if {@code group} is the solicited-node group of {@code address}. */
  public static boolean isSolicitedNodeOf(byte[] group, int gOff, byte[] address) {
    return group[gOff] == (byte) 0xff
        && group[gOff + 1] == 2
        && Bytes.equal(group, gOff + 2, new byte[9], 0, 9)
        && group[gOff + 11] == 1
        && group[gOff + 12] == (byte) 0xff
        && group[gOff + 13] == address[13]
        && group[gOff + 14] == address[14]
        && group[gOff + 15] == address[15];
  }

  /** fe80::/64 with the modified EUI-64 interface identifier of {@code mac} (RFC 4291 appendix A). */
  public static byte[] linkLocalFromMac(long mac) {
    byte[] a = new byte[16];
    a[0] = (byte) 0xfe;
    a[1] = (byte) 0x80;
    a[8] = (byte) (((mac >>> 40) & 0xff) ^ 0x02);
    a[9] = (byte) (mac >>> 32);
    a[10] = (byte) (mac >>> 24);
    a[11] = (byte) 0xff;
    a[12] = (byte) 0xfe;
    a[13] = (byte) (mac >>> 16);
    a[14] = (byte) (mac >>> 8);
    a[15] = (byte) mac;
    return a;
  }

  /**
   * ZeroTier's RFC 4193 address: {@code fd} ‖ network id (8 bytes) ‖ {@code 99 93} ‖ node address (5 bytes);
   * its prefix length is 88.
   */
  public static byte[] zeroTierRfc4193(long networkId, long nodeAddress) {
    byte[] a = new byte[16];
    a[0] = (byte) 0xfd;
    Bytes.put64(a, 1, networkId);
    a[9] = (byte) 0x99;
    a[10] = (byte) 0x93;
    put40(a, 11, nodeAddress);
    return a;
  }

  /**
   * ZeroTier's 6PLANE address: {@code fc} ‖ (nwid xor nwid>>32, low 32 bits) ‖ node address (5 bytes) ‖
   * {@code 00 00 00 00 00 01}; the network's prefix is /40, each node owns the /80 before the last 6 bytes.
   */
  public static byte[] zeroTier6Plane(long networkId, long nodeAddress) {
    byte[] a = new byte[16];
    a[0] = (byte) 0xfc;
    Bytes.put32(a, 1, (int) (networkId ^ (networkId >>> 32)));
    put40(a, 5, nodeAddress);
    a[15] = 1;
    return a;
  }

  private static void put40(byte[] b, int off, long v) {
    for (int i = 0; i < 5; i++) {
      b[off + i] = (byte) (v >>> (32 - 8 * i));
    }
  }

  public static Inet6Address toInetAddress(byte[] address) {
    try {
      return Inet6Address.getByAddress(null, address, -1);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IPv6 address needs 16 bytes, got " + address.length, e);
    }
  }

  public static String toString(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      return "<bad address>";
    }
  }
}
