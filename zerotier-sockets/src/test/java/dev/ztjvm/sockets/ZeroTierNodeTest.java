package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.sockets.dns.DnsMessage;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.DatagramPacket;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Nodes of one in-process private ZeroTier ({@link LocalZeroTier}) over loopback UDP, IPv4 and IPv6. */
@ExtendWith(LocalZeroTierExtension.class)
class ZeroTierNodeTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  @TempDir Path tmp;

  private static boolean lifecycle(ZeroTierEvent e) {
    return !(e instanceof ZeroTierEvent.PeerDirect || e instanceof ZeroTierEvent.PeerRelay
        || e instanceof ZeroTierEvent.PeerPathDiscovered || e instanceof ZeroTierEvent.PeerPathDead
        || e instanceof ZeroTierEvent.StoreIdentity || e instanceof ZeroTierEvent.StorePlanet
        || e instanceof ZeroTierEvent.NetworkUpdate || e instanceof ZeroTierEvent.AddressAdded
        || e instanceof ZeroTierEvent.NetworkRequestingConfig || e instanceof ZeroTierEvent.RouteAdded
        || e instanceof ZeroTierEvent.RouteRemoved);
  }

  @Test
  void eventSequenceStartOnlineJoinDeniedAuthorizedReadyLeaveStop() throws Exception {
    long nwid = zt.createPrivateNetwork("events", "10.147.20.0/24", "10.147.20.10", "10.147.20.20", true);
    EventRecorder rec = new EventRecorder();
    ZeroTierNode node = zt.nodeBuilder().listener(rec).build();
    try {
      node.start();
      node.awaitOnline(WAIT);
      assertThat(node.isOnline()).isTrue();
      node.join(nwid);
      ZeroTierEvent denied = rec.await(e -> e instanceof ZeroTierEvent.NetworkAccessDenied, "access denied");
      NetworkDetails d = ((ZeroTierEvent.NetworkAccessDenied) denied).network();
      assertThat(d.status()).isEqualTo(NetworkStatus.ACCESS_DENIED);
      assertThat(d.reason()).contains(node.nodeIdString());
      assertThatThrownBy(() -> node.awaitNetworkReady(nwid, Duration.ofMillis(300)))
          .isInstanceOf(TimeoutException.class).hasMessageContaining("ACCESS_DENIED");

      zt.authorize(nwid, node.nodeId());
      NetworkDetails ready = node.awaitNetworkReady(nwid, WAIT);
      rec.await(e -> e instanceof ZeroTierEvent.NetworkReadyIpv6, "ready v6");
      assertThat(ready.status()).isEqualTo(NetworkStatus.OK);
      assertThat(ready.transportReady()).isTrue();
      assertThat(ready.ipv4()).get().satisfies(a -> assertThat(a.getHostAddress()).startsWith("10.147.20."));
      assertThat(ready.ipv6()).contains(ZeroTierAddresses.rfc4193(nwid, node.nodeId()));
      assertThat(ready.name()).isEqualTo("events");
      assertThat(ready.isPrivate()).isTrue();
      assertThat(ready.macString()).hasSize(17);
      assertThat(node.network(nwid)).isNotNull();
      assertThat(rec.events).anySatisfy(e -> assertThat(e).isInstanceOf(ZeroTierEvent.AddressAdded.class));

      assertThat(node.leave(nwid)).isTrue();
      rec.await(e -> e instanceof ZeroTierEvent.NetworkDown, "network down");
      assertThat(node.network(nwid)).isNull();
    } finally {
      node.stop();
    }
    node.stop(); // idempotent
    assertThat(rec.events.get(rec.events.size() - 1)).isInstanceOf(ZeroTierEvent.NodeDown.class);
    assertThat(rec.types(ZeroTierNodeTest::lifecycle)).containsExactly(
        ZeroTierEvent.NodeUp.class,
        ZeroTierEvent.NodeOnline.class,
        ZeroTierEvent.NetworkAccessDenied.class,
        ZeroTierEvent.NetworkOk.class,
        ZeroTierEvent.NetworkReadyIpv4.class,
        ZeroTierEvent.NetworkReadyIpv6.class,
        ZeroTierEvent.NetworkDown.class,
        ZeroTierEvent.NodeDown.class);
    assertThat(rec.events).anySatisfy(e -> assertThat(e).isInstanceOf(ZeroTierEvent.StoreIdentity.class));
    assertThat(rec.events.get(0).code()).isEqualTo(200);
    assertThat(node.droppedEvents()).isZero();
  }

  @Test
  void twoNodesTalkTcpUdpPingAndDnsOverIpv4AndIpv6() throws Exception {
    long nwid = zt.createPrivateNetwork("pair", "10.147.21.0/24", "10.147.21.10", "10.147.21.20", true);
    EventRecorder recA = new EventRecorder();
    try (ZeroTierNode a = zt.nodeBuilder().listener(recA).build(); ZeroTierNode b = zt.nodeBuilder().build()) {
      a.start();
      b.start();
      assertThat(a.nodeId()).isNotEqualTo(b.nodeId());
      a.join(nwid);
      b.join(nwid);
      waitUntil(() -> zt.members(nwid).contains(a.nodeId()) && zt.members(nwid).contains(b.nodeId()));
      zt.authorize(nwid, a.nodeId());
      zt.authorize(nwid, b.nodeId());
      NetworkDetails na = a.awaitNetworkReady(nwid, WAIT);
      NetworkDetails nb = b.awaitNetworkReady(nwid, WAIT);
      waitUntil(() -> b.network(nwid).ipv6().isPresent() && a.network(nwid).ipv6().isPresent());
      InetAddress b4 = nb.ipv4().orElseThrow();
      InetAddress b6 = b.network(nwid).ipv6().orElseThrow();
      assertThat(b4).isInstanceOf(Inet4Address.class);
      assertThat(b6).isInstanceOf(Inet6Address.class);

      // TCP echo, IPv4 and IPv6; the server knows which node called
      try (ZeroTierServerSocket server = b.newServerSocket(7000)) {
        Thread t = new Thread(() -> {
          for (int i = 0; i < 2; i++) {
            try (ZeroTierSocket s = server.accept()) {
              assertThat(s.remoteNode()).hasValue(a.nodeId());
              DataInputStream in = new DataInputStream(s.getInputStream());
              DataOutputStream out = new DataOutputStream(s.getOutputStream());
              out.writeUTF("echo:" + in.readUTF());
              out.flush();
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          }
        });
        t.start();
        for (InetAddress target : List.of(b4, b6)) {
          try (Socket s = a.socketFactory().createSocket()) {
            s.connect(new InetSocketAddress(target, 7000), 10_000);
            new DataOutputStream(s.getOutputStream()).writeUTF("hi " + target.getHostAddress());
            assertThat(new DataInputStream(s.getInputStream()).readUTF())
                .isEqualTo("echo:hi " + target.getHostAddress());
          }
        }
        t.join(10_000);
      }

      // UDP, and a tiny DNS responder on B answering A for "db.lab"
      try (ZeroTierDatagramSocket dns = b.newDatagramSocket(53)) {
        DnsResponder.start(dns, query -> answer(query, b4));
        zt.setDns(nwid, "lab", List.of(b4));
        waitUntil(() -> !a.dnsServers().isEmpty());
        assertThat(a.dnsServers()).containsExactly(new InetSocketAddress(b4, 53));
        assertThat(a.network(nwid).dnsDomain()).isEqualTo("lab");
        List<InetAddress> resolved = a.resolve("db.lab", Duration.ofSeconds(2));
        assertThat(resolved).containsExactly(b4);
      }

      try (ZeroTierDatagramSocket ub = b.newDatagramSocket(9000); ZeroTierDatagramSocket ua = a.newDatagramSocket(0)) {
        ub.setSoTimeout(10_000);
        byte[] msg = "datagram".getBytes(StandardCharsets.UTF_8);
        DatagramPacket got = new DatagramPacket(new byte[100], 100);
        for (int i = 0; i < 20; i++) {
          ua.send(new DatagramPacket(msg, msg.length, new InetSocketAddress(b4, 9000)));
          ub.setSoTimeout(500);
          try {
            ub.receive(got);
            break;
          } catch (java.net.SocketTimeoutException e) {
            // first datagrams can be lost while ARP resolves: retry like any UDP client
          }
        }
        assertThat(new String(got.getData(), 0, got.getLength(), StandardCharsets.UTF_8)).isEqualTo("datagram");
        assertThat(((InetSocketAddress) got.getSocketAddress()).getAddress()).isEqualTo(na.ipv4().orElseThrow());
      }

      Duration rtt4 = a.ping(b4, Duration.ofSeconds(5));
      Duration rtt6 = a.ping(b6, Duration.ofSeconds(5));
      assertThat(rtt4).isPositive();
      assertThat(rtt6).isPositive();

      // peers: each sees the other and the root
      waitUntil(() -> a.peer(b.nodeId()) != null);
      assertThat(a.peers()).extracting(PeerDetails::role).contains(dev.ztjvm.node.PeerInfo.Role.PLANET);
      // traffic went direct: a reported b as a direct peer (libzt's PEER_DIRECT) with its path
      ZeroTierEvent direct = recA.await(e -> e instanceof ZeroTierEvent.PeerDirect p && p.peer().address() == b
          .nodeId(),
          "peer direct for b");
      assertThat(((ZeroTierEvent.PeerDirect) direct).peer().paths()).isNotEmpty();
      assertThat(a.peer(b.nodeId()).role()).isEqualTo(dev.ztjvm.node.PeerInfo.Role.LEAF);
    }
  }

  @Test
  void adHocNetworkNeedsNoControllerAndUses6Plane() throws Exception {
    long nwid = ZeroTierAddresses.adHocNetworkId(7000, 7100);
    try (ZeroTierNode a = zt.nodeBuilder().build(); ZeroTierNode b = zt.nodeBuilder().build()) {
      a.start();
      b.start();
      NetworkDetails da = a.awaitNetworkReady(nwid, WAIT);
      NetworkDetails db = b.awaitNetworkReady(nwid, WAIT);
      assertThat(da.isPrivate()).isFalse();
      assertThat(db.ipv6()).contains(ZeroTierAddresses.sixPlane(nwid, b.nodeId()));
      assertThat(a.ping(ZeroTierAddresses.sixPlane(nwid, b.nodeId()), Duration.ofSeconds(5))).isPositive();
    }
  }

  @Test
  void configChangesAreAppliedToTheStackAndReported() throws Exception {
    long nwid = zt.createPublicNetwork("changes", "10.147.23.0/24", "10.147.23.10", "10.147.23.20", false);
    EventRecorder rec = new EventRecorder();
    try (ZeroTierNode n = zt.nodeBuilder().listener(rec).build()) {
      n.start();
      InetAddress first = n.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      InetAddress fixed = InetAddress.getByName("10.147.23.99");
      zt.database().updateMember(nwid, n.nodeId(), m -> m.ipAssignments(List.of(fixed)));
      zt.database().updateNetwork(nwid, e -> e.name("changed")
          .addRoute(dev.ztjvm.vl2.IpPrefix.parse("10.99.0.0/16"), fixed));
      n.refresh(nwid);
      rec.await(e -> e instanceof ZeroTierEvent.NetworkUpdate u && u.network().name().equals("changed")
          && u.network().ipv4().orElseThrow().equals(fixed), "update with the new address and name");
      rec.await(e -> e instanceof ZeroTierEvent.AddressRemoved r && r.address().equals(first), "old address removed");
      rec.await(e -> e instanceof ZeroTierEvent.AddressAdded a && a.address().equals(fixed), "new address added");
      // the in-JVM interface holds exactly the new address and the gateway route
      dev.ztjvm.sockets.NetstackHost host = n.netstack();
      List<dev.ztjvm.netstack.AssignedAddress> addrs = host.call(() -> host.interfaces().get(0).addresses());
      assertThat(addrs).extracting(dev.ztjvm.netstack.AssignedAddress::address).contains(fixed).doesNotContain(first);
      List<dev.ztjvm.netstack.Route> routes = host.call(() -> host.interfaces().get(0).routes());
      assertThat(routes).contains(new dev.ztjvm.netstack.Route(InetAddress.getByName("10.99.0.0"), 16, fixed));
      assertThat(n.network(nwid).routes()).hasSize(2);
      // libzt's route events: the on-link route came with the first config, the gateway route with the update
      dev.ztjvm.vl2.IpPrefix gatewayTarget = dev.ztjvm.vl2.IpPrefix.parse("10.99.0.0/16");
      rec.await(e -> e instanceof ZeroTierEvent.RouteAdded r && r.networkId() == nwid
          && r.route().target().equals(dev.ztjvm.vl2.IpPrefix.parse("10.147.23.0/24")), "on-link route added");
      ZeroTierEvent added = rec.await(e -> e instanceof ZeroTierEvent.RouteAdded r
          && r.route().target().equals(gatewayTarget), "gateway route added");
      assertThat(added.code()).isEqualTo(250);
      zt.database().updateNetwork(nwid, e -> e.clearRoutes()
          .addRoute(dev.ztjvm.vl2.IpPrefix.parse("10.147.23.0/24"), null));
      n.refresh(nwid);
      ZeroTierEvent removed = rec.await(e -> e instanceof ZeroTierEvent.RouteRemoved r
          && r.route().target().equals(gatewayTarget), "gateway route removed");
      assertThat(removed.code()).isEqualTo(251);
      waitUntil(() -> !host.call(() -> host.interfaces().get(0).routes())
          .contains(new dev.ztjvm.netstack.Route(InetAddress.getByName("10.99.0.0"), 16, fixed)));
      assertThat(rec.events).filteredOn(e -> e instanceof ZeroTierEvent.RouteRemoved).hasSize(1);
    }
  }

  @Test
  void theStackUsesTheNetworksMtu() throws Exception {
    long nwid = zt.createPublicNetwork("mtu", "10.147.24.0/24", "10.147.24.10", "10.147.24.20", false);
    zt.database().updateNetwork(nwid, e -> e.mtu(1400));
    try (ZeroTierNode n = zt.nodeBuilder().build()) {
      n.start();
      assertThat(n.awaitNetworkReady(nwid, WAIT).mtu()).isEqualTo(1400);
      dev.ztjvm.sockets.NetstackHost host = n.netstack();
      assertThat(host.interfaces()).hasSize(1);
      assertThat(host.call(() -> host.interfaces().get(0).mtu())).isEqualTo(1400);
    }
  }

  @Test
  void anMtuChangeAfterTheFirstConfigAppliesToTheLiveStackAndOpenConnections() throws Exception {
    long nwid = zt.createPublicNetwork("mtu2", "10.147.25.0/24", "10.147.25.10", "10.147.25.20", false);
    try (ZeroTierNode a = zt.nodeBuilder().build(); ZeroTierNode b = zt.nodeBuilder().build()) {
      a.start();
      b.start();
      a.awaitNetworkReady(nwid, WAIT);
      InetAddress b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      try (ZeroTierServerSocket server = b.newServerSocket(7300); ZeroTierSocket c = a.newSocket()) {
        c.connect(new InetSocketAddress(b4, 7300), 10_000);
        try (ZeroTierSocket s = server.accept()) {
          byte[] block = new byte[256 * 1024];
          c.getOutputStream().write(block); // full-size (2800) segments first
          new DataInputStream(s.getInputStream()).readFully(new byte[block.length]);

          zt.database().updateNetwork(nwid, e -> e.mtu(1400));
          a.refresh(nwid);
          b.refresh(nwid);
          waitUntil(() -> a.network(nwid).mtu() == 1400 && b.network(nwid).mtu() == 1400);
          for (ZeroTierNode n : List.of(a, b)) {
            dev.ztjvm.sockets.NetstackHost host = n.netstack();
            waitUntil(() -> host.call(() -> host.interfaces().get(0).mtu()) == 1400);
          }
          NodeStatistics before = b.statistics();
          long sentBefore = a.statistics().network(nwid).stack().ipv4().sent();
          c.getOutputStream().write(block); // the open connection now sends segments that fit 1400
          new DataInputStream(s.getInputStream()).readFully(new byte[block.length]);
          NodeStatistics after = b.statistics();
          long sent = a.statistics().network(nwid).stack().ipv4().sent() - sentBefore;
          assertThat(sent).isGreaterThanOrEqualTo(block.length / 1400);
          // no IP fragments: the connection lowered its MSS instead of relying on fragmentation
          assertThat(after.network(nwid).stack().ipv4Reassembly().received())
              .isEqualTo(before.network(nwid).stack().ipv4Reassembly().received());
        }
      }
    }
  }

  @Test
  void restartWithSameStorageKeepsIdentityAndRejoins() throws Exception {
    long nwid = zt.createPublicNetwork("restart", "10.147.22.0/24", "10.147.22.10", "10.147.22.20", false);
    Path home = tmp.resolve("node");
    long id;
    InetAddress first;
    try (ZeroTierNode n = zt.nodeBuilder().storage(home).build()) {
      n.start();
      first = n.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      id = n.nodeId();
    }
    assertThat(home.resolve("identity.secret")).exists();
    assertThat(home.resolve("peers.d").resolve(String.format("%010x.peer", zt.controllerId()))).exists();
    // a new ZeroTierNode object on the same storage: same identity, the network comes back from networks.d
    EventRecorder rec = new EventRecorder();
    try (ZeroTierNode n = zt.nodeBuilder().storage(home).listener(rec).build()) {
      n.start();
      assertThat(n.nodeId()).isEqualTo(id);
      rec.await(e -> e instanceof ZeroTierEvent.NetworkReadyIpv4 r && r.network().networkId() == nwid, "rejoined");
      assertThat(n.network(nwid).ipv4()).contains(first);
      // and the same object restarts in the same JVM
      n.stop();
      assertThat(n.isRunning()).isFalse();
      n.start();
      assertThat(n.awaitNetworkReady(nwid, WAIT).ipv4()).contains(first);
      assertThat(n.nodeId()).isEqualTo(id);
    }
  }

  @Test
  void identityFromMemoryIsUsedAndSecretOnlyByExplicitCall() throws Exception {
    ZeroTierNode first = zt.nodeBuilder().build();
    String secret = first.exportSecretIdentity();
    ZeroTierNode copy = zt.nodeBuilder().identity(secret).build();
    assertThat(copy.nodeId()).isEqualTo(first.nodeId());
    assertThat(copy.publicIdentity()).isEqualTo(first.publicIdentity()).doesNotContain(secret.substring(
        secret.lastIndexOf(':')));
    assertThat(ZeroTierNode.builder().identity(secret.getBytes(StandardCharsets.UTF_8)).build().nodeId())
        .isEqualTo(first.nodeId());
  }

  @Test
  void badOptionsNameTheOptionAndTheFix() {
    assertThatThrownBy(() -> ZeroTierNode.builder().port(70000)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'port'");
    assertThatThrownBy(() -> ZeroTierNode.builder().randomPortRange(5000, 4000))
        .hasMessageContaining("'randomPortRange'");
    assertThatThrownBy(() -> ZeroTierNode.builder().identity("not an identity")).hasMessageContaining("'identity'");
    ZeroTierNode n = zt.nodeBuilder().build();
    String pub = n.publicIdentity();
    assertThatThrownBy(() -> ZeroTierNode.builder().identity(pub)).hasMessageContaining("private key");
    assertThatThrownBy(() -> ZeroTierNode.builder().planet(new byte[] {1, 2, 3})).hasMessageContaining("'planet'");
    assertThatThrownBy(() -> ZeroTierNode.builder().planetResource("nope/missing.planet"))
        .hasMessageContaining("not found");
    assertThatThrownBy(() -> ZeroTierNode.builder().bindAddress(InetAddress.getLoopbackAddress()).build())
        .hasMessageContaining("allowLoopbackPaths");
    assertThatThrownBy(() -> ZeroTierNode.builder().blockPhysicalPrefix("eth0"))
        .hasMessageContaining("'blockPhysicalPrefix'");
    assertThatThrownBy(n::newSocket).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
  }

  /** The responder side of the DNS test: echoes the question with one A record. */
  static byte[] answer(byte[] query, InetAddress a) {
    int qEnd = 12;
    while (query[qEnd] != 0) {
      qEnd += 1 + (query[qEnd] & 0xff);
    }
    qEnd += 5;
    int type = ((query[qEnd - 4] & 0xff) << 8) | (query[qEnd - 3] & 0xff);
    boolean match = type == DnsMessage.TYPE_A;
    byte[] r = java.util.Arrays.copyOf(query, qEnd + (match ? 16 : 0));
    r[2] = (byte) 0x81;
    r[3] = (byte) 0x80;
    r[7] = (byte) (match ? 1 : 0);
    if (match) {
      int o = qEnd;
      r[o++] = (byte) 0xc0; // pointer to the question name
      r[o++] = 12;
      r[o++] = 0;
      r[o++] = 1; // A
      r[o++] = 0;
      r[o++] = 1; // IN
      o += 3;
      r[o++] = 60; // TTL
      r[o++] = 0;
      r[o++] = 4;
      System.arraycopy(a.getAddress(), 0, r, o, 4);
    }
    return r;
  }

  static void waitUntil(Waits.Check c) throws Exception {
    Waits.until(WAIT, c);
  }
}
