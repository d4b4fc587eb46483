package dev.ztjvm.nativeio.testing;

import dev.ztjvm.netstack.ip.InternetChecksum;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;

/**
 * Frames built and read by hand, for tests that talk to Linux without any stack of ours in between: Ethernet II,
 * ARP, IPv4, IPv6, ICMP, ICMPv6 (echo, neighbour advertisement) and UDP, with all checksums.
 */
public final class Frames {

  public static final int ETHERTYPE_IPV4 = 0x0800;
  public static final int ETHERTYPE_ARP = 0x0806;
  public static final int ETHERTYPE_IPV6 = 0x86dd;
  public static final int PROTO_ICMP = 1;
  public static final int PROTO_UDP = 17;
  public static final int PROTO_ICMPV6 = 58;

  private Frames() {}

  public static byte[] ip(String literal) {
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(literal, e);
    }
  }

  public static int u16(byte[] b, int off) {
    return ((b[off] & 0xff) << 8) | (b[off + 1] & 0xff);
  }

  public static int etherType(byte[] frame) {
    return u16(frame, 12);
  }

  public static byte[] slice(byte[] b, int off, int len) {
    byte[] r = new byte[len];
    System.arraycopy(b, off, r, 0, len);
    return r;
  }

  /** ARP reply (opcode 2) telling {@code theirIp} that {@code ourIp} is at {@code ourMac}. */
  public static byte[] arpReply(byte[] ourMac, byte[] ourIp, byte[] theirMac, byte[] theirIp) {
    ByteBuffer b = ByteBuffer.allocate(14 + 28);
    b.put(theirMac).put(ourMac).putShort((short) ETHERTYPE_ARP);
    b.putShort((short) 1).putShort((short) ETHERTYPE_IPV4).put((byte) 6).put((byte) 4).putShort((short) 2);
    b.put(ourMac).put(ourIp).put(theirMac).put(theirIp);
    return b.array();
  }

  /** An IPv4 frame (DF set, TTL 64) around {@code payload}, header checksum filled in. */
  public static byte[] ipv4(byte[] dstMac, byte[] srcMac, byte[] src, byte[] dst, int protocol, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(14 + 20 + payload.length);
    b.put(dstMac).put(srcMac).putShort((short) ETHERTYPE_IPV4);
    b.put((byte) 0x45).put((byte) 0).putShort((short) (20 + payload.length));
    b.putShort((short) 0x1234).putShort((short) 0x4000);
    b.put((byte) 64).put((byte) protocol).putShort((short) 0).put(src).put(dst);
    b.put(payload);
    byte[] f = b.array();
    int sum = InternetChecksum.of(f, 14, 20);
    f[24] = (byte) (sum >>> 8);
    f[25] = (byte) sum;
    return f;
  }

  /** An IPv6 frame (hop limit 64 unless {@code hopLimit} says otherwise) around {@code payload}. */
  public static byte[] ipv6(
      byte[] dstMac, byte[] srcMac, byte[] src, byte[] dst, int nextHeader, int hopLimit, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(14 + 40 + payload.length);
    b.put(dstMac).put(srcMac).putShort((short) ETHERTYPE_IPV6);
    b.putInt(0x60000000).putShort((short) payload.length).put((byte) nextHeader).put((byte) hopLimit);
    b.put(src).put(dst).put(payload);
    return b.array();
  }

  /** ICMPv4 echo request (type 8) or reply (type 0), checksum filled in. */
  public static byte[] icmpv4Echo(int type, int id, int seq, byte[] data) {
    byte[] m = echoBody(type, id, seq, data);
    int sum = InternetChecksum.of(m, 0, m.length);
    m[2] = (byte) (sum >>> 8);
    m[3] = (byte) sum;
    return m;
  }

  /** ICMPv6 echo request (128) or reply (129), checksum over the pseudo-header filled in. */
  public static byte[] icmpv6Echo(byte[] src, byte[] dst, int type, int id, int seq, byte[] data) {
    byte[] m = echoBody(type, id, seq, data);
    fillIcmpv6Checksum(src, dst, m);
    return m;
  }

  /**
   * Solicited neighbour advertisement for {@code target} at {@code mac} (router flag clear, solicited and
   * override set, target link-layer address option).
   */
  public static byte[] neighbourAdvertisement(byte[] src, byte[] dst, byte[] target, byte[] mac) {
    ByteBuffer b = ByteBuffer.allocate(24 + 8);
    b.put((byte) 136).put((byte) 0).putShort((short) 0).putInt(0x60000000).put(target);
    b.put((byte) 2).put((byte) 1).put(mac);
    byte[] m = b.array();
    fillIcmpv6Checksum(src, dst, m);
    return m;
  }

  /** UDP datagram with its checksum over the IPv4 or IPv6 pseudo-header. */
  public static byte[] udp(byte[] src, byte[] dst, int srcPort, int dstPort, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length);
    b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + data.length)).putShort((short) 0);
    b.put(data);
    byte[] u = b.array();
    int sum = InternetChecksum.finish(
        InternetChecksum.add(InternetChecksum.pseudoHeader(src, dst, PROTO_UDP, u.length), u, 0, u.length));
    if (sum == 0) {
      sum = 0xffff;
    }
    u[6] = (byte) (sum >>> 8);
    u[7] = (byte) sum;
    return u;
  }

  /** Whether the IPv4 header of an Ethernet frame has a correct checksum. */
  public static boolean ipv4HeaderChecksumOk(byte[] frame) {
    int ihl = (frame[14] & 0x0f) * 4;
    return InternetChecksum.of(frame, 14, ihl) == 0;
  }

  /**
   * Whether the transport checksum (UDP, ICMPv6 with pseudo-header; ICMPv4 without) of an IPv4 or IPv6 frame
   * without extension headers verifies.
   */
  public static boolean transportChecksumOk(byte[] frame, int frameLength) {
    if (etherType(frame) == ETHERTYPE_IPV4) {
      int ihl = (frame[14] & 0x0f) * 4;
      int total = u16(frame, 16);
      int proto = frame[23] & 0xff;
      int off = 14 + ihl;
      int len = total - ihl;
      if (proto == PROTO_ICMP) {
        return InternetChecksum.of(frame, off, len) == 0;
      }
      long sum = InternetChecksum.pseudoHeader(slice(frame, 26, 4), slice(frame, 30, 4), proto, len);
      return InternetChecksum.finish(InternetChecksum.add(sum, frame, off, len)) == 0;
    }
    int len = u16(frame, 18);
    int next = frame[20] & 0xff;
    long sum = InternetChecksum.pseudoHeader(slice(frame, 22, 16), slice(frame, 38, 16), next, len);
    return InternetChecksum.finish(InternetChecksum.add(sum, frame, 54, len)) == 0 && 54 + len <= frameLength;
  }

  private static byte[] echoBody(int type, int id, int seq, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + data.length);
    b.put((byte) type).put((byte) 0).putShort((short) 0).putShort((short) id).putShort((short) seq).put(data);
    return b.array();
  }

  private static void fillIcmpv6Checksum(byte[] src, byte[] dst, byte[] m) {
    int sum = InternetChecksum.finish(
        InternetChecksum.add(InternetChecksum.pseudoHeader(src, dst, PROTO_ICMPV6, m.length), m, 0, m.length));
    m[2] = (byte) (sum >>> 8);
    m[3] = (byte) sum;
  }
}
