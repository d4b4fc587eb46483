package dev.ztjvm.nativeio.testing;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An empty network namespace made for a test (only its loopback, brought up), for code that puts its own
 * interfaces into it (the OS-interface mode). Named like {@link NetnsFixture}'s ({@code ztjvm-<pid>-<tag>}), so a
 * namespace left by a killed run is removed by the next run's stale-namespace sweep. {@link #close()} deletes it;
 * a shutdown hook does too if the JVM ends first.
 */
public final class Netns implements AutoCloseable {

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
    String name = "ztjvm-" + ProcessHandle.current().pid() + "-" + tag;
    NetnsFixture.removeStaleNamespaces();
    try {
      NetnsFixture.run(List.of("ip", "netns", "add", name));
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
    return NetnsFixture.run(cmd);
  }

  /** Like {@link #ip} but returns null instead of failing. */
  public @Nullable String ipOrNull(String... args) {
    try {
      return ip(args);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Starts a program inside the namespace. */
  public LinuxProcess start(String... command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", name));
    cmd.addAll(List.of(command));
    try {
      return new LinuxProcess(String.join(" ", command), new ProcessBuilder(cmd).start());
    } catch (java.io.IOException e) {
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
    try {
      NetnsFixture.run(List.of("ip", "netns", "del", name));
    } catch (RuntimeException ignored) {
      // Already gone.
    }
  }
}
