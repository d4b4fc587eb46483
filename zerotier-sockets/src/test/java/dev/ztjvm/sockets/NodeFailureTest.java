package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import java.time.Duration;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Issue 16 point 2, SDK side: when the node's event loop dies of a fatal error (a real stack overflow here), the node
 * posts {@link ZeroTierEvent.NodeFailed} with the cause, reports {@link ZeroTierNode#isFailed()} and is no longer
 * online (what Spring health reads), and can still be stopped.
 */
@ExtendWith(LocalZeroTierExtension.class)
class NodeFailureTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  @Test
  void aDeadEventLoopMakesTheNodeFailed() throws Exception {
    EventRecorder rec = new EventRecorder();
    try (ZeroTierNode node = zt.nodeBuilder().listener(rec).build()) {
      node.start();
      node.awaitOnline(WAIT);
      assertThat(node.isFailed()).isFalse();
      assertThat(node.failure()).isEmpty();

      EventLoop loop = Objects.requireNonNull(node.eventLoop());
      loop.execute(NodeFailureTest::recurseForever);

      ZeroTierEvent.NodeFailed failed = rec.await(ZeroTierEvent.NodeFailed.class, 1, WAIT);
      assertThat(failed.nodeId()).isEqualTo(node.nodeId());
      assertThat(failed.code()).isEqualTo(204);
      assertThat(failed.reason()).contains("StackOverflowError");
      assertThat(node.isFailed()).isTrue();
      assertThat(node.failure()).hasValueSatisfying(r -> assertThat(r).contains("StackOverflowError"));
      assertThat(node.isOnline()).isFalse();
    }
  }

  static int recurseForever() {
    return recurseForever() + 1;
  }
}
