package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.vl1.world.World;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * When a {@link ZeroTierNode} starts (the calls that need it up start a new node; after stop() only start() does),
 * what queries answer for a node that is not running, and that a built node keeps the options it was built with.
 */
@ExtendWith(LocalZeroTierExtension.class)
class ZeroTierNodeLifecycleTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  @Test
  void queriesOnANodeThatIsNotRunningAnswerWithNothing() {
    try (ZeroTierNode node = zt.nodeBuilder().build()) {
      assertThat(node.isRunning()).isFalse();
      assertThat(node.networks()).isEmpty();
      assertThat(node.peers()).isEmpty();
      assertThat(node.peer(0x1122334455L)).isNull();
      assertThat(node.network(0x8056c2e21c000001L)).isNull();
      assertThat(node.primaryPort()).isZero();
      assertThat(node.isOnline()).isFalse();
      assertThatThrownBy(node::statistics).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
      assertThatThrownBy(node::netstack).isInstanceOf(IllegalStateException.class).hasMessageContaining("start()");
      assertThat(node.isRunning()).as("no query started the node").isFalse();
    }
  }

  @Test
  void joinStartsANewNodeAndTheNetworkBecomesReady() throws Exception {
    long nwid = zt.createPublicNetwork("lazy", "10.147.41.0/24", "10.147.41.10", "10.147.41.20", false);
    try (ZeroTierNode node = zt.nodeBuilder().build()) {
      node.join(nwid);

      assertThat(node.isRunning()).isTrue();
      assertThat(node.networks()).extracting(NetworkDetails::networkId).containsExactly(nwid);
      assertThat(node.awaitNetworkReady(nwid, WAIT).ipv4()).isPresent();
    }
  }

  @Test
  void afterStopOnlyStartRunsTheNodeAgain() throws Exception {
    long nwid = zt.createPublicNetwork("restart", "10.147.42.0/24", "10.147.42.10", "10.147.42.20", false);
    try (ZeroTierNode node = zt.nodeBuilder().build()) {
      node.awaitOnline(WAIT); // starts the new node
      assertThat(node.isRunning()).isTrue();
      node.stop();

      assertThatThrownBy(() -> node.join(nwid)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was stopped").hasMessageContaining("start()");
      assertThatThrownBy(() -> node.awaitOnline(WAIT)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("was stopped");
      assertThat(node.isRunning()).isFalse();

      node.start();
      node.join(nwid);
      assertThat(node.awaitNetworkReady(nwid, WAIT).ipv4()).isPresent();
    }
  }

  @Test
  void aBuiltNodeKeepsTheOptionsItWasBuiltWith() throws Exception {
    List<ZeroTierEvent> late = new CopyOnWriteArrayList<>();
    ZeroTierNode.Builder builder = zt.nodeBuilder();
    try (ZeroTierNode node = builder.build()) {
      builder.planet(World.defaultPlanet()).listener(late::add); // after build: not the node's any more

      assertThat(node.planet().id()).isEqualTo(zt.planet().id());
      node.awaitOnline(WAIT); // online through the private planet's root, not the public one
      node.stop();
      assertThat(late).as("events to a listener added to the builder after build()").isEmpty();
    }
  }
}
