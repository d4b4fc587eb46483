package dev.ztjvm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 point 2: when a node's event loop dies of a fatal error the node says so: its listeners hear {@code
 * onLoopFailed} with the cause (and going offline), {@link Vl1Node#failure()} holds the cause.
 */
class Vl1LoopFailureTest {

  @Test
  void aDeadLoopIsReportedByTheNode() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    try (NodeHarness nodes = new NodeHarness()) {
      nodes.start(NodeHarness.rootConfig(rootId, planet, lo, rootPort), "lf-root");
      Vl1Node leaf = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member1"), planet, lo), "lf-leaf");
      NodeHarness.await("online", leaf::online, Duration.ofSeconds(20));
      CompletableFuture<Throwable> reported = new CompletableFuture<>();
      CompletableFuture<Boolean> offline = new CompletableFuture<>();
      leaf.addListener(new Vl1Listener() {
        @Override
        public void onLoopFailed(Throwable cause) {
          reported.complete(cause);
        }

        @Override
        public void onOnlineChanged(boolean online) {
          if (!online) {
            offline.complete(true);
          }
        }
      });
      assertThat(leaf.failure()).isNull();

      EventLoop loop = leaf.loop();
      loop.execute(Vl1LoopFailureTest::recurseForever);

      Throwable cause = reported.get(10, TimeUnit.SECONDS);
      assertThat(cause).isInstanceOf(StackOverflowError.class);
      assertThat(offline.get(1, TimeUnit.SECONDS)).isTrue();
      assertThat(leaf.failure()).isSameAs(cause);
      assertThat(leaf.online()).isFalse();
    }
  }

  static int recurseForever() {
    return recurseForever() + 1;
  }
}
