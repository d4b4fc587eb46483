package dev.ztjvm.netstack;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.icmp.Icmp;
import dev.ztjvm.netstack.internal.Counters;
import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import dev.ztjvm.netstack.ipv6.Ipv6;
import java.util.Arrays;

/**
 * The IPv6 half of one {@link NetworkInterface} (smoltcp's {@code iface/interface/ipv6.rs}): IPv6 in (extension
 * headers, reassembly) and out (fragmentation), ICMPv6 and neighbour discovery. Confined to the loop.
 */
final class Ipv6Layer {

  private final NetworkInterface iface;
  private final RoutingTable routing;
  private final Counters ip6;
  private final Counters frag6;
  private final Counters icmp6;
  private final Counters nd;
  private final Reassembler reassembly;
  private int fragmentId;
  private final byte[] rxSrc = new byte[16];
  private final byte[] rxDst = new byte[16];

  Ipv6Layer(NetworkInterface iface, InterfaceConfig config) {
    this.iface = iface;
    this.routing = iface.routing;
    this.ip6 = iface.ip6;
    this.frag6 = iface.frag6;
    this.icmp6 = iface.icmp6;
    this.nd = iface.nd;
    this.reassembly = new Reassembler(
        frag6, config.reassemblyMaxDatagrams(), config.reassemblyMaxBytes(), 65535,
        config.reassemblyTimeoutNanos());
  }

  Reassembler reassembly() {
    return reassembly;
  }

  // ---------------------------------------------------------------------------------------------------------
  // IPv6 in

  void receive(byte[] b, int o, int len) {
    ip6.received++;
    if (len < Ipv6.HEADER_LENGTH) {
      ip6.dropLength();
      return;
    }
    if (Ipv6.version(b, o) != 6) {
      ip6.dropProtocol();
      return;
    }
    int payloadLen = Ipv6.payloadLength(b, o);
    if (payloadLen > len - Ipv6.HEADER_LENGTH) {
      ip6.dropLength();
      return;
    }
    if (Ipv6.isMulticast(b, o + 8)) {
      ip6.dropProtocol();
      return;
    }
    boolean group;
    if (routing.ownV6Index(b, o + 24) >= 0) {
      group = false;
    } else if (Ipv6.isMulticast(b, o + 24) && iface.groups.acceptsV6(b, o + 24)) {
      group = true;
    } else {
      ip6.dropNotForUs();
      return;
    }
    byte[] s = rxSrc;
    byte[] d = rxDst;
    System.arraycopy(b, o + 8, s, 0, 16);
    System.arraycopy(b, o + 24, d, 0, 16);
    processPayload(Ipv6.nextHeader(b, o), s, d, b, o + Ipv6.HEADER_LENGTH, payloadLen, group, Ipv6.hopLimit(b, o),
        true, ip6);
  }

  /** Walks extension headers from {@code nextHeader} at {@code p} and hands the upper layer on. */
  private void processPayload(
      int nextHeader, byte[] s, byte[] d, byte[] b, int p, int remaining, boolean group, int hopLimit,
      boolean first, Counters c) {
    int nh = nextHeader;
    boolean atFirst = first;
    while (true) {
      switch (nh) {
        case Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DESTINATION_OPTIONS, Ipv6.NEXT_ROUTING -> {
          if (nh == Ipv6.NEXT_HOP_BY_HOP && !atFirst) {
            c.dropProtocol();
            return;
          }
          if (remaining < 8) {
            c.dropLength();
            return;
          }
          int extLen = ((b[p + 1] & 0xff) + 1) * 8;
          if (extLen > remaining) {
            c.dropLength();
            return;
          }
          if (nh == Ipv6.NEXT_ROUTING) {
            if ((b[p + 3] & 0xff) != 0) {
              // Segments left: we are not a router.
              c.dropProtocol();
              return;
            }
          } else if (!optionsAcceptable(b, p + 2, p + extLen)) {
            c.dropProtocol();
            return;
          }
          nh = b[p] & 0xff;
          p += extLen;
          remaining -= extLen;
        }
        case Ipv6.NEXT_FRAGMENT -> {
          if (remaining < Ipv6.FRAGMENT_HEADER_LENGTH) {
            c.dropLength();
            return;
          }
          int fragNext = b[p] & 0xff;
          int fo = Bytes.u16(b, p + 2);
          int offset = fo & 0xfff8;
          boolean more = (fo & 1) != 0;
          int id = Bytes.i32(b, p + 4);
          int dataOff = p + Ipv6.FRAGMENT_HEADER_LENGTH;
          int dataLen = remaining - Ipv6.FRAGMENT_HEADER_LENGTH;
          if (offset == 0 && !more) {
            // Atomic fragment (RFC 6946): process as if unfragmented.
            nh = fragNext;
            p = dataOff;
            remaining = dataLen;
            break;
          }
          c.delivered++;
          frag6.received++;
          Reassembler.Datagram dg =
              reassembly.add(s, d, id, 0, offset, more, fragNext, b, dataOff, dataLen, iface.now());
          if (dg != null) {
            processPayload(dg.firstNextHeader, s, d, dg.data, 0, dg.total, group, hopLimit, false, frag6);
          }
          return;
        }
        case Ipv6.NEXT_NONE -> {
          // Nothing follows: nothing to deliver (counted as a drop without a reason).
          c.drop();
          return;
        }
        default -> {
          iface.deliverTransport(true, s, d, nh, b, p, remaining, group, hopLimit, c);
          return;
        }
      }
      atFirst = false;
    }
  }

