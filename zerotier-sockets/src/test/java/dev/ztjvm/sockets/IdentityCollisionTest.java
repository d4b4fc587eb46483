package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * libzt's IDENTITY_COLLISION: the root already knows a node under an address, a second node claims that address
 * with other keys; the root answers ERROR(IDENTITY_COLLISION) and the second node reports the event.
 */
class IdentityCollisionTest {

  @Test
  void aSecondNodeClaimingAKnownAddressGetsTheCollisionEvent() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      List<ZeroTierEvent> firstEvents = new CopyOnWriteArrayList<>();
      List<ZeroTierEvent> impostorEvents = new CopyOnWriteArrayList<>();
      try (ZeroTierNode first = zt.nodeBuilder().listener(firstEvents::add).build()) {
        first.awaitOnline(Duration.ofSeconds(15));
        // same 40-bit address, other key pair (an address collision cannot be mined; it can be claimed)
        Identity other = Identity.generate();
        Identity impostorId = Identity.of(first.nodeId(), other.publicKey(), other.privateKey());
        try (ZeroTierNode impostor = zt.nodeBuilder().identity(impostorId).listener(impostorEvents::add).build()) {
          impostor.start();
          ZeroTierEvent.IdentityCollision collision = awaitCollision(impostorEvents);
          assertThat(collision.nodeId()).isEqualTo(first.nodeId());
          assertThat(collision.reportedBy()).isEqualTo(zt.planet().roots().get(0).identity().address());
          // the root kept the first node: it is still online and was told nothing
          assertThat(first.isOnline()).isTrue();
          assertThat(firstEvents).noneMatch(e -> e instanceof ZeroTierEvent.IdentityCollision);
        }
      }
    }
  }

  private static ZeroTierEvent.IdentityCollision awaitCollision(List<ZeroTierEvent> events) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      for (ZeroTierEvent e : events) {
        if (e instanceof ZeroTierEvent.IdentityCollision c) {
          return c;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no IdentityCollision event; events: " + events);
  }
}
