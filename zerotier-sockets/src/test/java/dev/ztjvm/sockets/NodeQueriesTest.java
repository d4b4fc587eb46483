package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.node.PathInfo;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.vl2.MulticastGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The query side of {@link ZeroTierNode} between two real nodes: peer details (version, latency, paths), network
 * details (broadcast, multicast subscriptions), a configured DNS server used by {@code resolve}, and socket options
 * read back as set.
 */
@ExtendWith(LocalZeroTierExtension.class)
class NodeQueriesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final int DNS_PORT = 5353;
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension
  private static long nwid;
  private static ZeroTierNode a;
  private static ZeroTierNode b;
  private static InetAddress a4;
  private static InetAddress b4;

  @BeforeAll
  static void start() throws Exception {
    nwid = zt.createPublicNetwork("queries", "10.147.62.0/24", "10.147.62.10", "10.147.62.20", true);
    a = zt.nodeBuilder().build().start();
    a4 = a.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
    // B asks A's address for names, whatever the controller pushes (it pushes nothing here).
    b = zt.nodeBuilder().dnsServer(a4, DNS_PORT).build().start();
    b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
  }

  @AfterAll
  static void stop() {
    LocalZeroTierExtension.closeQuietly(b, a);
  }

  /** Some TCP traffic from B to A so that the two nodes talk directly. */
  private static void exchange() throws Exception {
    try (ZeroTierServerSocket server = a.newServerSocket(7300)) {
      CompletableFuture<Integer> echo = CompletableFuture.supplyAsync(() -> {
        try (ZeroTierSocket s = server.accept()) {
          byte[] got = s.getInputStream().readNBytes(10_000);
          s.getOutputStream().write(got);
          return got.length;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (ZeroTierSocket s = (ZeroTierSocket) b.socketFactory().createSocket(a4, 7300)) {
        OutputStream out = s.getOutputStream();
        out.write(new byte[10_000]);
        out.flush();
        InputStream in = s.getInputStream();
        assertThat(in.readNBytes(10_000)).hasSize(10_000);
      }
      assertThat(echo.get(30, TimeUnit.SECONDS)).isEqualTo(10_000);
    }
  }

  @Test
  void peerDetailsCarryVersionLatencyAndALiveDirectPath() throws Exception {
    exchange();
    Waits.until(WAIT, () -> {
      PeerDetails p = b.peer(a.nodeId());
      return p != null && p.direct() && p.latencyMillis() >= 0 && !p.version().isEmpty();
    });
    PeerDetails pa = b.peer(a.nodeId());
    assertThat(pa.address()).isEqualTo(a.nodeId());
    assertThat(pa.addressString()).isEqualTo(a.nodeIdString());
    assertThat(pa.role()).isEqualTo(PeerInfo.Role.LEAF);
    assertThat(pa.version()).matches("\\d+\\.\\d+\\.\\d+");
    assertThat(pa.protocolVersion()).isGreaterThanOrEqualTo(9); // ZeroTier 1.x speaks protocol >= 9
    // Latency is a moving average of whole-millisecond round trips: over loopback it may be 0, never unknown (-1).
    assertThat(pa.latencyMillis()).isGreaterThanOrEqualTo(0.0);
    assertThat(pa.paths()).isNotEmpty();
    PathInfo preferred = pa.paths().get(0);
    assertThat(preferred.alive()).isTrue();
    assertThat(preferred.remote().getAddress().isLoopbackAddress()).isTrue();
    assertThat(pa.paths()).anySatisfy(path -> assertThat(path.remote().getPort()).isEqualTo(a.primaryPort()));
    assertThat(preferred.latencyMillis()).isEqualTo(pa.latencyMillis());

    // Times are ages in milliseconds (or -1 for "never sent"), not absolute clock values.
    for (PeerDetails peer : b.peers()) {
      for (PathInfo path : peer.paths()) {
        assertThat(path.sinceReceiveMillis()).as("%s", path).isBetween(0L, 600_000L);
        assertThat(path.sinceSendMillis()).as("%s", path).isBetween(-1L, 600_000L);
      }
    }

    // The root is listed too, with the planet role; A knows B back.
    assertThat(b.peers()).anySatisfy(p -> assertThat(p.role()).isEqualTo(PeerInfo.Role.PLANET))
        .anySatisfy(p -> assertThat(p.address()).isEqualTo(a.nodeId()));
    assertThat(a.peer(b.nodeId())).isNotNull().satisfies(p -> assertThat(p.direct()).isTrue());
  }

  @Test
  void networkDetailsShowBroadcastAndTheMulticastGroupsSubscribed() throws Exception {
    Waits.until(WAIT, () -> a.network(nwid).ipv6().isPresent());
    NetworkDetails d = a.network(nwid);
    assertThat(d.networkId()).isEqualTo(nwid);
    assertThat(d.broadcast()).isTrue(); // the controller's default: broadcast enabled
    assertThat(d.mtu()).isEqualTo(2800);
    assertThat(d.multicastSubscriptions())
        .contains(MulticastGroup.BROADCAST)
        .contains(MulticastGroup.forArpTarget((Inet4Address) a4));
    assertThat(d.addresses()).hasSize(2);
    assertThat(d.routes()).anySatisfy(r -> assertThat(r.toString()).contains("10.147.62.0"));
    assertThat(b.network(nwid).multicastSubscriptions())
        .contains(MulticastGroup.BROADCAST, MulticastGroup.forArpTarget((Inet4Address) b4));
  }

  @Test
  void configuredDnsServerIsTheOneResolveAsks() throws Exception {
    assertThat(b.dnsServers()).containsExactly(new InetSocketAddress(a4, DNS_PORT));
    InetAddress v6 = InetAddress.getByName("fd00::1234");
    try (ZeroTierDatagramSocket dns = a.newDatagramSocket(DNS_PORT)) {
      DnsResponder.start(dns, query -> DnsOverZeroTierTest.answer(query, b4, v6));
      List<InetAddress> got = b.resolve("db.lab", Duration.ofSeconds(5));
      assertThat(got).containsExactlyInAnyOrder(b4, v6);
    }
  }

  @Test
  void socketOptionsReadBackAsSet() throws Exception {
    try (ZeroTierSocket s = b.newSocket()) {
      s.setReceiveBufferSize(123_456);
      assertThat(s.getReceiveBufferSize()).isEqualTo(123_456);
      s.setOption(StandardSocketOptions.SO_RCVBUF, 65_536);
      assertThat(s.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(65_536);
      s.setSendBufferSize(200_000);
      assertThat(s.getSendBufferSize()).isEqualTo(200_000);
      s.setTrafficClass(0x28);
      assertThat(s.getTrafficClass()).isEqualTo(0x28);
    }
    try (ZeroTierServerSocket server = a.newServerSocket(0)) {
      server.setReceiveBufferSize(77_777);
      assertThat(server.getReceiveBufferSize()).isEqualTo(77_777);
    }
    try (ZeroTierDatagramSocket udp = b.newDatagramSocket(0)) {
      udp.setReceiveBufferSize(50_000);
      assertThat(udp.getReceiveBufferSize()).isEqualTo(50_000);
      udp.setOption(StandardSocketOptions.SO_RCVBUF, 40_000);
      assertThat(udp.getOption(StandardSocketOptions.SO_RCVBUF)).isEqualTo(40_000);
      udp.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 17);
      assertThat(udp.getOption(StandardSocketOptions.IP_MULTICAST_TTL)).isEqualTo(17);
      udp.setTrafficClass(0x10);
      assertThat(udp.getTrafficClass()).isEqualTo(0x10);
    }
  }
}