  /** Hop-by-hop / destination options: only padding and router alert are known; others by their action bits. */
  private static boolean optionsAcceptable(byte[] b, int p, int end) {
    while (p < end) {
      int type = b[p] & 0xff;
      if (type == 0) {
        p++;
        continue;
      }
      if (p + 2 > end) {
        return false;
      }
      int optLen = b[p + 1] & 0xff;
      if (p + 2 + optLen > end) {
        return false;
      }
      if (type != 1 && type != 5 && (type >>> 6) != 0) {
        return false;
      }
      p += 2 + optLen;
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // IPv6 out

  boolean send(byte[] src, byte[] dst, int protocol, int hopLimit, byte[] payload, int off, int len) {
    if (len > 65535) {
      ip6.dropLength();
      return false;
    }
    if (routing.ownV6Index(dst, 0) >= 0) {
      return iface.enqueueLoopback(src.clone(), dst.clone(), protocol, payload, off, len, hopLimit, ip6);
    }
    long dstMac;
    if (Ipv6.isMulticast(dst, 0)) {
      dstMac = Ethernet.ipv6MulticastMac(dst, 0);
    } else {
      byte[] hop = routing.nextHopV6(dst);
      if (hop == null) {
        ip6.dropNoRoute();
        return false;
      }
      NeighborCache.Entry e = iface.neighbors.ipv6Entry(hop);
      if (e == null || !e.resolved()) {
        return iface.neighbors.queue(true, e, hop.clone(), src.clone(), dst.clone(), protocol, payload, off, len,
            hopLimit);
      }
      dstMac = e.mac;
      iface.neighbors.refreshIfStale(e, true);
    }
    transmit(dstMac, src, dst, protocol, hopLimit, payload, off, len);
    return true;
  }

  void transmit(long dstMac, byte[] src, byte[] dst, int protocol, int hopLimit, byte[] payload, int off, int len) {
    byte[] f = iface.tx;
    long mac = iface.mac;
    int maxData = iface.mtu() - Ipv6.HEADER_LENGTH;
    if (len <= maxData) {
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV6);
      Ipv6.writeHeader(f, 14, len, protocol, hopLimit, src, dst);
      System.arraycopy(payload, off, f, 54, len);
      iface.emit(f, 54 + len);
      ip6.sent++;
      return;
    }
    int id = ++fragmentId;
    int chunk = (maxData - Ipv6.FRAGMENT_HEADER_LENGTH) & ~7;
    for (int pos = 0; pos < len; pos += chunk) {
      int n = Math.min(chunk, len - pos);
      boolean more = pos + n < len;
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV6);
      Ipv6.writeHeader(f, 14, 8 + n, Ipv6.NEXT_FRAGMENT, hopLimit, src, dst);
      f[54] = (byte) protocol;
      f[55] = 0;
      Bytes.put16(f, 56, pos | (more ? 1 : 0));
      Bytes.put32(f, 58, id);
      System.arraycopy(payload, off + pos, f, 62, n);
      iface.emit(f, 62 + n);
      ip6.sent++;
      frag6.sent++;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // ICMPv6

  void receiveIcmp(byte[] src, byte[] dst, byte[] b, int off, int len, boolean group, int hopLimit) {
    if (len < 8) {
      icmp6.received++;
      icmp6.dropLength();
      return;
    }
    long sum = InternetChecksum.pseudoHeader(src, dst, NetworkInterface.ICMPV6_PROTOCOL, len);
    int type = b[off] & 0xff;
    boolean isNd = type >= Icmp.V6_ROUTER_SOLICITATION && type <= Icmp.V6_REDIRECT;
    Counters c = isNd ? nd : icmp6;
    c.received++;
    if (InternetChecksum.finish(InternetChecksum.add(sum, b, off, len)) != 0) {
      c.dropChecksum();
      return;
    }
    switch (type) {
      case Icmp.V6_ECHO_REQUEST -> {
        if (group) {
          icmp6.dropNotForUs();
          return;
        }
        byte[] reply = Arrays.copyOfRange(b, off, off + len);
        reply[0] = (byte) Icmp.V6_ECHO_REPLY;
        NetworkInterface.fillIcmpChecksum(true, dst, src, reply, 0, len);
        icmp6.delivered++;
        icmp6.sent++;
        iface.send(dst.clone(), src.clone(), NetworkInterface.ICMPV6_PROTOCOL, reply, 0, len);
      }
      case Icmp.V6_ECHO_REPLY -> iface.pings.echoReply(true, src, b, off, len, icmp6);
      case Icmp.V6_DEST_UNREACHABLE, Icmp.V6_PACKET_TOO_BIG, Icmp.V6_TIME_EXCEEDED, Icmp.V6_PARAMETER_PROBLEM ->
        icmpError(b, off, len, type);
      case Icmp.V6_NEIGHBOR_SOLICITATION -> neighborSolicitation(src, dst, b, off, len, hopLimit);
      case Icmp.V6_NEIGHBOR_ADVERTISEMENT -> neighborAdvertisement(dst, b, off, len, group, hopLimit);
      case Icmp.V6_ROUTER_SOLICITATION, Icmp.V6_ROUTER_ADVERTISEMENT, Icmp.V6_REDIRECT ->
        // Addresses and routes are configured statically (ZeroTier assigns them): nothing to learn here.
        nd.ignored++;
      case Icmp.V6_MLD_QUERY, Icmp.V6_MLD_REPORT, Icmp.V6_MLD_DONE, Icmp.V6_MLD2_REPORT ->
        // Multicast listener discovery is routine chatter of Linux hosts; group membership on a ZeroTier network
        // is announced by the node (MULTICAST_LIKE), not by MLD, so the messages are accepted and ignored.
        icmp6.ignored++;
      default -> {
        if (type >= 128) {
          // unknown informational message: silently discarded (RFC 4443 section 2.4 (b))
          icmp6.ignored++;
        } else {
          icmp6.dropProtocol();
        }
      }
    }
  }

  private void icmpError(byte[] b, int off, int len, int type) {
    if (len < 8 + Ipv6.HEADER_LENGTH) {
      icmp6.dropLength();
      return;
    }
    int q = off + 8;
    if (Ipv6.version(b, q) != 6 || routing.ownV6Index(b, q + 8) < 0) {
      icmp6.dropNotForUs();
      return;
    }
    // Skip the quoted extension headers to find the transport header.
    int nh = Ipv6.nextHeader(b, q);
    int p = q + Ipv6.HEADER_LENGTH;
    int end = off + len;
    while (nh == Ipv6.NEXT_HOP_BY_HOP || nh == Ipv6.NEXT_ROUTING || nh == Ipv6.NEXT_DESTINATION_OPTIONS
        || nh == Ipv6.NEXT_FRAGMENT) {
      if (p + 8 > end) {
        icmp6.dropLength();
        return;
      }
      int extLen = nh == Ipv6.NEXT_FRAGMENT ? 8 : ((b[p + 1] & 0xff) + 1) * 8;
      if (nh == Ipv6.NEXT_FRAGMENT && (Bytes.u16(b, p + 2) & 0xfff8) != 0) {
        icmp6.dropProtocol();
        return;
      }
      nh = b[p] & 0xff;
      p += extLen;
    }
    if (p + 8 > end) {
      icmp6.dropLength();
      return;
    }
    int code = b[off + 1] & 0xff;
    IcmpErrorKind kind;
    int mtuHint = 0;
    switch (type) {
      case Icmp.V6_PACKET_TOO_BIG -> {
        kind = IcmpErrorKind.PACKET_TOO_BIG;
        mtuHint = Bytes.i32(b, off + 4);
      }
      case Icmp.V6_TIME_EXCEEDED -> kind = IcmpErrorKind.TIME_EXCEEDED;
      case Icmp.V6_DEST_UNREACHABLE ->
        kind = code == Icmp.V6_CODE_PORT_UNREACHABLE ? IcmpErrorKind.PORT_UNREACHABLE : IcmpErrorKind.HOST_UNREACHABLE;
      default -> kind = IcmpErrorKind.HOST_UNREACHABLE;
    }
    byte[] s = Arrays.copyOfRange(b, q + 8, q + 24);
    byte[] d = Arrays.copyOfRange(b, q + 24, q + 40);
    icmp6.delivered++;
    iface.dispatchIcmpError(true, nh, kind, s, d, b, p, end - p, mtuHint);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Neighbour discovery

  /** Link-layer address option of type {@code want} in NDP options {@code [p, end)}; -1 if absent, -2 if bad. */
  private static long ndLinkLayerOption(byte[] b, int p, int end, int want) {
    long found = -1;
    while (p < end) {
      if (p + 2 > end) {
        return -2;
      }
      int optLen = (b[p + 1] & 0xff) * 8;
      if (optLen == 0 || p + optLen > end) {
        return -2;
      }
      if ((b[p] & 0xff) == want && optLen >= 8) {
        found = Bytes.u48(b, p + 2);
      }
      p += optLen;
    }
    return found;
  }

  private void neighborSolicitation(byte[] src, byte[] dst, byte[] b, int off, int len, int hopLimit) {
    if (hopLimit != 255 || b[off + 1] != 0 || len < 24 || Ipv6.isMulticast(b, off + 8)) {
      nd.dropProtocol();
      return;
    }
    long slla = ndLinkLayerOption(b, off + 24, off + len, Icmp.ND_OPT_SOURCE_LL);
    boolean fromUnspecified = Ipv6.isUnspecified(src, 0);
    if (slla == -2 || (fromUnspecified && (slla >= 0 || !Ipv6.isMulticast(dst, 0)))) {
      nd.dropProtocol();
      return;
    }
    if (slla >= 0 && MacAddress.isMulticast(slla)) {
      nd.dropProtocol();
      return;
    }
    int idx = routing.ownV6Index(b, off + 8);
    if (idx < 0) {
      nd.dropNotForUs();
      return;
    }
    byte[] target = routing.ipv6Address(idx);
    nd.delivered++;
    if (fromUnspecified) {
      // Someone runs duplicate address detection for our address: defend it.
      sendNeighborAdvertisement(Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES, 0), target, Ipv6.ALL_NODES, target,
          Icmp.NA_FLAG_OVERRIDE);
      return;
    }
    long replyMac = slla >= 0 ? slla : iface.currentFrameSource;
    if (slla >= 0) {
      iface.neighbors.learn(true, src, slla, true);
    }
    sendNeighborAdvertisement(replyMac, target, src.clone(), target,
        Icmp.NA_FLAG_SOLICITED | Icmp.NA_FLAG_OVERRIDE);
  }

  private void neighborAdvertisement(byte[] dst, byte[] b, int off, int len, boolean group, int hopLimit) {
    if (hopLimit != 255 || b[off + 1] != 0 || len < 24 || Ipv6.isMulticast(b, off + 8)) {
      nd.dropProtocol();
      return;
    }
    int flags = b[off + 4] & 0xff;
    if (group && (flags & Icmp.NA_FLAG_SOLICITED) != 0) {
      nd.dropProtocol();
      return;
    }
    long tlla = ndLinkLayerOption(b, off + 24, off + len, Icmp.ND_OPT_TARGET_LL);
    if (tlla == -2 || (tlla >= 0 && MacAddress.isMulticast(tlla))) {
      nd.dropProtocol();
      return;
    }
    if (routing.ownV6Index(b, off + 8) >= 0) {
      // Another node advertises one of our addresses: a duplicate. Counted, the address is kept.
      nd.dropProtocol();
      return;
    }
    byte[] target = Arrays.copyOfRange(b, off + 8, off + 24);
    long neighborMac = tlla >= 0 ? tlla : iface.currentFrameSource;
    if (iface.neighbors.learn(true, target, neighborMac, false)) {
      nd.delivered++;
    } else {
      nd.dropNotForUs();
    }
  }

  /** Sends a neighbour solicitation for {@code target} to its solicited-node group. */
  void sendNeighborSolicitation(byte[] src, byte[] target, boolean withSourceLinkLayer) {
    byte[] m = new byte[withSourceLinkLayer ? 32 : 24];
    m[0] = (byte) Icmp.V6_NEIGHBOR_SOLICITATION;
    System.arraycopy(target, 0, m, 8, 16);
    if (withSourceLinkLayer) {
      m[24] = Icmp.ND_OPT_SOURCE_LL;
      m[25] = 1;
      Bytes.put48(m, 26, iface.mac);
    }
    byte[] group = Ipv6.solicitedNode(target, 0);
    NetworkInterface.fillIcmpChecksum(true, src, group, m, 0, m.length);
    nd.sent++;
    transmit(Ethernet.ipv6MulticastMac(group, 0), src, group, NetworkInterface.ICMPV6_PROTOCOL, 255, m, 0,
        m.length);
  }

  void sendNeighborAdvertisement(long ethDst, byte[] src, byte[] dst, byte[] target, int flags) {
    byte[] m = new byte[32];
    m[0] = (byte) Icmp.V6_NEIGHBOR_ADVERTISEMENT;
    m[4] = (byte) flags;
    System.arraycopy(target, 0, m, 8, 16);
    m[24] = Icmp.ND_OPT_TARGET_LL;
    m[25] = 1;
    Bytes.put48(m, 26, iface.mac);
    NetworkInterface.fillIcmpChecksum(true, src, dst, m, 0, m.length);
    nd.sent++;
    transmit(ethDst, src, dst, NetworkInterface.ICMPV6_PROTOCOL, 255, m, 0, m.length);
  }
}
