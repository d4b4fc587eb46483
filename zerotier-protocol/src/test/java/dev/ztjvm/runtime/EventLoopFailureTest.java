package dev.ztjvm.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 point 2, the event loop failure policy: an exception in a task is logged and the loop goes on; a JVM
 * error (here a real stack overflow) ends the loop, which then rejects work, records the cause and completes its
 * failure future so that its owner can report it.
 */
class EventLoopFailureTest {

  @Test
  void anExceptionIsSurvivedButAStackOverflowIsFatal() throws Exception {
    try (EventLoop loop = new EventLoop("fatal").start()) {
      loop.execute(() -> {
        throw new IllegalStateException("an ordinary bug");
      });
      assertThat(loop.call(() -> "still running", Duration.ofSeconds(5))).isEqualTo("still running");
      assertThat(loop.failureFuture()).isNotDone();

      loop.execute(EventLoopFailureTest::recurseForever);

      Throwable cause = loop.failureFuture().get(10, TimeUnit.SECONDS);
      assertThat(cause).isInstanceOf(StackOverflowError.class);
      assertThat(loop.failure()).isSameAs(cause);
      loop.terminationFuture().get(10, TimeUnit.SECONDS);
      assertThatThrownBy(() -> loop.execute(() -> {})).isInstanceOf(RejectedExecutionException.class);
    }
  }

  @Test
  void aNormalCloseIsNotAFailure() throws Exception {
    EventLoop loop = new EventLoop("closed").start();
    loop.close();
    assertThat(loop.terminationFuture()).isDone();
    assertThat(loop.failureFuture()).isNotDone();
    assertThat(loop.failure()).isNull();
  }

  static int recurseForever() {
    return recurseForever() + 1;
  }
}
