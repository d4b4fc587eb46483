package dev.ztjvm.netstack;

import dev.ztjvm.netstack.arp.Arp;
import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.icmp.Icmp;
import dev.ztjvm.netstack.internal.Counters;
import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import dev.ztjvm.netstack.ipv4.Ipv4;
import java.util.Arrays;

/**
 * The IPv4 half of one {@link NetworkInterface} (smoltcp's {@code iface/interface/ipv4.rs}): ARP, IPv4 in (with
 * reassembly) and out (with fragmentation), and ICMPv4. Confined to the loop.
 */
final class Ipv4Layer {

  private final NetworkInterface iface;
  private final RoutingTable routing;
  private final Counters arp;
  private final Counters ip4;
  private final Counters frag4;
  private final Counters icmp4;
  private final Reassembler reassembly;
  private int nextId;
  private final byte[] rxSrc = new byte[4];
  private final byte[] rxDst = new byte[4];

  Ipv4Layer(NetworkInterface iface, InterfaceConfig config) {
    this.iface = iface;
    this.routing = iface.routing;
    this.arp = iface.arp;
    this.ip4 = iface.ip4;
    this.frag4 = iface.frag4;
    this.icmp4 = iface.icmp4;
    this.reassembly = new Reassembler(
        frag4, config.reassemblyMaxDatagrams(), config.reassemblyMaxBytes(), 65535 - 20,
        config.reassemblyTimeoutNanos());
  }

  Reassembler reassembly() {
    return reassembly;
  }

  // ---------------------------------------------------------------------------------------------------------
  // ARP

  void receiveArp(byte[] b, int o, int len) {
    arp.received++;
    if (len < Arp.LENGTH) {
      arp.dropLength();
      return;
    }
    if (Arp.hardwareType(b, o) != Arp.HTYPE_ETHERNET || Arp.protocolType(b, o) != Ethernet.TYPE_IPV4
        || Arp.hardwareLength(b, o) != 6 || Arp.protocolLength(b, o) != 4) {
      arp.dropProtocol();
      return;
    }
    int op = Arp.operation(b, o);
    long senderMac = Arp.senderMac(b, o);
    int senderIp = Arp.senderIp(b, o);
    int targetIp = Arp.targetIp(b, o);
    if ((op != Arp.OP_REQUEST && op != Arp.OP_REPLY) || MacAddress.isMulticast(senderMac) || senderMac == iface.mac
        || Ipv4.isMulticast(senderIp) || senderIp == Ipv4.LIMITED_BROADCAST) {
      arp.dropProtocol();
      return;
    }
    if (routing.isOwnV4(senderIp)) {
      // Someone else claims one of our addresses: an address conflict. Do not learn it.
      arp.dropProtocol();
      return;
    }
    boolean forUs = routing.isOwnV4(targetIp);
    boolean learned = senderIp != 0 && iface.neighbors.learn(false, Ipv4.toBytes(senderIp), senderMac, forUs);
    if (op == Arp.OP_REQUEST && forUs) {
      sendArp(Arp.OP_REPLY, senderMac, targetIp, senderMac, senderIp);
      arp.delivered++;
    } else if (learned) {
      arp.delivered++;
    } else {
      arp.dropNotForUs();
    }
  }

  void sendArp(int op, long ethDst, int senderIp, long targetMac, int targetIp) {
    byte[] f = iface.tx;
    Ethernet.writeHeader(f, 0, ethDst, iface.mac, Ethernet.TYPE_ARP);
    Arp.write(f, 14, op, iface.mac, senderIp, targetMac, targetIp);
    arp.sent++;
    iface.emit(f, 14 + Arp.LENGTH);
  }

  // ---------------------------------------------------------------------------------------------------------
  // IPv4 in

