package dev.ztjvm.network;

import dev.ztjvm.netstack.ethernet.MacAddress;
import java.net.InetAddress;
import java.nio.ByteBuffer;

/** Raw Ethernet frames built by hand for the VL2 tests. */
final class TestFrames {
  private TestFrames() {}

  static final int ETHERTYPE_IPV4 = 0x0800;
  static final int ETHERTYPE_ARP = 0x0806;

  private static ByteBuffer header(ByteBuffer b, long dst, long src, int etherType) {
    byte[] m = new byte[6];
    MacAddress.write(dst, m, 0);
    b.put(m);
    MacAddress.write(src, m, 0);
    b.put(m);
    return b.putShort((short) etherType);
  }

  /** An ARP request (broadcast) from {@code senderMac}/{@code senderIp} asking for {@code targetIp}. */
  static byte[] arpRequest(long senderMac, InetAddress senderIp, InetAddress targetIp) {
    ByteBuffer b = ByteBuffer.allocate(14 + 28);
    header(b, MacAddress.BROADCAST.value(), senderMac, ETHERTYPE_ARP);
    arp(b, 1, senderMac, senderIp, 0, targetIp);
    return b.array();
  }

  /** The ARP reply (unicast) from {@code senderMac}/{@code senderIp} to {@code targetMac}/{@code targetIp}. */
  static byte[] arpReply(long senderMac, InetAddress senderIp, long targetMac, InetAddress targetIp) {
    ByteBuffer b = ByteBuffer.allocate(14 + 28);
    header(b, targetMac, senderMac, ETHERTYPE_ARP);
    arp(b, 2, senderMac, senderIp, targetMac, targetIp);
    return b.array();
  }

  private static void arp(ByteBuffer b, int op, long sha, InetAddress spa, long tha, InetAddress tpa) {
    byte[] m = new byte[6];
    b.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) op);
    MacAddress.write(sha, m, 0);
    b.put(m).put(spa.getAddress());
    MacAddress.write(tha, m, 0);
    b.put(m).put(tpa.getAddress());
  }

  /** An IPv4/UDP frame with a correct IPv4 header checksum (UDP checksum 0) carrying {@code payload}. */
  static byte[] udp(long srcMac, long dstMac, InetAddress src, InetAddress dst, int srcPort, int dstPort,
      byte[] payload) {
    int ipLen = 20 + 8 + payload.length;
    ByteBuffer b = ByteBuffer.allocate(14 + ipLen);
    header(b, dstMac, srcMac, ETHERTYPE_IPV4);
    int ip = b.position();
    b.put((byte) 0x45).put((byte) 0).putShort((short) ipLen).putShort((short) 0).putShort((short) 0x4000)
        .put((byte) 64).put((byte) 17).putShort((short) 0).put(src.getAddress()).put(dst.getAddress());
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((b.get(ip + i) & 0xff) << 8) | (b.get(ip + i + 1) & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    b.putShort(ip + 10, (short) ~sum);
    b.putShort((short) srcPort).putShort((short) dstPort).putShort((short) (8 + payload.length)).putShort((short) 0)
        .put(payload);
    return b.array();
  }

  static long dstMac(byte[] f) {
    return MacAddress.read(f, 0);
  }

  static long srcMac(byte[] f) {
    return MacAddress.read(f, 6);
  }

  static int etherType(byte[] f) {
    return ((f[12] & 0xff) << 8) | (f[13] & 0xff);
  }

  /** UDP destination port of an IPv4 frame built by {@link #udp}. */
  static int udpDstPort(byte[] f) {
    return ((f[14 + 22] & 0xff) << 8) | (f[14 + 23] & 0xff);
  }
}
