package dev.ztjvm.sockets.internal.node;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Delivers events to listeners, in the order they were posted, on one dedicated daemon thread per node. Posting
 * never blocks (it runs on the network loop): when the bounded queue is full the event is dropped and counted.
 */
public final class EventDispatcher {

  private static final Logger LOG = Logger.getLogger(EventDispatcher.class.getName());
  private static final Object STOP = new Object();

  private final BlockingQueue<Object> queue;
  private final List<ZeroTierEventListener> listeners;
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong listenerFailures = new AtomicLong();
  private final AtomicLong delivered = new AtomicLong();
  private final Thread thread;

  public EventDispatcher(String name, int capacity, List<ZeroTierEventListener> listeners) {
    this.queue = new ArrayBlockingQueue<>(capacity + 1);
    this.listeners = listeners instanceof CopyOnWriteArrayList<ZeroTierEventListener> c ? c
        : new CopyOnWriteArrayList<>(listeners);
    this.thread = new Thread(this::run, name);
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues an event; never blocks. Returns false (and counts a drop) when the queue is full or stopped. */
  public boolean post(ZeroTierEvent event) {
    // keep one slot free for STOP
    if (queue.remainingCapacity() <= 1 || !queue.offer(event)) {
      dropped.incrementAndGet();
      return false;
    }
    return true;
  }

  /** Events dropped because the queue was full. */
  public long dropped() {
    return dropped.get();
  }

  /** Listener calls that threw. */
  public long listenerFailures() {
    return listenerFailures.get();
  }

  /** Events handed to the listeners so far. */
  public long delivered() {
    return delivered.get();
  }

  /** Delivers what is queued, then ends the thread; waits up to {@code timeoutMillis} for it. */
  public void stop(long timeoutMillis) {
    queue.offer(STOP);
    if (Thread.currentThread() != thread) {
      try {
        thread.join(timeoutMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void run() {
    while (true) {
      Object o;
      try {
        o = queue.poll(1, TimeUnit.HOURS);
      } catch (InterruptedException e) {
        return;
      }
      if (o == null) {
        continue;
      }
      if (o == STOP) {
        return;
      }
      ZeroTierEvent ev = (ZeroTierEvent) o;
      for (ZeroTierEventListener l : listeners) {
        try {
          l.onEvent(ev);
        } catch (RuntimeException e) {
          listenerFailures.incrementAndGet();
          LOG.log(Level.WARNING, "ZeroTier event listener failed on " + ev, e);
        }
      }
      delivered.incrementAndGet();
    }
  }
}
