package dev.ztjvm.vl2;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.vl1.WireWriter;
/** Builds real IPv4/IPv6/ARP Ethernet payloads (after the 14-byte header) for rule tests. */
final class Frames {
  static final int IPV4 = 0x0800;
  static final int ARP = 0x0806;
  static final int IPV6 = 0x86dd;

  private Frames() {}

  static byte[] ip4(String s) {
    return IpPrefix.parseIp(s).getAddress();
  }

  static byte[] ip6(String s) {
    byte[] b = IpPrefix.parseIp(s).getAddress();
    if (b.length != 16) {
      throw new IllegalArgumentException(s);
    }
    return b;
  }

  /** IPv4 header (20 bytes, TOS given) + transport. */
  static byte[] ipv4(String src, String dst, int proto, int tos, byte[] transport) {
    WireWriter s = new WireWriter();
    s.u8(0x45).u8(tos).u16(20 + transport.length).u16(0x1234).u16(0x4000).u8(64).u8(proto).u16(0)
        .bytes(ip4(src)).bytes(ip4(dst)).bytes(transport);
    return s.toByteArray();
  }

  static byte[] tcp(int sport, int dport, int flags, int payloadLen) {
    WireWriter s = new WireWriter();
    s.u16(sport).u16(dport).u32(1000).u32(flags == 0x02 ? 0 : 2000).u8(0x50 | ((flags >> 8) & 0x0f))
        .u8(flags & 0xff).u16(65535).u16(0).u16(0).zeros(payloadLen);
    return s.toByteArray();
  }

  static byte[] udp(int sport, int dport, int payloadLen) {
    return new WireWriter().u16(sport).u16(dport).u16(8 + payloadLen).u16(0).zeros(payloadLen).toByteArray();
  }

  static byte[] icmp(int type, int code) {
    return new WireWriter().u8(type).u8(code).u16(0).u32(0x00010001).zeros(16).toByteArray();
  }

  static byte[] ipv6(String src, String dst, int nextHeader, int trafficClass, byte[] payload) {
    WireWriter s = new WireWriter();
    s.u32(0x60000000L | ((long) trafficClass << 20)).u16(payload.length).u8(nextHeader).u8(64)
        .bytes(ip6(src)).bytes(ip6(dst)).bytes(payload);
    return s.toByteArray();
  }

  /** IPv6 with a hop-by-hop extension header (8 bytes) before the transport. */
  static byte[] ipv6HopByHop(String src, String dst, int proto, byte[] transport) {
    byte[] ext = new WireWriter().u8(proto).u8(0).u8(1).u8(4).zeros(4).toByteArray();
    byte[] body = new WireWriter().bytes(ext).bytes(transport).toByteArray();
    return ipv6(src, dst, 0, 0, body);
  }

  static byte[] arpRequest(long senderMac, String senderIp, String targetIp) {
    WireWriter s = new WireWriter();
    s.u16(1).u16(0x0800).u8(6).u8(4).u16(1);
    byte[] m = new byte[6];
    MacAddress.write(senderMac, m, 0);
    s.bytes(m).bytes(ip4(senderIp)).zeros(6).bytes(ip4(targetIp));
    return s.toByteArray();
  }

  /** ICMPv6 neighbor solicitation (type 135) or advertisement (136) for {@code target}. */
  static byte[] ndp(int type, String src, String dst, String target) {
    byte[] icmp = new WireWriter().u8(type).u8(0).u16(0).u32(type == 136 ? 0x60000000L : 0).bytes(ip6(target))
        .toByteArray();
    return ipv6(src, dst, 58, 0, icmp);
  }
}
