package dev.ztjvm.sockets.internal;

import java.io.InterruptedIOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A per-socket wake-up: the loop {@link #fire() fires} it from readiness callbacks, a blocked caller waits for the
 * sequence number to move past the value it saw before asking the loop. The loop only takes the lock when someone
 * waits.
 */
final class Signal {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private volatile long sequence;
  private volatile int waiters;

  /** Called on the loop (or by a closing thread). */
  void fire() {
    sequence++;
    // Volatile write then volatile read, mirrored in await: either the waiter sees the new sequence or we see it
    // waiting and signal under the lock it holds until it sleeps.
    if (waiters > 0) {
      lock.lock();
      try {
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  long sequence() {
    return sequence;
  }

  /**
   * Waits until the sequence differs from {@code seen}; {@code deadlineNanos} is a {@link System#nanoTime()} value
   * or 0 for no limit. Returns false on timeout.
   */
  boolean await(long seen, long deadlineNanos) throws InterruptedIOException {
    lock.lock();
    try {
      waiters++;
      while (sequence == seen) {
        if (deadlineNanos == 0) {
          changed.await();
        } else {
          long left = deadlineNanos - System.nanoTime();
          if (left <= 0) {
            return false;
          }
          changed.awaitNanos(left);
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted");
    } finally {
      waiters--;
      lock.unlock();
    }
  }

  static long deadline(int timeoutMillis) {
    return timeoutMillis <= 0 ? 0 : Math.max(1, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
  }
}
