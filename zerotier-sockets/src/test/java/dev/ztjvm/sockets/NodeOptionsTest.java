package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The builder options of {@link ZeroTierNode} have the effect they name, on real nodes of a {@link LocalZeroTier}. */
@ExtendWith(LocalZeroTierExtension.class)
class NodeOptionsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  @TempDir Path tmp;

  /** A builder for the local ZeroTier without its planet: each test sets the planet its own way. */
  private static ZeroTierNode.Builder bare() {
    return ZeroTierNode.builder().bindAddress(LO).allowLoopbackPaths(true);
  }

  @Test
  void portRandomRangeAndSecondaryPortAreBoundAndReported() throws Exception {
    int fixed = LoopbackPlanet.freeUdpPort();
    List<ZeroTierEvent> events = new CopyOnWriteArrayList<>();
    try (ZeroTierNode n = zt.nodeBuilder().port(fixed).listener(events::add).build().start()) {
      assertThat(n.primaryPort()).isEqualTo(fixed);
      assertThat(n.secondaryPort()).isZero();
      n.awaitOnline(WAIT);
    }
    assertThat(events).contains(new ZeroTierEvent.NodeUp(events.get(0) instanceof ZeroTierEvent.NodeUp u
        ? u.nodeId() : -1, fixed, 0));
    try (ZeroTierNode n = zt.nodeBuilder().randomPortRange(41000, 41999).secondaryPort(true).build().start()) {
      assertThat(n.primaryPort()).isBetween(41000, 41999);
      assertThat(n.secondaryPort()).isBetween(41000, 41999).isNotEqualTo(n.primaryPort());
      n.awaitOnline(WAIT);
    }
  }

  @Test
  void planetFromFileBytesAndClassPathResource() throws Exception {
    Path file = tmp.resolve("planet");
    Files.write(file, zt.planetBytes());
    try (ZeroTierNode n = bare().planetFile(file).build()) {
      n.awaitOnline(WAIT);
      assertThat(n.planet().id()).isEqualTo(zt.planet().id());
    }
    try (ZeroTierNode n = bare().planet(zt.planetBytes()).build()) {
      n.awaitOnline(WAIT);
    }
    Path dir = tmp.resolve("cp");
    Files.createDirectories(dir.resolve("zt"));
    Files.write(dir.resolve("zt").resolve("local.planet"), zt.planetBytes());
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.toUri().toURL()}, before)) {
      Thread.currentThread().setContextClassLoader(cl);
      try (ZeroTierNode n = bare().planetResource("/zt/local.planet").build()) {
        n.awaitOnline(WAIT);
        assertThat(n.planet()).isEqualTo(zt.planet());
      }
    } finally {
      Thread.currentThread().setContextClassLoader(before);
    }
  }

  @Test
  void refusedLoopbackPathsAndBlockedInterfacesKeepTheRootUnreached() throws Exception {
    // The local root only listens on 127.0.0.1: with loopback paths refused the node never uses it as a path
    try (ZeroTierNode n = ZeroTierNode.builder().planet(zt.planet()).bindAddress(LO).build().start()) {
      assertNotOnline(n);
      assertThat(n.statistics().datagramsOut()).isZero();
      assertThat(n.peers()).allSatisfy(p -> assertThat(p.paths()).isEmpty());
    }
    // the same for a blocked interface (the loopback interface's addresses) and for a prefix
    String lo = java.net.NetworkInterface.getByInetAddress(LO).getName();
    for (ZeroTierNode.Builder b : List.of(
        zt.nodeBuilder().blockInterfaces(lo),
        zt.nodeBuilder().allowInterfaces("no-such-interface"),
        zt.nodeBuilder().blockPhysicalPrefix("127.0.0.0/8"))) {
      try (ZeroTierNode n = b.build().start()) {
        assertNotOnline(n);
        assertThat(n.statistics().datagramsOut()).isZero();
      }
    }
    // and allowed, it is reached
    try (ZeroTierNode n = zt.nodeBuilder().allowInterfaces(lo).build().start()) {
      n.awaitOnline(WAIT);
      assertThat(n.statistics().datagramsOut()).isPositive();
    }
  }

  /** Gives the node time for several HELLO rounds (a node reaches the local root within milliseconds). */
  private static void assertNotOnline(ZeroTierNode n) {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> n.awaitOnline(Duration.ofMillis(1500)))
        .isInstanceOf(java.util.concurrent.TimeoutException.class);
  }

  @Test
  void cacheTogglesDecideWhatIsWrittenToStorage() throws Exception {
    long nwid = zt.createPublicNetwork("cache", "10.147.51.0/24", "10.147.51.10", "10.147.51.20", false);
    Path on = tmp.resolve("on");
    try (ZeroTierNode n = zt.nodeBuilder().storage(on).build()) {
      n.awaitNetworkReady(nwid, WAIT);
    }
    assertThat(on.resolve("identity.secret")).exists();
    assertThat(on.resolve("peers.d")).isNotEmptyDirectory();
    assertThat(on.resolve("networks.d")).isNotEmptyDirectory();

    Path off = tmp.resolve("off");
    long id;
    try (ZeroTierNode n = zt.nodeBuilder().storage(off).cacheIdentity(false).cachePeers(false).cacheNetworks(false)
        .build()) {
      n.awaitNetworkReady(nwid, WAIT);
      id = n.nodeId();
    }
    assertThat(off.resolve("identity.secret")).doesNotExist();
    assertThat(off.resolve("peers.d")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
        p -> assertThat(p).isEmptyDirectory());
    assertThat(off.resolve("networks.d")).satisfiesAnyOf(p -> assertThat(p).doesNotExist(),
        p -> assertThat(p).isEmptyDirectory());
    // nothing cached: a new node object on that storage is a new identity that joins nothing by itself
    try (ZeroTierNode n = zt.nodeBuilder().storage(off).cacheIdentity(false).cacheNetworks(false).build().start()) {
      assertThat(n.nodeId()).isNotEqualTo(id);
      assertThat(n.networks()).isEmpty();
    }
  }

  @Test
  void aMoonGivenToTheBuilderIsUsedAsAnUpstream() throws Exception {
    Identity moonId = Identity.generate();
    int moonPort = LoopbackPlanet.freeUdpPort();
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World moon = World.sign(World.Type.MOON, moonId.address(), System.currentTimeMillis(), key.publicKey(),
        List.of(new World.Root(moonId.publicOnly(), List.of(new InetSocketAddress(LO, moonPort)))), key);
    try (EventLoop loop = new EventLoop("moon").start();
        Vl1Node moonRoot = new Vl1Node(Vl1Config.of(moonId, zt.planet(), UnderlayConfig.bind(LO, moonPort))
            .withRoot(true).withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)).withMoons(List.of(moon)),
            loop)) {
      moonRoot.startOnLoop().get(30, TimeUnit.SECONDS);
      try (ZeroTierNode n = zt.nodeBuilder().moon(moon).build()) {
        n.awaitOnline(WAIT);
        ZeroTierNodeTest.waitUntil(() -> {
          PeerDetails p = n.peer(moonId.address());
          return p != null && p.role() == PeerInfo.Role.MOON && !p.paths().isEmpty();
        });
      }
    }
  }
}
