package dev.ztjvm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class EventLoopTest {

  @Test
  void tasksRunOnTheLoopThreadInOrder() throws Exception {
    try (EventLoop loop = new EventLoop("t1").start()) {
      List<Integer> seen = new CopyOnWriteArrayList<>();
      for (int i = 0; i < 100; i++) {
        int n = i;
        loop.execute(() -> seen.add(loop.inLoop() ? n : -1));
      }
      assertThat(loop.call(() -> seen.size(), Duration.ofSeconds(5))).isEqualTo(100);
      assertThat(seen).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 100).boxed().toList());
    }
  }

  @Test
  void timersFireInDeadlineOrderAndCancelledOnesDoNot() throws Exception {
    try (EventLoop loop = new EventLoop("t2").start()) {
      List<String> fired = new CopyOnWriteArrayList<>();
      CountDownLatch done = new CountDownLatch(1);
      loop.execute(
          () -> {
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(30), () -> fired.add("late"));
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(10), () -> fired.add("early"));
            EventLoop.Timer cancelled = loop.schedule(TimeUnit.MILLISECONDS.toNanos(20), () -> fired.add("x"));
            cancelled.cancel();
            loop.schedule(TimeUnit.MILLISECONDS.toNanos(40), done::countDown);
          });
      assertThat(done.await(5, TimeUnit.SECONDS)).isTrue();
      assertThat(fired).containsExactly("early", "late");
    }
  }

  @Test
  void aFailingTaskDoesNotStopTheLoop() throws Exception {
    try (EventLoop loop = new EventLoop("t3").start()) {
      loop.execute(
          () -> {
            throw new IllegalStateException("boom (expected by the test)");
          });
      assertThat(loop.call(() -> "still running", Duration.ofSeconds(5))).isEqualTo("still running");
    }
  }

  @Test
  void callPropagatesTheTaskException() throws Exception {
    try (EventLoop loop = new EventLoop("t4").start()) {
      assertThatThrownBy(
          () -> loop.call(
              () -> {
                throw new IllegalArgumentException("bad");
              },
              Duration.ofSeconds(5)))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void closedLoopRejectsWorkAndItsThreadEnds() {
    EventLoop loop = new EventLoop("t5").start();
    loop.close();
    assertThat(loop.terminationFuture()).isDone();
    assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    loop.close(); // idempotent
  }

  @Test
  void schedulingOffTheLoopIsRefused() {
    try (EventLoop loop = new EventLoop("t6").start()) {
      assertThatThrownBy(() -> loop.schedule(1, () -> {})).isInstanceOf(IllegalStateException.class);
    }
  }
}
