package dev.ztjvm.sockets.dns;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds DNS queries and parses answers (RFC 1035; only what A/AAAA lookups need, with name compression). */
public final class DnsMessage {
  private DnsMessage() {}

  /** Record type A. */
  public static final int TYPE_A = 1;
  /** Record type AAAA. */
  public static final int TYPE_AAAA = 28;
  /** Record type CNAME. */
  public static final int TYPE_CNAME = 5;

  /** Response code NXDOMAIN (the name does not exist). */
  public static final int RCODE_NXDOMAIN = 3;

  /** A parsed answer: its response code and the addresses of the asked type. */
  public record Answer(int id, int rcode, boolean truncated, List<InetAddress> addresses) {
    public Answer {
      addresses = List.copyOf(addresses);
    }
  }

  /** A recursive query for {@code name} of {@code type} (class IN). */
  public static byte[] query(int id, String name, int type) {
    byte[] qname = encodeName(name);
    byte[] b = new byte[12 + qname.length + 4];
    b[0] = (byte) (id >>> 8);
    b[1] = (byte) id;
    b[2] = 0x01; // RD
    b[5] = 1; // QDCOUNT
    System.arraycopy(qname, 0, b, 12, qname.length);
    int o = 12 + qname.length;
    b[o] = (byte) (type >>> 8);
    b[o + 1] = (byte) type;
    b[o + 3] = 1; // IN
    return b;
  }

  static byte[] encodeName(String name) {
    String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    if (n.isEmpty()) {
      throw new IllegalArgumentException("empty DNS name");
    }
    byte[] out = new byte[n.length() + 2];
    int o = 0;
    for (String label : n.split("\\.", -1)) {
      byte[] l = label.getBytes(StandardCharsets.US_ASCII);
      if (l.length == 0 || l.length > 63) {
        throw new IllegalArgumentException("invalid DNS name '" + name + "': label length " + l.length);
      }
      out[o++] = (byte) l.length;
      System.arraycopy(l, 0, out, o, l.length);
      o += l.length;
    }
    out[o++] = 0;
    if (o > 255) {
      throw new IllegalArgumentException("DNS name too long: " + name);
    }
    return java.util.Arrays.copyOf(out, o);
  }

  /**
   * Parses a response and collects the addresses of {@code type} from its answer section.
   *
   * @throws IllegalArgumentException if the message is malformed
   */
  public static Answer parse(byte[] b, int len, int type) {
    if (len < 12) {
      throw new IllegalArgumentException("DNS message too short: " + len + " bytes");
    }
    int id = u16(b, 0);
    int flags = u16(b, 2);
    if ((flags & 0x8000) == 0) {
      throw new IllegalArgumentException("not a DNS response");
    }
    int qd = u16(b, 4);
    int an = u16(b, 6);
    int o = 12;
    for (int i = 0; i < qd; i++) {
      o = skipName(b, len, o) + 4;
    }
    List<InetAddress> out = new ArrayList<>();
    for (int i = 0; i < an; i++) {
      o = skipName(b, len, o);
      need(len, o, 10);
      int t = u16(b, o);
      int rdlen = u16(b, o + 8);
      o += 10;
      need(len, o, rdlen);
      if (t == type && ((t == TYPE_A && rdlen == 4) || (t == TYPE_AAAA && rdlen == 16))) {
        try {
          out.add(InetAddress.getByAddress(java.util.Arrays.copyOfRange(b, o, o + rdlen)));
        } catch (UnknownHostException e) {
          throw new IllegalArgumentException(e);
        }
      }
      o += rdlen;
    }
    return new Answer(id, flags & 0xf, (flags & 0x0200) != 0, out);
  }

  private static int skipName(byte[] b, int len, int o) {
    while (true) {
      need(len, o, 1);
      int l = b[o] & 0xff;
      if (l == 0) {
        return o + 1;
      }
      if ((l & 0xc0) == 0xc0) {
        need(len, o, 2);
        return o + 2;
      }
      if ((l & 0xc0) != 0) {
        throw new IllegalArgumentException("bad DNS label type at " + o);
      }
      o += 1 + l;
    }
  }

  private static void need(int len, int o, int n) {
    if (o + n > len || o < 0) {
      throw new IllegalArgumentException("DNS message truncated at " + o);
    }
  }

  static int u16(byte[] b, int o) {
    return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
  }
}