  void receive(byte[] b, int o, int len) {
    ip4.received++;
    if (len < Ipv4.MIN_HEADER_LENGTH) {
      ip4.dropLength();
      return;
    }
    if (Ipv4.version(b, o) != 4) {
      ip4.dropProtocol();
      return;
    }
    int ihl = Ipv4.headerLength(b, o);
    int total = Ipv4.totalLength(b, o);
    if (ihl < Ipv4.MIN_HEADER_LENGTH || ihl > len || total < ihl || total > len) {
      ip4.dropLength();
      return;
    }
    if (InternetChecksum.of(b, o, ihl) != 0) {
      ip4.dropChecksum();
      return;
    }
    int src = Ipv4.source(b, o);
    int dst = Ipv4.destination(b, o);
    if (Ipv4.isMulticast(src) || src == Ipv4.LIMITED_BROADCAST || routing.isBroadcastV4(src)) {
      ip4.dropProtocol();
      return;
    }
    boolean group;
    if (routing.isOwnV4(dst)) {
      group = false;
    } else if ((Ipv4.isMulticast(dst) && iface.groups.acceptsV4(dst))
        || (routing.isBroadcastV4(dst) && iface.config().broadcastAllowed())) {
      group = true;
    } else {
      ip4.dropNotForUs();
      return;
    }
    int protocol = Ipv4.protocol(b, o);
    int fo = Ipv4.flagsAndOffset(b, o);
    byte[] s = rxSrc;
    byte[] d = rxDst;
    Bytes.put32(s, 0, src);
    Bytes.put32(d, 0, dst);
    if ((fo & (Ipv4.FLAG_MORE_FRAGMENTS | Ipv4.OFFSET_MASK)) != 0) {
      ip4.delivered++;
      frag4.received++;
      Reassembler.Datagram dg = reassembly.add(s, d, Ipv4.identification(b, o), protocol,
          (fo & Ipv4.OFFSET_MASK) << 3, (fo & Ipv4.FLAG_MORE_FRAGMENTS) != 0, protocol, b, o + ihl, total - ihl,
          iface.now());
      if (dg != null) {
        iface.deliverTransport(false, s, d, protocol, dg.data, 0, dg.total, group, Ipv4.ttl(b, o), frag4);
      }
      return;
    }
    iface.deliverTransport(false, s, d, protocol, b, o + ihl, total - ihl, group, Ipv4.ttl(b, o), ip4);
  }

  // ---------------------------------------------------------------------------------------------------------
  // IPv4 out

  boolean send(int src, int dst, int protocol, int ttl, byte[] payload, int off, int len) {
    if (len > 65535 - Ipv4.MIN_HEADER_LENGTH) {
      ip4.dropLength();
      return false;
    }
    if (routing.isOwnV4(dst)) {
      return iface.enqueueLoopback(Ipv4.toBytes(src), Ipv4.toBytes(dst), protocol, payload, off, len, ttl, ip4);
    }
    long dstMac;
    if (routing.isBroadcastV4(dst)) {
      if (!iface.config().broadcastAllowed()) {
        ip4.dropNoRoute();
        return false;
      }
      dstMac = MacAddress.BROADCAST.value();
    } else if (Ipv4.isMulticast(dst)) {
      dstMac = Ethernet.ipv4MulticastMac(dst);
    } else {
      int hop = routing.nextHopV4(dst);
      if (hop == 0) {
        ip4.dropNoRoute();
        return false;
      }
      NeighborCache.Entry e = iface.neighbors.ipv4Entry(hop);
      if (e == null || !e.resolved()) {
        return iface.neighbors.queue(false, e, Ipv4.toBytes(hop), Ipv4.toBytes(src), Ipv4.toBytes(dst), protocol,
            payload, off, len, ttl);
      }
      dstMac = e.mac;
      iface.neighbors.refreshIfStale(e, false);
    }
    transmit(dstMac, src, dst, protocol, ttl, payload, off, len);
    return true;
  }

