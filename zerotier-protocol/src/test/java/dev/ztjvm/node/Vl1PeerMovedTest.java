package dev.ztjvm.node;

import static dev.ztjvm.node.NodeHarness.await;
import static dev.ztjvm.node.NodeHarness.on;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A peer that restarts with the same identity on another UDP port. Its partner still holds a live-looking direct
 * path to the old port; the root, relaying the moved peer's first packets, must introduce the two again at once
 * (not only after the 30 s unite interval) so the partner's replies reach the new port.
 */
class Vl1PeerMovedTest {

  private final NodeHarness harness = new NodeHarness();

  @AfterEach
  void closeAll() throws Exception {
    harness.close();
  }

  @Test
  void partnerAnswersAPeerThatCameBackOnANewPort() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    Vl1Node root = harness.root(rootId, planet, lo, rootPort);
    Identity bId = LoopbackPlanet.labIdentity("member2");
    Vl1Node a = harness.leaf(LoopbackPlanet.labIdentity("member1"), planet, lo);
    Vl1Node b = harness.leaf(bId, planet, lo);
    await("a online", a::online);
    await("b online", b::online);

    // A and B talk directly (the root united them when it relayed the first ECHO).
    await("a has a direct path to b", () -> {
      on(a, () -> a.echo(b.address(), rtt -> {}));
      Thread.sleep(100);
      return on(a, () -> a.peer(b.address()) != null && a.peer(b.address()).direct());
    });
    int oldPort = b.underlay().primaryPort();

    // B restarts: same identity, fresh port, no memory of A.
    b.close();
    Vl1Node moved = harness.leaf(bId, planet, lo);
    int newPort = moved.underlay().primaryPort();
    assertThat(newPort).isNotEqualTo(oldPort);
    await("moved b online", moved::online);

    // The moved B reaches A through the root; A's answer must come back although A's old path still looks alive.
    CompletableFuture<Long> rtt = new CompletableFuture<>();
    on(moved, () -> moved.echo(a.address(), rtt::complete));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15); // below the 19 s an old path stays alive
    while (!rtt.isDone() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      if (!rtt.isDone()) {
        on(moved, () -> moved.echo(a.address(), rtt::complete));
      }
    }
    assertThat(rtt).as("A answers B at its new port %d (old %d)", newPort, oldPort).isDone();
    await(
        "a has a path to b's new port",
        () -> on(a, () -> a.peer(bId.address()).paths().stream().anyMatch(p -> p.remote().getPort() == newPort)));
  }
}
