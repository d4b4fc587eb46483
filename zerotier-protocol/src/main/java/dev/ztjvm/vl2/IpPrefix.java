package dev.ztjvm.vl2;

import dev.ztjvm.vl1.InetAddresses;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * An IP address with a prefix length, as used for routes and managed (static) addresses in network configs. The
 * address keeps its host bits (10.147.17.5/24 is a managed address, not a network).
 *
 * @param address IPv4 or IPv6 address (IPv4-mapped IPv6 addresses stay IPv6)
 * @param bits prefix length, 0..32 or 0..128 (configs may carry other values; they are kept as-is)
 */
public record IpPrefix(InetAddress address, int bits) {

  public IpPrefix {
    if (bits < 0 || bits > 0xffff) {
      throw new IllegalArgumentException("prefix bits out of range: " + bits);
    }
  }

  /** Address from raw 4 or 16 bytes; 16-byte addresses always stay IPv6. */
  public static InetAddress ip(byte[] raw) {
    return InetAddresses.address(raw);
  }

  /**
   * Parses {@code a.b.c.d/n} or {@code v6/n} (numeric only, never resolves names).
   *
   * @throws IllegalArgumentException if malformed
   */
  public static IpPrefix parse(String s) {
    int slash = s.indexOf('/');
    if (slash < 0) {
      throw new IllegalArgumentException("missing /bits in '" + s + "'");
    }
    InetAddress a = parseIp(s.substring(0, slash));
    int bits;
    try {
      bits = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad prefix length in '" + s + "'");
    }
    if (bits < 0 || bits > (a instanceof Inet4Address ? 32 : 128)) {
      throw new IllegalArgumentException("prefix length out of range in '" + s + "'");
    }
    return new IpPrefix(a, bits);
  }

  /** Numeric IPv4/IPv6 literal to address without any name lookup. */
  public static InetAddress parseIp(String s) {
    if (s.isEmpty() || !s.matches("[0-9a-fA-F.:]+")) {
      throw new IllegalArgumentException("not a numeric IP address: '" + s + "'");
    }
    if (s.indexOf(':') < 0) {
      String[] p = s.split("\\.", -1);
      if (p.length != 4) {
        throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
      }
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v;
        try {
          v = Integer.parseInt(p[i]);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
        }
        if (v < 0 || v > 255 || p[i].length() > 3) {
          throw new IllegalArgumentException("not an IPv4 address: '" + s + "'");
        }
        b[i] = (byte) v;
      }
      return ip(b);
    }
    try {
      // a literal containing ':' is never looked up by InetAddress.getByName
      InetAddress a = InetAddress.getByName(s.startsWith("[") ? s : "[" + s + "]");
      return InetAddresses.asIpv6(a);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("not an IPv6 address: '" + s + "'");
    }
  }

  public boolean isIpv4() {
    return address instanceof Inet4Address;
  }

  /** Whether {@code other} lies inside this prefix (same family, first {@code bits} bits equal). */
  public boolean contains(InetAddress other) {
    byte[] a = address.getAddress();
    byte[] o = other.getAddress();
    if (a.length != o.length) {
      return false;
    }
    return prefixEquals(a, 0, o, 0, Math.min(bits, a.length * 8));
  }

  static boolean prefixEquals(byte[] a, int aOff, byte[] b, int bOff, int bits) {
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[aOff + i] != b[bOff + i]) {
        return false;
      }
    }
    int rem = bits % 8;
    if (rem != 0) {
      int mask = (0xff << (8 - rem)) & 0xff;
      return ((a[aOff + full] ^ b[bOff + full]) & mask) == 0;
    }
    return true;
  }

  /** {@code addr/bits} with IPv6 in RFC 5952 compressed form. */
  @Override
  public String toString() {
    return format(address) + "/" + bits;
  }

  /** Text form of an address: dotted quad, or RFC 5952 compressed lowercase IPv6. */
  public static String format(InetAddress a) {
    return InetAddresses.ipString(a);
  }
}
