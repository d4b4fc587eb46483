package dev.ztjvm.netstack.ethernet;

import dev.ztjvm.netstack.Bytes;

/** Ethernet II header layout: destination MAC, source MAC, EtherType; 14 bytes, no FCS. */
public final class Ethernet {

  private Ethernet() {}

  public static final int HEADER_LENGTH = 14;
  public static final int TYPE_IPV4 = 0x0800;
  public static final int TYPE_ARP = 0x0806;
  public static final int TYPE_IPV6 = 0x86dd;
  public static final int TYPE_VLAN = 0x8100;

  public static long destination(byte[] frame, int off) {
    return Bytes.u48(frame, off);
  }

  public static long source(byte[] frame, int off) {
    return Bytes.u48(frame, off + 6);
  }

  public static int etherType(byte[] frame, int off) {
    return Bytes.u16(frame, off + 12);
  }

  /** Writes the 14-byte header at {@code off}. */
  public static void writeHeader(byte[] frame, int off, long destination, long source, int etherType) {
    Bytes.put48(frame, off, destination);
    Bytes.put48(frame, off + 6, source);
    Bytes.put16(frame, off + 12, etherType);
  }

  /** The Ethernet group address an IPv4 multicast group maps to (RFC 1112: 01:00:5e + low 23 bits). */
  public static long ipv4MulticastMac(int group) {
    return 0x01005e000000L | (group & 0x7fffff);
  }

  /** The Ethernet group address an IPv6 multicast group maps to (RFC 2464: 33:33 + low 32 bits). */
  public static long ipv6MulticastMac(byte[] group, int off) {
    return 0x333300000000L | (Bytes.i32(group, off + 12) & 0xffffffffL);
  }
}
