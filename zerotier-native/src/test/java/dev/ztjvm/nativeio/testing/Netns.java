package dev.ztjvm.nativeio.testing;

import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * An empty network namespace made for a test (only its loopback, brought up), for code that puts its own
 * interfaces into it (the OS-interface mode, and {@link NetnsFixture}'s TAP). Named {@code ztjvm-<pid>-<tag>}, so a
 * namespace left by a killed run is removed by the next run's stale-namespace sweep. {@link #close()} deletes it;
 * a shutdown hook does too if the JVM ends first.
 */
public final class Netns implements AutoCloseable {

  private static final String PREFIX = "ztjvm-";
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

  private final String name;
  private final Thread cleanupHook;
  private boolean closed;

  private Netns(String name) {
    this.name = name;
    this.cleanupHook = new Thread(this::delete, "netns-cleanup-" + name);
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  /**
   * Creates {@code ztjvm-<pid>-<tag>} with its loopback up.
   *
   * @throws AssertionError (deliberately not an assumption) with {@link NetnsFixture#REQUIREMENTS}
   */
  public static Netns create(String tag) {
    String name = PREFIX + ProcessHandle.current().pid() + "-" + tag;
    removeStaleNamespaces();
    try {
      run(List.of("ip", "netns", "add", name));
    } catch (RuntimeException e) {
      throw new AssertionError(NetnsFixture.REQUIREMENTS + " Setup failed: " + e.getMessage(), e);
    }
    Netns ns = new Netns(name);
    try {
      ns.ip("link", "set", "dev", "lo", "up");
    } catch (RuntimeException | Error e) {
      ns.close();
      throw new AssertionError(NetnsFixture.REQUIREMENTS + " Setup failed: " + e.getMessage(), e);
    }
    return ns;
  }

  public String name() {
    return name;
  }

  /** Runs {@code ip -n NS ARGS} and returns its output; fails with its error output. */
  public String ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip", "-n", name));
    cmd.addAll(List.of(args));
    return run(cmd);
  }

  /** Like {@link #ip} but returns null instead of failing. */
  public @Nullable String ipOrNull(String... args) {
    try {
      return ip(args);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Runs a short command inside the namespace and returns its standard output; fails with its error output. */
  public String exec(String... command) {
    return run(inNamespace(command));
  }

  /** Starts a longer-running program inside the namespace. */
  public LinuxProcess start(String... command) {
    List<String> cmd = inNamespace(command);
    try {
      return new LinuxProcess(String.join(" ", command), new ProcessBuilder(cmd).start());
    } catch (IOException e) {
      throw new AssertionError("cannot start " + cmd + ": " + e.getMessage(), e);
    }
  }

  /** Starts {@link LinuxSidePeer} with this JDK inside the namespace. */
  public LinuxProcess startPeer(String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    cmd.add("-cp");
    try {
      cmd.add(Path.of(LinuxSidePeer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    cmd.add(LinuxSidePeer.class.getName());
    cmd.addAll(List.of(args));
    return start(cmd.toArray(String[]::new));
  }

  private List<String> inNamespace(String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(List.of(command));
    return cmd;
  }

  /** Deletes the namespace (interfaces still in it are destroyed or returned by the kernel). Idempotent. */
  @Override
  public void close() {
    delete();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway.
    }
  }

  private synchronized void delete() {
    if (closed) {
      return;
    }
    closed = true;
    runQuietly(List.of("ip", "netns", "del", name)); // fails only if already gone
  }

  /** Deletes namespaces named by this class whose JVM no longer runs (left by a killed test run). */
  static void removeStaleNamespaces() {
    String list;
    try {
      list = run(List.of("ip", "netns", "list"));
    } catch (RuntimeException e) {
      return; // create() reports the real problem
    }
    for (String line : list.split("\n")) {
      String name = line.trim().split("\\s+")[0];
      if (!name.startsWith(PREFIX)) {
        continue;
      }
      String[] parts = name.substring(PREFIX.length()).split("-");
      try {
        long pid = Long.parseLong(parts[0]);
        if (ProcessHandle.of(pid).isEmpty()) {
          runQuietly(List.of("ip", "netns", "del", name));
        }
      } catch (NumberFormatException ignored) {
        // Not one of ours.
      }
    }
  }

  /** Runs a short command (in this namespace) and returns its standard output; fails with its error output. */
  static String run(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).start();
      p.getOutputStream().close();
      String out = readAll(p.getInputStream());
      String err = readAll(p.getErrorStream());
      if (!p.waitFor(COMMAND_LIMIT.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", cmd) + " failed with exit code " + p.exitValue() + ": " + err.trim());
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", cmd), e);
    }
  }

  private static @Nullable String runQuietly(List<String> cmd) {
    try {
      return run(cmd);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static String readAll(InputStream in) throws IOException {
    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
  }
}
