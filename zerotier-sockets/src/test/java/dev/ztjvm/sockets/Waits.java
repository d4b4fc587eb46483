package dev.ztjvm.sockets;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Polling for a condition that other threads (node loops, listeners) make true. */
public final class Waits {

  private Waits() {}

  /** A condition; a {@link NullPointerException} while it is checked counts as "not yet" (state still missing). */
  public interface Check {
    boolean ok() throws Exception;
  }

  /** Returns once {@code c} holds; an {@link AssertionError} if it still does not after {@code timeout}. */
  public static void until(Duration timeout, Check c) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        if (c.ok()) {
          return;
        }
      } catch (NullPointerException e) {
        // not there yet
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      TimeUnit.MILLISECONDS.sleep(20);
    }
  }
}