  void transmit(long dstMac, int src, int dst, int protocol, int ttl, byte[] payload, int off, int len) {
    byte[] f = iface.tx;
    long mac = iface.mac;
    int id = (nextId++) & 0xffff;
    int maxData = iface.mtu() - Ipv4.MIN_HEADER_LENGTH;
    if (len <= maxData) {
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV4);
      Ipv4.writeHeader(f, 14, 20 + len, id, 0, ttl, protocol, src, dst);
      System.arraycopy(payload, off, f, 34, len);
      iface.emit(f, 34 + len);
      ip4.sent++;
      return;
    }
    int chunk = maxData & ~7;
    for (int pos = 0; pos < len; pos += chunk) {
      int n = Math.min(chunk, len - pos);
      boolean more = pos + n < len;
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV4);
      Ipv4.writeHeader(f, 14, 20 + n, id, (more ? Ipv4.FLAG_MORE_FRAGMENTS : 0) | (pos >>> 3), ttl, protocol, src,
          dst);
      System.arraycopy(payload, off + pos, f, 34, n);
      iface.emit(f, 34 + n);
      ip4.sent++;
      frag4.sent++;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // ICMPv4

  void receiveIcmp(byte[] src, byte[] dst, byte[] b, int off, int len, boolean group) {
    icmp4.received++;
    if (len < 8) {
      icmp4.dropLength();
      return;
    }
    if (InternetChecksum.of(b, off, len) != 0) {
      icmp4.dropChecksum();
      return;
    }
    int type = b[off] & 0xff;
    switch (type) {
      case Icmp.V4_ECHO_REQUEST -> {
        if (group) {
          icmp4.dropNotForUs();
          return;
        }
        byte[] reply = Arrays.copyOfRange(b, off, off + len);
        reply[0] = Icmp.V4_ECHO_REPLY;
        NetworkInterface.fillIcmpChecksum(false, dst, src, reply, 0, len);
        icmp4.delivered++;
        icmp4.sent++;
        iface.send(dst.clone(), src.clone(), NetworkInterface.ICMP_PROTOCOL, reply, 0, len);
      }
      case Icmp.V4_ECHO_REPLY -> iface.pings.echoReply(false, src, b, off, len, icmp4);
      case Icmp.V4_DEST_UNREACHABLE, Icmp.V4_TIME_EXCEEDED -> icmpError(b, off, len, type);
      default -> icmp4.dropProtocol();
    }
  }

  private void icmpError(byte[] b, int off, int len, int type) {
    // 8 bytes ICMP header, then the offending IPv4 header and at least 8 bytes of its payload.
    if (len < 8 + Ipv4.MIN_HEADER_LENGTH + 8) {
      icmp4.dropLength();
      return;
    }
    int q = off + 8;
    int ihl = Ipv4.headerLength(b, q);
    if (Ipv4.version(b, q) != 4 || ihl < Ipv4.MIN_HEADER_LENGTH || 8 + ihl + 8 > len) {
      icmp4.dropLength();
      return;
    }
    int origSrc = Ipv4.source(b, q);
    if (!routing.isOwnV4(origSrc)) {
      icmp4.dropNotForUs();
      return;
    }
    int code = b[off + 1] & 0xff;
    IcmpErrorKind kind;
    int mtuHint = 0;
    if (type == Icmp.V4_TIME_EXCEEDED) {
      kind = IcmpErrorKind.TIME_EXCEEDED;
    } else if (code == Icmp.V4_CODE_PORT_UNREACHABLE) {
      kind = IcmpErrorKind.PORT_UNREACHABLE;
    } else if (code == Icmp.V4_CODE_FRAGMENTATION_NEEDED) {
      kind = IcmpErrorKind.PACKET_TOO_BIG;
      mtuHint = Bytes.u16(b, off + 6);
    } else {
      kind = IcmpErrorKind.HOST_UNREACHABLE;
    }
    byte[] s = Ipv4.toBytes(origSrc);
    byte[] d = Ipv4.toBytes(Ipv4.destination(b, q));
    icmp4.delivered++;
    iface.dispatchIcmpError(false, Ipv4.protocol(b, q), kind, s, d, b, q + ihl, len - 8 - ihl, mtuHint);
  }
}
