package dev.ztjvm.nativeio.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A program running inside the test namespace, with its output collected line by line so a test can wait for
 * {@code READY} or {@code RESULT}. The waits have generous limits only so that a broken run fails instead of
 * hanging; they assert nothing about speed.
 */
public final class LinuxProcess implements AutoCloseable {

  private static final String EOF = "\u0000EOF";

  private final String description;
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> allOutput = Collections.synchronizedList(new ArrayList<>());
  private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
  private final Thread outPump;
  private final Thread errPump;

  LinuxProcess(String description, Process process) {
    this.description = description;
    this.process = process;
    outPump = new Thread(() -> pump(process, false), "linux-out-" + process.pid());
    errPump = new Thread(() -> pump(process, true), "linux-err-" + process.pid());
    outPump.setDaemon(true);
    errPump.setDaemon(true);
    outPump.start();
    errPump.start();
  }

  private void pump(Process p, boolean stderr) {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(
        stderr ? p.getErrorStream() : p.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        if (stderr) {
          errors.add(line);
        } else {
          allOutput.add(line);
          lines.add(line);
        }
      }
    } catch (IOException e) {
      errors.add("(output pump failed: " + e + ")");
    } finally {
      if (!stderr) {
        lines.add(EOF);
      }
    }
  }

  /** Waits for the next output line that starts with {@code prefix} and returns it; fails loudly otherwise. */
  public String awaitLine(String prefix, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError("no '" + prefix + "' line from " + describe() + " within " + limit);
      }
      if (line.equals(EOF)) {
        lines.add(EOF);
        process.waitFor(5, TimeUnit.SECONDS);
        throw new AssertionError("'" + prefix + "' never came; " + describe());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /**
   * Waits for the program to end and returns its exit code. It also waits until both output pumps have read to the
   * end: the process can be reaped before its last lines (ping's summary, say) have been pumped, and a test that reads
   * {@link #output()} right after must see all of it.
   */
  public int awaitExit(Duration limit) throws InterruptedException {
    if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(description + " did not end within " + limit + "; " + describe());
    }
    outPump.join(TimeUnit.SECONDS.toMillis(10));
    errPump.join(TimeUnit.SECONDS.toMillis(10));
    return process.exitValue();
  }

  /** Waits for a successful end; fails with the program's output otherwise. */
  public void awaitSuccess(Duration limit) throws InterruptedException {
    int code = awaitExit(limit);
    if (code != 0) {
      throw new AssertionError(description + " exited with " + code + "; " + describe());
    }
  }

  /** Everything printed on standard output so far. */
  public List<String> output() {
    synchronized (allOutput) {
      return List.copyOf(allOutput);
    }
  }

  /** The command, state, output and error output, for failure messages. */
  public String describe() {
    String state = process.isAlive() ? "running" : "exit code " + process.exitValue();
    synchronized (allOutput) {
      synchronized (errors) {
        return description + " [" + state + "] stdout=" + allOutput + " stderr=" + errors;
      }
    }
  }

  @Override
  public void close() {
    if (process.isAlive()) {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
