package dev.ztjvm.tools.natlab;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link NatLabMember} child JVM running inside a member namespace ({@code ip netns exec}), driven over its
 * standard input; answers are matched to requests by tag. The waits have generous limits only so that a broken lab
 * fails instead of hanging.
 */
final class LabMember implements AutoCloseable {

  private static final AtomicInteger TAGS = new AtomicInteger();

  private final String name;
  private final NatType nat;
  private final Process process;
  private final Writer stdin;
  private final List<String> output = Collections.synchronizedList(new ArrayList<>());
  private final Map<String, CompletableFuture<String>> pending = new ConcurrentHashMap<>();
  private final CompletableFuture<String> nodeId = new CompletableFuture<>();
  private final CompletableFuture<String> ready = new CompletableFuture<>();

  LabMember(String name, NatType nat, String namespace, Path planet, String nwid, String relay, Path storage,
      long fallbackMillis) throws IOException {
    this.name = name;
    this.nat = nat;
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace,
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx160m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
        NatLabMember.class.getName(), planet.toString(), nwid, relay, storage.toString(),
        String.valueOf(fallbackMillis)));
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread pump = new Thread(this::pump, "member-" + name);
    pump.setDaemon(true);
    pump.start();
  }

  private void pump() {
    try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
        StandardCharsets.UTF_8))) {
      String line;
      while ((line = r.readLine()) != null) {
        output.add(line);
        if (line.startsWith("NODE ")) {
          nodeId.complete(line.substring(5).trim());
        } else if (line.startsWith("READY ")) {
          ready.complete(line.substring(6).trim());
        } else if (line.startsWith("RESULT ")) {
          String[] parts = line.split(" ", 3);
          CompletableFuture<String> f = pending.remove(parts[1]);
          if (f != null) {
            f.complete(parts.length > 2 ? parts[2] : "");
          }
        }
      }
    } catch (IOException e) {
      output.add("(output pump failed: " + e + ")");
    }
    AssertionError ended = new AssertionError(name + " ended; " + describe());
    nodeId.completeExceptionally(ended);
    ready.completeExceptionally(ended);
    pending.values().forEach(f -> f.completeExceptionally(ended));
  }

  String name() {
    return name;
  }

  NatType nat() {
    return nat;
  }

  /** Waits until the member has joined and holds its address; returns the address. */
  String awaitReady(Duration limit) throws Exception {
    try {
      return ready.get(limit.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(name + " not ready within " + limit + "; " + describe());
    }
  }

  String nodeId() throws Exception {
    return nodeId.get(5, TimeUnit.MINUTES);
  }

  String ip() throws Exception {
    return ready.get(5, TimeUnit.MINUTES);
  }

  /** Sends a command and waits for its answer. */
  String call(String command, String argument) throws Exception {
    String tag = "t" + TAGS.incrementAndGet();
    CompletableFuture<String> answer = new CompletableFuture<>();
    pending.put(tag, answer);
    synchronized (stdin) {
      stdin.write(command + " " + tag + " " + argument + "\n");
      stdin.flush();
    }
    try {
      return answer.get(2, TimeUnit.MINUTES);
    } catch (TimeoutException e) {
      throw new AssertionError(name + ": no answer to " + command + " " + argument + "; " + describe());
    }
  }

  String describe() {
    synchronized (output) {
      int from = Math.max(0, output.size() - 40);
      return name + " [" + (process.isAlive() ? "running" : "exit " + process.exitValue()) + "] last output: "
          + output.subList(from, output.size());
    }
  }

  @Override
  public void close() {
    try {
      stdin.close(); // the member stops its node and exits
    } catch (IOException ignored) {
      // already gone
    }
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
