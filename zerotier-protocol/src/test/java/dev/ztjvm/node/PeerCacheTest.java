package dev.ztjvm.node;

import static dev.ztjvm.node.NodeHarness.await;
import static dev.ztjvm.node.NodeHarness.on;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PeerCacheTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  @TempDir Path storage;

  @Test
  void aRestartedNodeReachesCachedPeersWithoutWhois() throws Exception {
    Identity rootId = LoopbackPlanet.labIdentity("root");
    Identity aId = LoopbackPlanet.labIdentity("member1");
    Identity bId = LoopbackPlanet.labIdentity("member2");
    int rootPort = LoopbackPlanet.freeUdpPort();
    int bPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    Path peersD = storage.resolve("peers.d");
    try (NodeHarness h = new NodeHarness()) {
      h.root(rootId, planet, LO, rootPort);
      Vl1Node b =
          h.start(
              Vl1Config.of(bId, planet, UnderlayConfig.bind(LO, bPort)).withPathPolicy(NodeHarness.LOOPBACK_OK), "b");
      await("b online", b::online);

      try (NodeHarness first = new NodeHarness()) {
        Vl1Node a = first.leaf(aId, planet, LO);
        PeerCache.attach(a, peersD).get(10, TimeUnit.SECONDS);
        await("a online", a::online);
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        on(a, () -> a.echo(b.address(), rtt::complete));
        rtt.get(10, TimeUnit.SECONDS);
        await("a direct to b", () -> on(a, () -> a.peer(b.address()).direct()));
        await("b cached with its path",
            () -> Files.readString(peersD.resolve(bId.addressString() + ".peer")).contains("127.0.0.1/" + bPort));
      }

      // A corrupt entry next to the good ones is skipped, not fatal, and left alone.
      Path junk = peersD.resolve("0123456789.peer");
      Files.writeString(junk, "not an identity");

      Vl1Node a2 = h.leaf(aId, planet, LO);
      PeerCache.attach(a2, peersD).get(10, TimeUnit.SECONDS);
      assertThat(on(a2, () -> a2.peerIdentity(b.address()))).isEqualTo(bId.publicOnly());
      // The cached address is probed at once: the path comes back without WHOIS or relay.
      await("a2 direct to b from the cached path", () -> on(a2, () -> a2.peer(b.address()).direct()));
      int a2Port = a2.underlay().primaryPort();
      await("b confirmed a2's new address",
          () -> on(b, () -> b.peer(a2.address()).paths().stream().anyMatch(p -> p.remote().getPort() == a2Port)));
      CompletableFuture<Long> rtt = new CompletableFuture<>();
      on(a2, () -> a2.echo(b.address(), rtt::complete));
      assertThat(rtt.get(10, TimeUnit.SECONDS)).isPositive();
      assertThat(a2.counters().packetsOut(Verb.WHOIS)).isZero();
      assertThat(Files.readString(junk)).isEqualTo("not an identity");
    }
  }
}
