package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.node.PathInfo;
import dev.ztjvm.underlay.Prefix;
import dev.ztjvm.underlay.TcpRelayClient;
import dev.ztjvm.underlay.TcpRelayServer;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Nodes that reach ZeroTier only through a TCP relay ({@link TcpRelayServer}, wire-compatible with ZeroTier One's
 * {@code tcp-proxy}), talking to a node on plain UDP, all on loopback with the in-process root and controller.
 */
class TcpRelayEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private static LocalZeroTier zt;
  private static TcpRelayServer relay;

  @BeforeAll
  static void start() throws Exception {
    zt = LocalZeroTier.start();
    relay = TcpRelayServer.start(new InetSocketAddress(LO, 0), LO, // the lab's root and peers are on loopback
        TcpRelayServer.Options.DEFAULTS.allowDestinations(List.of(Prefix.parse("127.0.0.0/8"))));
  }

  @AfterAll
  static void stop() {
    if (relay != null) {
      relay.close();
    }
    if (zt != null) {
      zt.close();
    }
  }

  @Test
  void forcedRelayNodeJoinsAPrivateNetworkAndTalksTcpAndPingToAUdpNode() throws Exception {
    long nwid = zt.createPrivateNetwork("relay", "10.147.61.0/24", "10.147.61.10", "10.147.61.20", false);
    long forwardedBefore = relay.datagramsForwarded();
    long returnedBefore = relay.datagramsReturned();
    try (ZeroTierNode a = zt.nodeBuilder().tcpRelay(relay.localAddress()).forceTcpRelay(true).build();
        ZeroTierNode b = zt.nodeBuilder().build()) {
      a.start();
      b.start();
      assertThat(a.primaryPort()).as("forced relay binds no UDP port").isZero();
      a.awaitOnline(WAIT);
      a.join(nwid);
      b.join(nwid);
      waitUntil(() -> zt.members(nwid).contains(a.nodeId()) && zt.members(nwid).contains(b.nodeId()));
      zt.authorize(nwid, a.nodeId());
      zt.authorize(nwid, b.nodeId());
      InetAddress a4 = a.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      InetAddress b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();

      echoOnce(b, a, b4, 7300, "over the TCP relay");
      assertThat(a.ping(b4, Duration.ofSeconds(10))).isPositive();
      assertThat(b.ping(a4, Duration.ofSeconds(10))).isPositive();

      assertThat(a.isTcpRelayActive()).isTrue();
      assertThat(b.isTcpRelayActive()).isFalse();
      assertThat(relay.datagramsForwarded()).isGreaterThan(forwardedBefore);
      assertThat(relay.datagramsReturned()).isGreaterThan(returnedBefore);
      // every path A has goes through the relay: A has no UDP path at all
      assertThat(a.peers()).isNotEmpty();
      assertThat(a.peers().stream().flatMap(p -> p.paths().stream()).map(PathInfo::localSocket))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s).isEqualTo(TcpRelayClient.SOCKET_ID));
    }
  }

  @Test
  void nodeWhoseUdpNeverHearsAnythingFallsBackToTheRelay() throws Exception {
    long nwid = zt.createPublicNetwork("fallback", "10.147.62.0/24", "10.147.62.10", "10.147.62.20", false);
    long clientsBefore = relay.clientsAccepted();
    // A's only UDP socket is IPv6 loopback while the root and B are on IPv4: its UDP is bound but useless
    ZeroTierNode.Builder builder = ZeroTierNode.builder()
        .planet(zt.planet())
        .bindAddress(InetAddress.getByName("::1"))
        .allowLoopbackPaths(true)
        .tcpRelay(relay.localAddress())
        .tcpRelayFallbackAfterMillis(500);
    try (ZeroTierNode a = builder.build(); ZeroTierNode b = zt.nodeBuilder().build()) {
      a.start();
      b.start();
      assertThat(a.primaryPort()).as("UDP stays bound when falling back").isPositive();
      a.awaitOnline(WAIT);
      assertThat(a.isTcpRelayActive()).isTrue();
      assertThat(relay.clientsAccepted()).isGreaterThan(clientsBefore);
      a.join(nwid);
      b.join(nwid);
      a.awaitNetworkReady(nwid, WAIT);
      InetAddress b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      echoOnce(b, a, b4, 7301, "after falling back");
    }
  }

  @Test
  void forceWithoutRelayAddressIsRefusedAtBuild() {
    assertThatThrownBy(() -> zt.nodeBuilder().forceTcpRelay(true).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("forceTcpRelay")
        .hasMessageContaining("tcpRelay");
  }

  @Test
  void offlineMessageNamesTheRelayWhenItIsDown() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, LO)) {
      closedPort = s.getLocalPort();
    }
    InetSocketAddress deadRelay = new InetSocketAddress(LO, closedPort);
    try (ZeroTierNode a = zt.nodeBuilder().tcpRelay(deadRelay).forceTcpRelay(true).build()) {
      a.start();
      assertThatThrownBy(() -> a.awaitOnline(Duration.ofSeconds(1)))
          .isInstanceOf(java.util.concurrent.TimeoutException.class)
          .hasMessageContaining("through the TCP relay " + deadRelay)
          .hasMessageContaining("relay connection down");
      assertThat(a.isTcpRelayActive()).isFalse();
    }
  }

  /** B serves one echo on {@code port}; A connects to {@code b4} and checks the answer. */
  private static void echoOnce(ZeroTierNode b, ZeroTierNode a, InetAddress b4, int port, String text)
      throws Exception {
    try (ZeroTierServerSocket server = b.newServerSocket(port)) {
      CompletableFuture<Long> served = CompletableFuture.supplyAsync(() -> {
        try (ZeroTierSocket s = server.accept()) {
          DataInputStream in = new DataInputStream(s.getInputStream());
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeUTF("echo:" + in.readUTF());
          out.flush();
          return s.remoteNode().orElse(0L);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (ZeroTierSocket s = a.newSocket()) {
        s.connect(new InetSocketAddress(b4, port), 15_000);
        new DataOutputStream(s.getOutputStream()).writeUTF(text);
        assertThat(new DataInputStream(s.getInputStream()).readUTF()).isEqualTo("echo:" + text);
      }
      assertThat(served.get(30, TimeUnit.SECONDS)).isEqualTo(a.nodeId());
    }
  }

  private interface Check {
    boolean ok() throws Exception;
  }

  private static void waitUntil(Check c) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!c.ok()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + WAIT);
      }
      Thread.sleep(50);
    }
  }
}
