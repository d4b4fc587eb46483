package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** Events of a real node come on the node's own event thread, in order, and a stuck listener never stalls the node. */
class EventDeliveryTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  @Test
  void aStuckListenerDoesNotStallTheNodeAndOverflowIsCountedNotBlocking() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("events", "10.147.61.0/24", "10.147.61.10", "10.147.61.20", false);
      CountDownLatch release = new CountDownLatch(1);
      List<ZeroTierEvent> seen = new CopyOnWriteArrayList<>();
      Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
      try (ZeroTierNode peer = zt.nodeBuilder().build();
          ZeroTierNode n = zt.nodeBuilder().eventQueueCapacity(16).listener(e -> {
            threads.add(Thread.currentThread().getName());
            seen.add(e);
            try {
              release.await(); // stuck until the test lets go
            } catch (InterruptedException ie) {
              Thread.currentThread().interrupt();
            }
          }).build()) {
        InetAddress peerAddress = peer.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
        // everything below runs while the listener sits on the first event
        n.awaitOnline(WAIT);
        for (int i = 0; i < 3; i++) { // ~6 events per round: with the 3 of the start, more than the 16 queued
          n.awaitNetworkReady(nwid, WAIT);
          assertThat(n.ping(peerAddress, Duration.ofSeconds(5))).isPositive();
          n.leave(nwid);
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.get(0)).isInstanceOf(ZeroTierEvent.NodeUp.class);
        assertThat(n.droppedEvents()).isPositive();
        release.countDown();
        ZeroTierNodeTest.waitUntil(() -> seen.size() >= 16);
        assertThat(threads).containsExactly("zt-" + n.nodeIdString() + "-events");
        // what was kept arrived in posting order: NodeUp, NodeOnline, then the first join's events
        assertThat(seen.get(1)).isInstanceOf(ZeroTierEvent.StoreIdentity.class);
        assertThat(seen.stream().filter(e -> e instanceof ZeroTierEvent.NodeOnline).count()).isEqualTo(1);
        int online = indexOf(seen, ZeroTierEvent.NodeOnline.class);
        int firstOk = indexOf(seen, ZeroTierEvent.NetworkOk.class);
        int firstReady = indexOf(seen, ZeroTierEvent.NetworkReadyIpv4.class);
        assertThat(online).isPositive().isLessThan(firstOk);
        assertThat(firstOk).isLessThan(firstReady);
      }
    }
  }

  private static int indexOf(List<ZeroTierEvent> events, Class<?> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + events);
  }
}
