package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

/**
 * A node without storage restarted in the same JVM keeps its identity but binds a new random UDP port. Its peers
 * (root, controller, other members) must switch to the new physical path as soon as it is heard there, not keep
 * sending to the old port until that path expires (ZeroTier learns a path on its first authenticated packet and
 * prefers the one most recently heard from).
 */
class RestartOnNewPortTest {

  /** Well below the time a stale path stays alive (19 s): the peer is told of the new port, it does not wait. */
  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void restartedNodeGetsItsNetworkConfigAgainOnItsNewPort() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("restart", "10.147.43.0/24", "10.147.43.10", "10.147.43.20", false);
      try (ZeroTierNode node = zt.nodeBuilder().build().start()) {
        node.join(nwid);
        node.awaitNetworkReady(nwid, Duration.ofSeconds(15));
        int oldPort = node.primaryPort();

        node.stop();
        node.start();
        node.join(nwid);

        assertThat(node.primaryPort()).as("restart binds a fresh random port").isNotEqualTo(oldPort);
        assertThat(node.awaitNetworkReady(nwid, WAIT).ipv4()).isPresent();
      }
    }
  }

  @Test
  void peerReachesRestartedPeerOnItsNewPort() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("p2p", "10.147.44.0/24", "10.147.44.10", "10.147.44.20", false);
      try (ZeroTierNode a = zt.nodeBuilder().build().start();
          ZeroTierNode b = zt.nodeBuilder().build().start()) {
        a.join(nwid);
        b.join(nwid);
        a.awaitNetworkReady(nwid, Duration.ofSeconds(15));
        InetAddress b4 = b.awaitNetworkReady(nwid, Duration.ofSeconds(15)).ipv4().orElseThrow();
        a.ping(b4, Duration.ofSeconds(10));
        for (int i = 0; i < 50 && !directPathPorts(a, b).contains(b.primaryPort()); i++) {
          a.ping(b4, Duration.ofSeconds(2)); // traffic makes the root unite A and B (RENDEZVOUS)
          Thread.sleep(200);
        }
        assertThat(directPathPorts(a, b)).as("A talks to B directly before the restart").contains(b.primaryPort());
        int oldPort = b.primaryPort();

        b.stop();
        b.start();
        b.join(nwid);
        assertThat(b.primaryPort()).isNotEqualTo(oldPort);
        assertThat(b.awaitNetworkReady(nwid, WAIT).ipv4()).contains(b4);

        // B sends nothing to A on its own, so A learns of the move only once the old path stops counting as alive
        // (19 s without an answer) and A falls back to the root, which relays and introduces them again. The bound
        // is far below the old path's expiry (243 s), which is what A used to wait for.
        boolean answered = false;
        for (int i = 0; i < 20 && !answered; i++) {
          try {
            a.ping(b4, Duration.ofSeconds(2));
            answered = true;
          } catch (TimeoutException e) {
            // try again
          }
        }
        assertThat(answered).as("A reaches B after B moved to port %d (old %d)", b.primaryPort(), oldPort).isTrue();
      }
    }
  }

  private static java.util.List<Integer> directPathPorts(ZeroTierNode from, ZeroTierNode to) {
    var peer = from.peer(to.nodeId());
    assertThat(peer).isNotNull();
    return peer.paths().stream().map(p -> p.remote().getPort()).toList();
  }
}
