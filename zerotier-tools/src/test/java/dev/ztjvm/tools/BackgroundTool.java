package dev.ztjvm.tools;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A zerotier-tools command running on its own thread (as it would in its own terminal), with its output readable
 * while it runs. Long-running commands ({@code node}, {@code iperf -s}) stop when the thread is interrupted, which
 * {@link #close()} does. The waits have generous limits only so that a broken run fails instead of hanging.
 */
final class BackgroundTool implements AutoCloseable {

  static final Duration LIMIT = Duration.ofSeconds(90);

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final CompletableFuture<Integer> exit = new CompletableFuture<>();
  private final Thread thread;
  private final String command;

  private BackgroundTool(String... args) {
    this.command = String.join(" ", args);
    this.thread = new Thread(() -> {
      try {
        exit.complete(ZeroTierTool.execute(new PrintWriter(out, true), new PrintWriter(err, true), args));
      } catch (Throwable t) {
        exit.completeExceptionally(t);
      }
    }, "zerotier-tools " + args[0]);
  }

  static BackgroundTool start(String... args) {
    BackgroundTool t = new BackgroundTool(args);
    t.thread.start();
    return t;
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }

  /** Waits until the output matches {@code regex} and returns the match's first group (or the whole match). */
  String await(String regex) throws InterruptedException {
    Pattern p = Pattern.compile(regex);
    long deadline = System.nanoTime() + LIMIT.toNanos();
    while (true) {
      Matcher m = p.matcher(out.toString());
      if (m.find()) {
        return m.groupCount() > 0 ? m.group(1) : m.group();
      }
      if (exit.isDone() || System.nanoTime() > deadline) {
        throw new AssertionError("no match for /" + regex + "/ from `" + command + "` ("
            + (exit.isDone() ? "it ended with " + exit.getNow(null) : "still running") + ")\nstdout:\n" + out
            + "\nstderr:\n" + err);
      }
      Thread.sleep(50);
    }
  }

  /** Waits for the command to end by itself; returns its exit status. */
  int awaitExit() throws Exception {
    try {
      return exit.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      throw new AssertionError("`" + command + "` did not end within " + LIMIT + "\nstdout:\n" + out + "\nstderr:\n"
          + err, e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    thread.interrupt();
    thread.join(TimeUnit.SECONDS.toMillis(30));
  }
}
