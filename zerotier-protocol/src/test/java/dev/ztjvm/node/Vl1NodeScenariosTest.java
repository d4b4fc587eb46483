package dev.ztjvm.node;

import static dev.ztjvm.node.NodeHarness.await;
import static dev.ztjvm.node.NodeHarness.on;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** VL1 behaviours beyond the basic root + two nodes: moons, planet updates, rate limits, IPv6, direct-path pushes. */
class Vl1NodeScenariosTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private final Identity rootId = LoopbackPlanet.labIdentity("root");
  private final Identity aId = LoopbackPlanet.labIdentity("member1");
  private final Identity bId = LoopbackPlanet.labIdentity("member2");
  private final Identity mId = LoopbackPlanet.labIdentity("controller");

  @Test
  void orbitFetchesTheMoonFromItsSeedAndDeorbitForgetsIt() throws Exception {
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    try (NodeHarness h = new NodeHarness()) {
      h.root(rootId, planet, LO, rootPort);
      int moonPort = LoopbackPlanet.freeUdpPort();
      WorldSigningKey moonKey = WorldSigningKey.generate(new SecureRandom());
      World moon =
          World.sign(
              World.Type.MOON, mId.address(), 1_700_000_000_000L, moonKey.publicKey(),
              List.of(new World.Root(mId.publicOnly(), List.of(new InetSocketAddress(LO, moonPort)))), moonKey);
      Vl1Node m =
          h.start(
              Vl1Config.of(mId, planet, UnderlayConfig.bind(LO, moonPort))
                  .withPathPolicy(NodeHarness.LOOPBACK_OK)
                  .withMoons(List.of(moon)),
              "moon");
      Vl1Node a = h.leaf(aId, planet, LO);
      List<World> changed = new CopyOnWriteArrayList<>();
      a.addListener(
          new Vl1Listener() {
            @Override
            public void onWorldChanged(World world) {
              changed.add(world);
            }
          });
      await("a online", a::online);
      await("m online", m::online);

      on(a, () -> {
        a.orbit(moon.id(), m.address());
        return null;
      });
      await("a holds the moon", () -> on(a, () -> a.moons().contains(moon)));
      assertThat(changed).containsExactly(moon);
      await("the moon's root is an upstream of a", () -> on(a, () -> a.peer(m.address()).role() == PeerInfo.Role.MOON));

      on(a, () -> {
        a.deorbit(moon.id());
        return null;
      });
      assertThat(on(a, a::moons)).isEmpty();
      assertThat(on(a, () -> a.peer(m.address()).role())).isEqualTo(PeerInfo.Role.LEAF);
    }
  }

  @Test
  void aNewerPlanetSignedWithTheOldKeyReplacesTheOldOneAndAForgedOneDoesNot() throws Exception {
    int rootPort = LoopbackPlanet.freeUdpPort();
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    List<World.Root> roots = List.of(new World.Root(rootId.publicOnly(), List.of(new InetSocketAddress(LO, rootPort))));
    long id = 0x7a744c4142990002L;
    World v1 = World.sign(World.Type.PLANET, id, 1_000, key.publicKey(), roots, key);
    World v2 = World.sign(World.Type.PLANET, id, 2_000, key.publicKey(), roots, key);
    WorldSigningKey forger = WorldSigningKey.generate(new SecureRandom());
    World forged = World.sign(World.Type.PLANET, id, 3_000, forger.publicKey(), roots, forger);

    try (NodeHarness h = new NodeHarness()) {
      Vl1Node root = h.root(rootId, v2, LO, rootPort);
      Vl1Node a = h.leaf(aId, v1, LO);
      await("a adopts planet v2", () -> on(a, () -> a.planet().timestamp() == 2_000));
      assertThat(on(a, a::planet)).isEqualTo(v2);
      root.close();

      // A root serving a forged, newer revision is not believed.
      int port2 = LoopbackPlanet.freeUdpPort();
      List<World.Root> roots2 = List.of(new World.Root(rootId.publicOnly(), List.of(new InetSocketAddress(LO, port2))));
      World forged2 = World.sign(World.Type.PLANET, id, 3_000, forger.publicKey(), roots2, forger);
      World v2b = World.sign(World.Type.PLANET, id, 2_500, key.publicKey(), roots2, key);
      h.root(rootId, forged2, LO, port2);
      Vl1Node b = h.leaf(bId, v2b, LO);
      await("b online", b::online);
      Thread.sleep(300);
      assertThat(on(b, b::planet)).isEqualTo(v2b);
      assertThat(World.shouldReplace(v2, forged)).isFalse();
    }
  }

  @Test
  void helloFromNeverSeenIdentitiesIsRateLimitedPerSourcePrefix() throws Exception {
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    try (NodeHarness h = new NodeHarness()) {
      Vl1Node root =
          h.start(
              NodeHarness.rootConfig(rootId, planet, LO, rootPort).withNewIdentityInterval(Duration.ofSeconds(3)),
              "limited-root");
      Vl1Node a = h.leaf(aId, planet, LO);
      await("a online", a::online);
      Vl1Node b = h.leaf(bId, planet, LO);
      // b's first HELLOs come from the same /24 within the interval: refused until it passes.
      await("b's hello refused at least once", () -> root.counters().drops(Vl1Counters.Drop.RATE_LIMITED) > 0);
      assertThat(b.online()).isFalse();
      await("b online after the interval", b::online);
    }
  }

  @Test
  void nodesWorkOverIpv6() throws Exception {
    InetAddress lo6 = InetAddress.getByName("::1");
    int rootPort = LoopbackPlanet.freeUdpPort();
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World planet =
        World.sign(
            World.Type.PLANET, 0x7a744c4142990003L, 1_000, key.publicKey(),
            List.of(new World.Root(rootId.publicOnly(), List.of(new InetSocketAddress(lo6, rootPort)))), key);
    try (NodeHarness h = new NodeHarness()) {
      Vl1Node root = h.root(rootId, planet, lo6, rootPort);
      Vl1Node a = h.leaf(aId, planet, lo6);
      Vl1Node b = h.leaf(bId, planet, lo6);
      await("a online", a::online);
      await("b online", b::online);
      java.util.concurrent.CompletableFuture<Long> rtt = new java.util.concurrent.CompletableFuture<>();
      on(a, () -> a.echo(b.address(), rtt::complete));
      assertThat(rtt.get(10, java.util.concurrent.TimeUnit.SECONDS)).isPositive();
      await("direct IPv6 path", () -> on(a, () -> a.peer(b.address()).direct()));
      assertThat(on(a, () -> a.peer(b.address()).paths().get(0).remote().getAddress())).isEqualTo(lo6);
      assertThat(on(root, () -> root.peer(a.address()).paths().get(0).remote().getAddress())).isEqualTo(lo6);
    }
  }

  @Test
  void pushDirectPathsAloneLeadsToADirectPath() throws Exception {
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    try (NodeHarness h = new NodeHarness()) {
      Vl1Node root =
          h.start(NodeHarness.rootConfig(rootId, planet, LO, rootPort).withRendezvous(false), "quiet-root");
      Vl1Node a = h.leaf(aId, planet, LO);
      Vl1Node b = h.leaf(bId, planet, LO);
      await("a online", a::online);
      await("b online", b::online);
      // Data from a to b (relayed) makes b push its addresses to a; a probes them and the OK confirms the path.
      on(a, () -> a.sendUserMessage(b.address(), 0x10001, new byte[] {1}));
      await("b pushed its paths", () -> b.counters().packetsOut(Verb.PUSH_DIRECT_PATHS) > 0);
      await("a has a direct path to b", () -> on(a, () -> a.peer(b.address()).direct()));
      assertThat(root.counters().packetsOut(Verb.RENDEZVOUS)).isZero();
    }
  }
}
