package dev.ztjvm.vl1;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The shared physical-address encoding of spec 2.14 ({@code 0x00} none, {@code 0x04} IPv4 + port, {@code 0x06} IPv6 +
 * port; types 1–3 are skipped) and the {@code IP/port} text form ZeroTier uses for endpoints. Never resolves names.
 */
public final class InetAddresses {

  public static final int TYPE_NONE = 0x00;
  public static final int TYPE_IPV4 = 0x04;
  public static final int TYPE_IPV6 = 0x06;

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

  private InetAddresses() {}

  /** Encoded size of an address (1 for null). */
  public static int encodedLength(@Nullable InetSocketAddress a) {
    if (a == null) {
      return 1;
    }
    return a.getAddress() instanceof Inet4Address ? 7 : 19;
  }

  /** Writes the address (or the null byte) at the writer's position. */
  public static void write(WireWriter w, @Nullable InetSocketAddress a) {
    if (a == null || a.getAddress() == null) {
      w.u8(TYPE_NONE);
      return;
    }
    byte[] ip = a.getAddress().getAddress();
    w.u8(ip.length == 4 ? TYPE_IPV4 : TYPE_IPV6).bytes(ip).u16(a.getPort());
  }

  /**
   * Reads one encoded address. Returns {@code null} for "none" and for the skipped reserved types 1–3.
   *
   * @throws WireFormatException for any other unknown type or truncated input
   */
  public static @Nullable InetSocketAddress read(WireReader r) {
    int type = r.u8();
    switch (type) {
      case TYPE_NONE:
        return null;
      case TYPE_IPV4:
      case TYPE_IPV6: {
        byte[] ip = r.bytes(type == TYPE_IPV4 ? 4 : 16);
        int port = r.u16();
        return of(ip, port);
      }
      case 0x01:
      case 0x02:
        r.skip(6);
        return null;
      case 0x03:
        r.skip(r.u16());
        return null;
      default:
        throw r.error("unknown address type " + type);
    }
  }

  /** An unresolved-name-free socket address from raw IP bytes (4 or 16; IPv4-mapped IPv6 stays IPv6). */
  public static InetSocketAddress of(byte[] ip, int port) {
    return new InetSocketAddress(address(ip), port);
  }

  /**
   * The address of raw IP bytes without any name lookup; 16 bytes always stay IPv6 (the JDK would otherwise turn an
   * IPv4-mapped address into IPv4).
   *
   * @throws IllegalArgumentException unless {@code ip} has 4 or 16 bytes
   */
  public static InetAddress address(byte[] ip) {
    try {
      return ip.length == 16 ? Inet6Address.getByAddress(null, ip, -1) : InetAddress.getByAddress(ip);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("IP address must be 4 or 16 bytes, got " + ip.length);
    }
  }

  /**
   * {@code a} as IPv6: itself if it is, else its IPv4-mapped form. For addresses parsed from an IPv6 literal, which
   * the JDK returns as IPv4 when the literal is IPv4-mapped ({@code ::ffff:a.b.c.d}).
   */
  public static InetAddress asIpv6(InetAddress a) {
    if (a instanceof Inet6Address) {
      return a;
    }
    byte[] b = new byte[16];
    b[10] = (byte) 0xff;
    b[11] = (byte) 0xff;
    System.arraycopy(a.getAddress(), 0, b, 12, 4);
    return address(b);
  }

  /**
   * Parses {@code IP/port} (ZeroTier's endpoint text form; IPv6 without brackets).
   *
   * @throws IllegalArgumentException if the text is not an IP literal with a port in 0..65535
   */
  public static InetSocketAddress parseEndpoint(String s) {
    int slash = s.lastIndexOf('/');
    if (slash <= 0) {
      throw new IllegalArgumentException("endpoint must be IP/port: " + s);
    }
    String ip = s.substring(0, slash);
    int port;
    try {
      port = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad port in endpoint " + s);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range in endpoint " + s);
    }
    return new InetSocketAddress(parseIp(ip), port);
  }

  /** Parses an IPv4 or IPv6 literal without ever consulting DNS. */
  public static InetAddress parseIp(String ip) {
    if (IPV4.matcher(ip).matches()) {
      String[] parts = ip.split("\\.");
      byte[] b = new byte[4];
      for (int i = 0; i < 4; i++) {
        int v = Integer.parseInt(parts[i]);
        if (v > 255) {
          throw new IllegalArgumentException("not an IPv4 address: " + ip);
        }
        b[i] = (byte) v;
      }
      return address(b);
    }
    if (IPV6.matcher(ip).matches()) {
      try {
        InetAddress a = InetAddress.getByName(ip); // a literal of these characters is parsed, never looked up
        return asIpv6(a);
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("not an IPv6 address: " + ip);
      }
    }
    throw new IllegalArgumentException("not an IP address literal: " + ip);
  }

  /** {@code IP/port} with IPv6 in RFC 5952 form (as ZeroTier prints endpoints). "none" for null. */
  public static String toEndpointString(@Nullable InetSocketAddress a) {
    if (a == null || a.getAddress() == null) {
      return "none";
    }
    return ipString(a.getAddress()) + "/" + a.getPort();
  }

  /** IPv4 dotted quad, or IPv6 in RFC 5952 form (lowercase, longest zero run of two or more groups as {@code ::}). */
  public static String ipString(InetAddress a) {
    byte[] b = a.getAddress();
    if (b.length == 4) {
      return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }
    int[] g = new int[8];
    for (int i = 0; i < 8; i++) {
      g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
    }
    int bestStart = -1;
    int bestLen = 1;
    for (int i = 0; i < 8;) {
      if (g[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < 8 && g[j] == 0) {
        j++;
      }
      if (j - i > bestLen) {
        bestStart = i;
        bestLen = j - i;
      }
      i = j;
    }
    StringBuilder sb = new StringBuilder(39);
    for (int i = 0; i < 8; i++) {
      if (i == bestStart) {
        sb.append("::");
        i += bestLen - 1;
        continue;
      }
      if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
        sb.append(':');
      }
      sb.append(Integer.toHexString(g[i]));
    }
    return sb.toString();
  }
}
