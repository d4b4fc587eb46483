package dev.ztjvm.sockets.internal.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventDispatcherTest {

  @Test
  void deliversInOrderOnItsOwnThreadAndSurvivesAFailingListener() throws Exception {
    List<Long> got = new CopyOnWriteArrayList<>();
    List<String> threads = new CopyOnWriteArrayList<>();
    ZeroTierEventListener failing = e -> {
      throw new IllegalStateException("boom");
    };
    ZeroTierEventListener recording = e -> {
      got.add(((ZeroTierEvent.NodeOnline) e).nodeId());
      threads.add(Thread.currentThread().getName());
    };
    EventDispatcher d = new EventDispatcher("ev-test", 1000, List.of(failing, recording));
    for (long i = 0; i < 500; i++) {
      assertThat(d.post(new ZeroTierEvent.NodeOnline(i))).isTrue();
    }
    d.stop(10_000);
    assertThat(got).hasSize(500);
    for (int i = 0; i < 500; i++) {
      assertThat(got.get(i)).isEqualTo(i);
    }
    assertThat(threads).containsOnly("ev-test");
    assertThat(d.listenerFailures()).isEqualTo(500);
    assertThat(d.dropped()).isZero();
  }

  @Test
  void aBlockedListenerNeverBlocksThePosterAndOverflowIsCounted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    EventDispatcher d = new EventDispatcher("ev-slow", 16, List.of(e -> {
      entered.countDown();
      try {
        release.await();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      }
    }));
    d.post(new ZeroTierEvent.NodeOnline(0));
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
    int accepted = 0;
    for (int i = 0; i < 100; i++) {
      if (d.post(new ZeroTierEvent.NodeOnline(i))) {
        accepted++;
      }
    }
    // the listener is stuck in the first event: the queue holds at most its capacity, the rest is dropped
    assertThat(accepted).isLessThanOrEqualTo(16);
    assertThat(d.dropped()).isEqualTo(100 - accepted);
    release.countDown();
    d.stop(10_000);
    assertThat(d.delivered()).isEqualTo(1 + accepted);
  }
}
