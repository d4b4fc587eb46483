package dev.ztjvm.nativeio.testing;

import dev.ztjvm.nativeio.TapDevice;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * Attaches a single-threaded, poll-driven stack to a {@link TapDevice}: one loop thread feeds every frame read
 * from the descriptor into the stack, runs its timers at their deadlines, writes the frames it emits to the
 * descriptor, and runs tasks posted from other threads ({@link #call}) — which is how a test touches the stack,
 * since the stack itself is not thread-safe. Time given to the stack is {@link System#nanoTime()}.
 */
public final class TapStackLoop implements AutoCloseable {

  /** What the loop drives (the netstack interface, adapted). All calls come from the loop thread. */
  public interface Stack {
    void receiveFrame(byte[] frame, int off, int len, long nowNanos);

    void poll(long nowNanos);

    /** Earliest time {@link #poll} has work, or {@link Long#MAX_VALUE}. */
    long nextDeadline();
  }

  /** Longest sleep between polls even without deadlines, so a missed wakeup costs little. */
  private static final int MAX_WAIT_MILLIS = 50;
  /** Frames taken in one go before timers and tasks get a turn. */
  private static final int BATCH = 64;

  private final TapDevice tap;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final byte[] readBuffer = new byte[TapDevice.MAX_FRAME];
  private volatile boolean running = true;
  private volatile @Nullable Throwable failure;
  private @Nullable Stack stack;
  private long framesIn;
  private long framesOut;
  private long writeDrops;

  public TapStackLoop(TapDevice tap, String name) {
    this.tap = tap;
    this.thread = new Thread(this::run, "tap-loop-" + name);
    this.thread.setDaemon(true);
  }

  /** Starts the loop over {@code stack}; frames the stack emits must go to {@link #sendFrame}. */
  public void start(Stack stack) {
    this.stack = stack;
    thread.start();
  }

  /**
   * Writes one frame the stack emitted (its {@code FrameSink}). Loop thread only; a frame the kernel refuses is
   * counted and treated as loss on the wire.
   */
  public void sendFrame(byte[] frame, int off, int len) {
    try {
      if (tap.write(frame, off, len)) {
        framesOut++;
      } else {
        writeDrops++;
      }
    } catch (IOException e) {
      throw new IllegalStateException("TAP write failed", e);
    }
  }

  /** Runs {@code task} on the loop thread and returns its result. */
  public <T> T call(Callable<T> task) throws Exception {
    CompletableFuture<T> f = submit(task);
    try {
      return f.get(60, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof Exception ex) {
        throw ex;
      }
      throw e;
    }
  }

  /** Posts {@code task} to the loop thread. */
  public <T> CompletableFuture<T> submit(Callable<T> task) {
    CompletableFuture<T> f = new CompletableFuture<>();
    tasks.add(() -> {
      try {
        f.complete(task.call());
      } catch (Throwable t) {
        f.completeExceptionally(t);
      }
    });
    tap.wakeup();
    return f;
  }

  /** Posts {@code task} to the loop thread, without a result. */
  public void execute(Runnable task) {
    tasks.add(task);
    tap.wakeup();
  }

  /** Whether the current thread is the loop thread. */
  public boolean inLoop() {
    return Thread.currentThread() == thread;
  }

  /** Throws what killed the loop, if anything did. */
  public void checkHealthy() {
    Throwable t = failure;
    if (t != null) {
      throw new AssertionError("the stack loop failed: " + t, t);
    }
  }

  /** Frames the loop fed into the stack, frames it wrote, frames the kernel refused; loop thread view. */
  public String counters() {
    return "framesIn=" + framesIn + " framesOut=" + framesOut + " writeDrops=" + writeDrops;
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    tap.wakeup();
    thread.join(TimeUnit.SECONDS.toMillis(30));
    checkHealthy();
  }

  private void run() {
    Stack s = stack;
    try {
      while (running) {
        runTasks();
        long now = System.nanoTime();
        s.poll(now);
        runTasks();
        long deadline = s.nextDeadline();
        int wait;
        if (!tasks.isEmpty()) {
          wait = 0;
        } else if (deadline == Long.MAX_VALUE) {
          wait = MAX_WAIT_MILLIS;
        } else {
          long millis = (deadline - System.nanoTime() + 999_999) / 1_000_000;
          wait = (int) Math.max(0, Math.min(MAX_WAIT_MILLIS, millis));
        }
        int n = tap.read(readBuffer, 0, readBuffer.length, wait);
        for (int batch = 0; n > 0;) {
          framesIn++;
          s.receiveFrame(readBuffer, 0, n, System.nanoTime());
          if (++batch == BATCH) {
            break;
          }
          n = tap.read(readBuffer, 0, readBuffer.length, 0);
        }
        if (n < 0) {
          break;
        }
      }
    } catch (Throwable t) {
      failure = t;
    }
  }

  private void runTasks() {
    Runnable r;
    while ((r = tasks.poll()) != null) {
      r.run();
    }
  }
}
