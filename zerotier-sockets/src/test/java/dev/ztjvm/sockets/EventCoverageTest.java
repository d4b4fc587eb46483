package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Payloads of the events {@link ZeroTierNodeTest} does not reach: node offline (the root goes away) and online
 * again, network not found, the planet stored on a first start with storage.
 */
@ExtendWith(LocalZeroTierExtension.class)
class EventCoverageTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  /** Offline detection needs the root path to stop being alive (about 20 s of silence): generous on 2 busy cores. */
  private static final Duration OFFLINE_WAIT = Duration.ofSeconds(120);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  @Test
  void storePlanetOnFirstStartWithStorageCarriesThePlanetInUse(@TempDir Path storage) throws Exception {
    EventRecorder rec = new EventRecorder();
    try (ZeroTierNode node = zt.nodeBuilder().storage(storage).listener(rec).build()) {
      node.start();
      node.awaitOnline(WAIT);
      ZeroTierEvent.StorePlanet planet = rec.await(ZeroTierEvent.StorePlanet.class, 1, WAIT);
      assertThat(planet.code()).isEqualTo(272);
      assertThat(planet.worldId()).isEqualTo(zt.planet().id());
      assertThat(planet.timestamp()).isEqualTo(zt.planet().timestamp());
      assertThat(planet.planet()).isEqualTo(zt.planetBytes());
      assertThat(rec.of(ZeroTierEvent.StoreIdentity.class)).singleElement()
          .satisfies(id -> assertThat(id.nodeId()).isEqualTo(node.nodeId()));
      // The event comes before the node is online, right after NodeUp and the identity. Events reach listeners on
      // their own thread, so NodeOnline may still be on its way when awaitOnline returns: wait for it too.
      rec.await(ZeroTierEvent.NodeOnline.class, 1, WAIT);
      assertThat(rec.types(e -> true).indexOf(ZeroTierEvent.StorePlanet.class))
          .isLessThan(rec.types(e -> true).indexOf(ZeroTierEvent.NodeOnline.class));
      assertThat(Files.isRegularFile(storage.resolve("identity.secret"))).isTrue();
    }
  }

  @Test
  void joiningANetworkTheControllerDoesNotHaveEmitsNetworkNotFound() throws Exception {
    long unknown = (zt.controllerId() << 24) | 0x00c0ffeeL;
    EventRecorder rec = new EventRecorder();
    try (ZeroTierNode node = zt.nodeBuilder().listener(rec).build()) {
      node.start();
      node.awaitOnline(WAIT);
      node.join(unknown);
      ZeroTierEvent.NetworkNotFound nf = rec.await(ZeroTierEvent.NetworkNotFound.class, 1, WAIT);
      assertThat(nf.code()).isEqualTo(210);
      assertThat(nf.network().networkId()).isEqualTo(unknown);
      assertThat(nf.network().status()).isEqualTo(NetworkStatus.NOT_FOUND);
      assertThat(nf.network().transportReady()).isFalse();
      assertThat(nf.network().addresses()).isEmpty();
      assertThat(node.network(unknown)).isNotNull()
          .satisfies(d -> assertThat(d.status()).isEqualTo(NetworkStatus.NOT_FOUND));
      assertThatThrownBy(() -> node.awaitNetworkReady(unknown, Duration.ofMillis(300)))
          .isInstanceOf(TimeoutException.class).hasMessageContaining("NOT_FOUND");
      assertThat(rec.of(ZeroTierEvent.NetworkOk.class)).isEmpty();
    }
  }

  @Test
  void nodeGoesOfflineWhenItsRootStopsAndOnlineWhenItReturns(@TempDir Path rootHome) throws Exception {
    LocalZeroTier own = LocalZeroTier.start(rootHome.resolve("local"));
    EventRecorder rec = new EventRecorder();
    ZeroTierNode node = own.nodeBuilder().listener(rec).build();
    try {
      node.start();
      node.awaitOnline(WAIT);
      rec.await(ZeroTierEvent.NodeOnline.class, 1, WAIT);
      own.close(); // root and controller gone: nothing answers the node any more

      ZeroTierEvent.NodeOffline off = rec.await(ZeroTierEvent.NodeOffline.class, 1, OFFLINE_WAIT);
      assertThat(off.code()).isEqualTo(202);
      assertThat(off.nodeId()).isEqualTo(node.nodeId());
      assertThat(node.isOnline()).isFalse();
      assertThat(node.isRunning()).isTrue();

      // Same storage: same root identity, planet and port; the node finds it again.
      own = LocalZeroTier.start(rootHome.resolve("local"));
      ZeroTierEvent.NodeOnline back = rec.await(ZeroTierEvent.NodeOnline.class, 2, OFFLINE_WAIT);
      assertThat(back.nodeId()).isEqualTo(node.nodeId());
      assertThat(node.isOnline()).isTrue();
      assertThat(rec.types(e -> e instanceof ZeroTierEvent.NodeOnline || e instanceof ZeroTierEvent.NodeOffline))
          .containsExactly(ZeroTierEvent.NodeOnline.class, ZeroTierEvent.NodeOffline.class,
              ZeroTierEvent.NodeOnline.class);
    } finally {
      node.close();
      own.close();
    }
    assertThat(rec.events.get(rec.events.size() - 1)).isInstanceOf(ZeroTierEvent.NodeDown.class);
  }

  @Test
  void aPeerReachableOnlyThroughTheRootIsReportedAsRelayed() throws Exception {
    long nwid = zt.createPublicNetwork("relay", "10.147.63.0/24", "10.147.63.10", "10.147.63.20", false);
    EventRecorder rec = new EventRecorder();
    // B refuses every physical path to A's address: the two can only talk through the root, which relays.
    // (zt.nodeBuilder() binds 127.0.0.1; these nodes bind only their own loopback addresses.)
    try (ZeroTierNode a = ZeroTierNode.builder().planet(zt.planet()).allowLoopbackPaths(true)
        .bindAddress(InetAddress.getByName("127.0.0.2")).build();
        ZeroTierNode b = ZeroTierNode.builder().planet(zt.planet()).allowLoopbackPaths(true)
            .bindAddress(InetAddress.getByName("127.0.0.3")).blockPhysicalPrefix("127.0.0.2/32").listener(rec)
            .build()) {
      a.start();
      b.start();
      InetAddress a4 = a.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      b.awaitNetworkReady(nwid, WAIT);
      Duration rtt = b.ping(a4, Duration.ofSeconds(10)); // relayed both ways, and it works
      assertThat(rtt).isPositive();

      ZeroTierEvent.PeerRelay relay = null;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (relay == null && System.nanoTime() < deadline) {
        relay = rec.of(ZeroTierEvent.PeerRelay.class).stream().filter(e -> e.peer().address() == a.nodeId())
            .findFirst().orElse(null);
        Thread.sleep(20);
      }
      assertThat(relay).as("PeerRelay for A in %s", rec.events).isNotNull();
      assertThat(relay.code()).isEqualTo(241);
      assertThat(relay.peer().paths()).isEmpty();
      assertThat(relay.peer().direct()).isFalse();
      assertThat(b.peer(a.nodeId())).isNotNull().satisfies(p -> assertThat(p.paths()).isEmpty());
      assertThat(rec.of(ZeroTierEvent.PeerDirect.class)).noneMatch(e -> e.peer().address() == a.nodeId());
    }
  }
}
