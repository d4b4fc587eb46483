package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.icmp.Icmp;
import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ipv6.Ipv6;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.net.InetAddress;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class Ipv6Test {

  @Test
  void neighbourDiscoveryResolvesAndAnswers() throws Exception {
    TwoHosts h = new TwoHosts(LinkFaults.NONE.withDelay(2 * MS, 0), 1, c -> c);
    CompletableFuture<Long> p = h.a.ping(TwoHosts.B6, 32, h.now(), 5 * S);
    // First frame: NS to the solicited-node group of fd00::2 with our link-layer address.
    byte[] ns = h.frames.get(0);
    assertThat(Ethernet.destination(ns, 0)).isEqualTo(0x3333ff000002L);
    assertThat(ns[14 + 40] & 0xff).isEqualTo(Icmp.V6_NEIGHBOR_SOLICITATION);
    assertThat(Ipv6.hopLimit(ns, 14)).isEqualTo(255);
    assertThat(Bytes.equal(ns, 14 + 24, Ipv6.solicitedNode(TwoHosts.B6.getAddress(), 0), 0, 16)).isTrue();
    h.driver.runUntil(p::isDone, 5 * S);
    assertThat(p.get()).isEqualTo(8 * MS);
    assertThat(h.a.neighbor(TwoHosts.B6)).isEqualTo(TwoHosts.MAC_B);
    assertThat(h.b.neighbor(TwoHosts.A6)).isEqualTo(TwoHosts.MAC_A);
    byte[] na = h.frames.get(1);
    assertThat(na[14 + 40] & 0xff).isEqualTo(Icmp.V6_NEIGHBOR_ADVERTISEMENT);
    assertThat(na[14 + 44] & 0xff).isEqualTo(Icmp.NA_FLAG_SOLICITED | Icmp.NA_FLAG_OVERRIDE);
  }

  @Test
  void linkLocalAddressFromMacWorks() throws Exception {
    TwoHosts h = new TwoHosts();
    InetAddress bLinkLocal = Ipv6.toInetAddress(Ipv6.linkLocalFromMac(TwoHosts.MAC_B.value()));
    assertThat(bLinkLocal.getHostAddress()).startsWith("fe80:0:0:0:0:ff:fe00:b");
    CompletableFuture<Long> p = h.a.ping(bLinkLocal, 8, h.now(), S);
    h.driver.runUntil(p::isDone, S);
    assertThat(p.get()).isPositive();
    // The request came from A's link-local address.
    byte[] echo = h.frames.stream().filter(f -> f.length > 54 && (f[54] & 0xff) == Icmp.V6_ECHO_REQUEST)
        .findFirst().orElseThrow();
    assertThat(Ipv6.isLinkLocal(echo, 14 + 8)).isTrue();
  }

  @Test
  void fragmentsAreSentAndReassembled() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE.withReorder(0.5, MS), 9, c -> c.mtu(1280));
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    UdpSocket tx = h.a.udp().open();
    byte[] data = new byte[10_000];
    new Random(1).nextBytes(data);
    tx.send(data, 0, data.length, TwoHosts.B6, 4000);
    h.driver.runFor(100 * MS);
    assertThat(rx.receive().data()).isEqualTo(data);
    List<byte[]> v6 = h.framesOfType(Ethernet.TYPE_IPV6);
    long fragments = v6.stream().filter(f -> Ipv6.nextHeader(f, 14) == Ipv6.NEXT_FRAGMENT).count();
    assertThat(fragments).isEqualTo(9); // 10,008 bytes in 1,232-byte pieces
    assertThat(v6).allSatisfy(f -> assertThat(f.length - 14).isLessThanOrEqualTo(1280));
  }

  @Test
  void extensionHeadersAreSkipped() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    byte[] udp = Ipv4Test.udp(1, 4000, new byte[] {7, 7});
    // Hop-by-hop (PadN), routing (segments left 0), destination options (Pad1s), then UDP.
    byte[] ext = new byte[24 + udp.length];
    ext[0] = (byte) Ipv6.NEXT_ROUTING;
    ext[1] = 0;
    ext[2] = 1; // PadN
    ext[3] = 4;
    ext[8] = (byte) Ipv6.NEXT_DESTINATION_OPTIONS;
    ext[9] = 0;
    ext[16] = 17;
    ext[17] = 0;
    System.arraycopy(udp, 0, ext, 24, udp.length);
    byte[] f = ipv6Frame(TwoHosts.MAC_B.value(), TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(),
        Ipv6.NEXT_HOP_BY_HOP, 64, ext);
    fixUdp6(f, 54 + 24, udp.length);
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(rx.receive().data()).containsExactly(7, 7);

    // An unknown option whose action bits say "discard" drops the packet.
    f[54 + 18] = (byte) 0x45;
    f[54 + 19] = 4;
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(rx.receive()).isNull();
    assertThat(h.b.statistics().ipv6().protocolErrors()).isEqualTo(1);
  }

  @Test
  void atomicFragmentIsProcessedDirectly() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    byte[] udp = Ipv4Test.udp(1, 4000, new byte[] {3});
    byte[] p = new byte[8 + udp.length];
    p[0] = 17;
    Bytes.put32(p, 4, 99);
    System.arraycopy(udp, 0, p, 8, udp.length);
    byte[] f = ipv6Frame(TwoHosts.MAC_B.value(), TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(),
        Ipv6.NEXT_FRAGMENT, 64, p);
    fixUdp6(f, 62, udp.length);
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(rx.receive().data()).containsExactly(3);
  }

  @Test
  void duplicateAddressDetectionProbeIsDefended() {
    TwoHosts h = new TwoHosts();
    byte[] m = new byte[24];
    m[0] = (byte) Icmp.V6_NEIGHBOR_SOLICITATION;
    System.arraycopy(TwoHosts.B6.getAddress(), 0, m, 8, 16);
    byte[] group = Ipv6.solicitedNode(TwoHosts.B6.getAddress(), 0);
    long sum = InternetChecksum.pseudoHeader(Ipv6.UNSPECIFIED, group, 58, m.length);
    Bytes.put16(m, 2, InternetChecksum.finish(InternetChecksum.add(sum, m, 0, m.length)));
    byte[] f = ipv6Frame(Ethernet.ipv6MulticastMac(group, 0), Ipv6.UNSPECIFIED, group, 58, 255, m);
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.frames).hasSize(1);
    byte[] na = h.frames.get(0);
    assertThat(na[54] & 0xff).isEqualTo(Icmp.V6_NEIGHBOR_ADVERTISEMENT);
    assertThat(Bytes.equal(na, 14 + 24, Ipv6.ALL_NODES, 0, 16)).isTrue();
    // Hop limit other than 255 (off-link forgery) is refused.
    h.frames.clear();
    f[14 + 7] = 64;
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.frames).isEmpty();
  }

  @Test
  void zeroTierAddressDerivations() {
    long nwid = 0x8056c2e21c000001L;
    long node = 0x89e92ceee5L;
    assertThat(Ipv6.toInetAddress(Ipv6.zeroTierRfc4193(nwid, node)).getHostAddress())
        .isEqualTo("fd80:56c2:e21c:0:199:9389:e92c:eee5");
    assertThat(Ipv6.toInetAddress(Ipv6.zeroTier6Plane(nwid, node)).getHostAddress())
        .isEqualTo("fc9c:56c2:e389:e92c:eee5:0:0:1");
  }

  @Test
  void rfc4193AndSixPlaneAddressesWorkOnTheLink() throws Exception {
    TwoHosts h = new TwoHosts();
    long nwid = 0x8056c2e21c000001L;
    InetAddress a = Ipv6.toInetAddress(Ipv6.zeroTier6Plane(nwid, 0x1111111111L));
    InetAddress b = Ipv6.toInetAddress(Ipv6.zeroTier6Plane(nwid, 0x2222222222L));
    h.a.addAddress(a, 40);
    h.b.addAddress(b, 40);
    InetAddress b2 = Ipv6.toInetAddress(Ipv6.zeroTierRfc4193(nwid, 0x2222222222L));
    h.a.addAddress(Ipv6.toInetAddress(Ipv6.zeroTierRfc4193(nwid, 0x1111111111L)), 88);
    h.b.addAddress(b2, 88);
    CompletableFuture<Long> p1 = h.a.ping(b, 8, h.now(), S);
    CompletableFuture<Long> p2 = h.a.ping(b2, 8, h.now(), S);
    h.driver.runUntil(() -> p1.isDone() && p2.isDone(), S);
    assertThat(p1.get()).isPositive();
    assertThat(p2.get()).isPositive();
  }

  @Test
  void routineMldAndRouterMessagesAreIgnoredNotErrors() {
    TwoHosts h = new TwoHosts();
    byte[] allNodes = TwoHosts.ip("ff02::1").getAddress();
    byte[] linkLocalA = Ipv6.linkLocalFromMac(TwoHosts.MAC_A.value());
    int[] types = {Icmp.V6_MLD_QUERY, Icmp.V6_MLD_REPORT, Icmp.V6_MLD_DONE, Icmp.V6_MLD2_REPORT,
        Icmp.V6_ROUTER_SOLICITATION, Icmp.V6_ROUTER_ADVERTISEMENT, 200};
    NetstackStatistics before = h.b.statistics();
    int framesBefore = h.frames.size();
    for (int type : types) {
      // MLD is sent with hop limit 1 behind a Hop-by-Hop header carrying the Router Alert option, as Linux does
      byte[] m = new byte[28];
      m[0] = (byte) type;
      long sum = InternetChecksum.pseudoHeader(linkLocalA, allNodes, 58, m.length);
      Bytes.put16(m, 2, InternetChecksum.finish(InternetChecksum.add(sum, m, 0, m.length)));
      byte[] p = new byte[8 + m.length];
      p[0] = 58;
      p[2] = 5; // Router Alert
      p[3] = 2;
      p[6] = 1; // PadN filling the header to 8 bytes
      System.arraycopy(m, 0, p, 8, m.length);
      boolean mld = type < 133 || type == Icmp.V6_MLD2_REPORT;
      byte[] f = mld
          ? ipv6Frame(Ethernet.ipv6MulticastMac(allNodes, 0), linkLocalA, allNodes, Ipv6.NEXT_HOP_BY_HOP, 1, p)
          : ipv6Frame(Ethernet.ipv6MulticastMac(allNodes, 0), linkLocalA, allNodes, 58, 255, m);
      h.b.receiveFrame(f, 0, f.length, h.now());
    }
    NetstackStatistics s = h.b.statistics();
    assertThat(s.ipv6().dropped()).isEqualTo(before.ipv6().dropped());
    assertThat(s.icmpv6().received() - before.icmpv6().received()).isEqualTo(5);
    assertThat(s.icmpv6().dropped()).isEqualTo(before.icmpv6().dropped());
    assertThat(s.icmpv6().protocolErrors()).isZero();
    // four MLD types and the unknown informational type 200
    assertThat(s.icmpv6().ignored() - before.icmpv6().ignored()).isEqualTo(5);
    assertThat(s.neighborDiscovery().dropped()).isEqualTo(before.neighborDiscovery().dropped());
    assertThat(s.neighborDiscovery().ignored() - before.neighborDiscovery().ignored()).isEqualTo(2);
    assertThat(h.frames).hasSize(framesBefore); // nothing answered

    // an unknown error type (below 128) is still a protocol error
    byte[] m = new byte[8 + 48];
    m[0] = 99;
    long sum = InternetChecksum.pseudoHeader(TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(), 58, m.length);
    Bytes.put16(m, 2, InternetChecksum.finish(InternetChecksum.add(sum, m, 0, m.length)));
    byte[] f = ipv6Frame(TwoHosts.MAC_B.value(), TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(), 58, 64, m);
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.b.statistics().icmpv6().protocolErrors()).isEqualTo(1);
  }

  // ---- helpers

  static byte[] ipv6Frame(long dstMac, byte[] src, byte[] dst, int nextHeader, int hopLimit, byte[] payload) {
    byte[] f = new byte[54 + payload.length];
    Ethernet.writeHeader(f, 0, dstMac, TwoHosts.MAC_A.value(), Ethernet.TYPE_IPV6);
    Ipv6.writeHeader(f, 14, payload.length, nextHeader, hopLimit, src, dst);
    System.arraycopy(payload, 0, f, 54, payload.length);
    if (nextHeader == 17 && payload.length >= 8) {
      fixUdp6(f, 54, payload.length);
    }
    return f;
  }

  /** Recomputes the checksum of a UDP header at {@code off} in an IPv6 frame (addresses from the IPv6 header). */
  static void fixUdp6(byte[] f, int off, int len) {
    byte[] src = java.util.Arrays.copyOfRange(f, 22, 38);
    byte[] dst = java.util.Arrays.copyOfRange(f, 38, 54);
    f[off + 6] = 0;
    f[off + 7] = 0;
    long sum = InternetChecksum.pseudoHeader(src, dst, 17, len);
    int c = InternetChecksum.finish(InternetChecksum.add(sum, f, off, len));
    Bytes.put16(f, off + 6, c == 0 ? 0xffff : c);
  }
}
