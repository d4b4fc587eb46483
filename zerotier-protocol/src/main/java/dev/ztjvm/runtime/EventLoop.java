package dev.ztjvm.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.Queue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * A single-threaded event loop with a {@link Selector} for I/O readiness, a task queue and timers.
 *
 * <p>Everything registered here runs on the loop's thread: I/O callbacks, posted tasks and timers. A callback that
 * throws an exception is logged and the loop goes on, so one bad event cannot stop a node. A {@link
 * VirtualMachineError} ({@link OutOfMemoryError}, {@link StackOverflowError}) or a failure of the loop itself (its
 * selector) is fatal: the loop stops, rejects further tasks and completes {@link #failureFuture()} with the cause, so
 * that its owner can report the node as failed and a server process can exit non-zero (see docs/reliability.md, "Event
 * loop failure policy"). A loop that limps on after running out of memory serves nobody and hides it. Time for the
 * protocol code comes from {@link #nanoTime()} (monotonic) and {@link #currentTimeMillis()} (wall clock), both read
 * once per iteration so that everything handled in one iteration sees the same instant.
 */
public final class EventLoop implements Executor, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(EventLoop.class.getName());

  private final String name;
  private final Selector selector;
  private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final PriorityQueue<Timer> timers = new PriorityQueue<>();
  private final AtomicBoolean wakeupPending = new AtomicBoolean();
  private final CompletableFuture<Void> terminated = new CompletableFuture<>();
  private final CompletableFuture<Throwable> failed = new CompletableFuture<>();
  private volatile @Nullable Throwable failure;
  private volatile @Nullable Thread thread;
  private volatile boolean shuttingDown;
  private long timerSequence;
  private long now;
  private long nowMillis;

  /** Creates a loop; {@link #start()} starts its thread. */
  public EventLoop(String name) {
    this.name = Objects.requireNonNull(name, "name");
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open a selector for event loop " + name, e);
    }
    this.now = System.nanoTime();
    this.nowMillis = System.currentTimeMillis();
  }

  /** Starts the loop thread (a daemon thread named after the loop). Idempotent. */
  public synchronized EventLoop start() {
    if (thread == null) {
      if (shuttingDown) {
        throw new IllegalStateException("Event loop " + name + " was closed");
      }
      Thread t = new Thread(this::run, name);
      t.setDaemon(true);
      thread = t;
      t.start();
    }
    return this;
  }

  /** Whether the caller runs on this loop's thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Monotonic time of the current iteration in nanoseconds (read on the loop thread). */
  public long nanoTime() {
    return inLoop() ? now : System.nanoTime();
  }

  /** Wall-clock time of the current iteration in milliseconds since the epoch. */
  public long currentTimeMillis() {
    return inLoop() ? nowMillis : System.currentTimeMillis();
  }

  /** Posts a task; runs it on the loop thread soon. Thread-safe. */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    if (shuttingDown) {
      throw new RejectedExecutionException("Event loop " + name + " is closed");
    }
    tasks.add(task);
    if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
      selector.wakeup();
    }
  }

  /**
   * Runs {@code task} on the loop and waits for its result: the way blocking APIs reach loop-owned state. Called on
   * the loop thread it runs the task directly.
   *
   * @throws TimeoutException if the loop did not answer within {@code timeout}
   * @throws ExecutionException with the task's own exception as the cause
   */
  public <T> T call(Callable<T> task, Duration timeout)
      throws TimeoutException, ExecutionException, InterruptedException {
    if (inLoop()) {
      try {
        return task.call();
      } catch (Exception e) {
        throw new ExecutionException(e);
      }
    }
    CompletableFuture<T> result = new CompletableFuture<>();
    execute(
        () -> {
          try {
            result.complete(task.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    return result.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /**
   * Runs {@code task} on the loop and waits for its result (directly when called on the loop thread): the one "run on
   * the loop and wait" of the project, for blocking callers of loop-owned state. The task's unchecked exceptions are
   * rethrown as they are; everything else that keeps the result away becomes a {@link LoopCallException} saying
   * what (the task's checked exception is its cause).
   */
  public <T> T await(Callable<T> task, Duration timeout) {
    try {
      return call(task, timeout);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof RuntimeException re) {
        throw re;
      }
      if (c instanceof Error err) {
        throw err;
      }
      throw new LoopCallException("task on event loop " + name + " failed: " + c, c, false);
    } catch (TimeoutException e) {
      throw new LoopCallException("event loop " + name + " did not answer within " + timeout, e, false);
    } catch (RejectedExecutionException e) {
      throw new LoopCallException("event loop " + name + " is closed", e, false);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new LoopCallException("interrupted while waiting for event loop " + name, e, true);
    }
  }

  /** Schedules {@code task} to run once after {@code delayNanos}. Must be called on the loop thread. */
  public Timer schedule(long delayNanos, Runnable task) {
    assertInLoop();
    Timer t = new Timer(this, now + Math.max(0, delayNanos), timerSequence++, task);
    timers.add(t);
    return t;
  }

  /**
   * Registers a channel (already non-blocking) for {@code ops}; {@code handler} runs on the loop with the ready key.
   * Must be called on the loop thread.
   */
  public SelectionKey register(SelectableChannel channel, int ops, Consumer<SelectionKey> handler)
      throws ClosedChannelException {
    assertInLoop();
    return channel.register(selector, ops, handler);
  }

  /**
   * A future completed with the cause if the loop dies of a fatal error (never completed when it is closed normally).
   * Callbacks added before the failure run on the dying loop thread; keep them short and non-blocking.
   */
  public CompletableFuture<Throwable> failureFuture() {
    return failed;
  }

  /** The fatal error that stopped the loop, or null while it runs or after a normal close. */
  public @Nullable Throwable failure() {
    return failure;
  }

  /** A future completed when the loop thread has ended. */
  public CompletableFuture<Void> terminationFuture() {
    return terminated;
  }

  /** Stops the loop after the tasks already posted and waits up to five seconds for its thread. */
  @Override
  public void close() {
    synchronized (this) {
      if (shuttingDown) {
        awaitTermination();
        return;
      }
      shuttingDown = true;
      if (thread == null) {
        closeSelector();
        terminated.complete(null);
        return;
      }
    }
    selector.wakeup();
    awaitTermination();
  }

  private void awaitTermination() {
    if (inLoop()) {
      return;
    }
    try {
      terminated.get(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      LOG.log(Level.WARNING, "Event loop " + name + " did not stop in time", e);
    }
  }

  private void assertInLoop() {
    if (!inLoop()) {
      throw new IllegalStateException("Must be called on event loop " + name);
    }
  }

  private void run() {
    try {
      while (!shuttingDown) {
        runOnce();
      }
      // Drain what was posted before close, so callers waiting in call() get answers.
      runTasks();
    } catch (Throwable t) {
      shuttingDown = true;
      failure = t;
      LOG.log(Level.SEVERE, "Event loop " + name + " failed; it is stopped and its owner reported failed", t);
      try {
        failed.complete(t);
      } catch (Throwable listenerFailure) {
        // a failure listener must not keep the selector open
        LOG.log(Level.SEVERE, "Failure listener of event loop " + name + " failed", listenerFailure);
      }
    } finally {
      closeSelector();
      terminated.complete(null);
    }
  }

  private void runOnce() throws IOException {
    long timeoutMillis = 0;
    if (tasks.isEmpty()) {
      Timer next = timers.peek();
      if (next == null) {
        timeoutMillis = 1000;
      } else {
        long waitNanos = next.deadline - System.nanoTime();
        timeoutMillis = waitNanos <= 0 ? -1 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
      }
    } else {
      timeoutMillis = -1;
    }
    int ready = timeoutMillis < 0 ? selector.selectNow() : selector.select(timeoutMillis);
    wakeupPending.set(false);
    now = System.nanoTime();
    nowMillis = System.currentTimeMillis();
    if (ready > 0) {
      for (var it = selector.selectedKeys().iterator(); it.hasNext();) {
        SelectionKey key = it.next();
        it.remove();
        if (!key.isValid()) {
          continue;
        }
        @SuppressWarnings("unchecked") Consumer<SelectionKey> handler = (Consumer<SelectionKey>) key.attachment();
        try {
          handler.accept(key);
        } catch (Throwable t) {
          rethrowIfFatal(t);
          LOG.log(Level.WARNING, "I/O handler failed on event loop " + name, t);
        }
      }
    }
    runTasks();
    runTimers();
  }

  private void runTasks() {
    // Bound the batch so timers and I/O are not starved by a task that keeps re-posting itself.
    for (int i = 0; i < 4096; i++) {
      Runnable task = tasks.poll();
      if (task == null) {
        return;
      }
      try {
        task.run();
      } catch (Throwable t) {
        rethrowIfFatal(t);
        LOG.log(Level.WARNING, "Task failed on event loop " + name, t);
      }
    }
  }

  private void runTimers() {
    while (true) {
      Timer t = timers.peek();
      if (t == null || t.deadline - now > 0) {
        return;
      }
      timers.poll();
      if (t.cancelled) {
        continue;
      }
      t.fired = true;
      try {
        t.task.run();
      } catch (Throwable e) {
        rethrowIfFatal(e);
        LOG.log(Level.WARNING, "Timer failed on event loop " + name, e);
      }
    }
  }

  /** Out of memory, stack overflow and other JVM failures end the loop: see the class comment. */
  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError fatal) {
      throw fatal;
    }
  }

  private void closeSelector() {
    try {
      for (SelectionKey key : selector.keys()) {
        try {
          key.channel().close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      selector.close();
    } catch (IOException e) {
      LOG.log(Level.FINE, "Closing selector of " + name, e);
    }
  }

  /** A one-shot timer; cancel it on the loop thread. */
  public static final class Timer implements Comparable<Timer> {
    private final EventLoop loop;
    private final long deadline;
    private final long sequence;
    private final Runnable task;
    private boolean cancelled;
    private boolean fired;

    private Timer(EventLoop loop, long deadline, long sequence, Runnable task) {
      this.loop = loop;
      this.deadline = deadline;
      this.sequence = sequence;
      this.task = task;
    }

    /** Prevents the task from running if it has not run yet. */
    public void cancel() {
      loop.assertInLoop();
      cancelled = true;
    }

    /** Whether the task has run. */
    public boolean fired() {
      return fired;
    }

    @Override
    public int compareTo(Timer o) {
      int c = Long.compare(deadline - o.deadline, 0);
      return c != 0 ? c : Long.compare(sequence, o.sequence);
    }
  }
}
