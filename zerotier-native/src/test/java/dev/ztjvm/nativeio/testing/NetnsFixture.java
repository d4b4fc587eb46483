package dev.ztjvm.nativeio.testing;

import dev.ztjvm.nativeio.TapDevice;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A private little network for interop tests: a network namespace created for the test, holding the kernel side of
 * a TAP interface whose descriptor this JVM owns. Linux inside the namespace has {@link #LINUX_V4} /24 and
 * {@link #LINUX_V6} /64 on the TAP; the test plays the host at {@link #OUR_V4} / {@link #OUR_V6} on the wire side
 * by reading and writing frames. Nothing is routed anywhere else: the namespace has no other interface but its own
 * loopback.
 *
 * <p>How: the TAP is created in our namespace (so our JVM opens its descriptor), then moved with
 * {@code ip link set dev T netns NS}; the descriptor keeps working. {@link #close()} closes the descriptor (which
 * removes the interface) and deletes the namespace; a shutdown hook does the same if the JVM ends first, and
 * namespaces left by earlier runs whose JVM is gone are removed at creation.
 */
public final class NetnsFixture implements AutoCloseable {

  public static final String LINUX_V4 = "10.77.0.1";
  public static final String OUR_V4 = "10.77.0.2";
  public static final int V4_PREFIX = 24;
  public static final String LINUX_V6 = "fd00:77::1";
  public static final String OUR_V6 = "fd00:77::2";
  public static final int V6_PREFIX = 64;

  /** What the test needs and why, shown whenever the setup fails. */
  public static final String REQUIREMENTS =
      "The Linux interop tests attach our code to a TAP interface inside a network namespace they create (a"
          + " loopback-only world removed afterwards). That needs root (or CAP_NET_ADMIN and CAP_SYS_ADMIN),"
          + " /dev/net/tun (tun kernel module), and the 'ip' tool (Debian package iproute2: .ci/run installs it)."
          + " CI runs as root, so this failure is real, not an environment to skip.";

  private static final String PREFIX = "ztjvm-";
  private static final AtomicInteger COUNTER = new AtomicInteger();
  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(30);

  private final String namespace;
  private final TapDevice tap;
  private final byte[] linuxMac;
  private final int mtu;
  private final Thread cleanupHook;
  private boolean closed;

  private NetnsFixture(String namespace, TapDevice tap, byte[] linuxMac, int mtu) {
    this.namespace = namespace;
    this.tap = tap;
    this.linuxMac = linuxMac;
    this.mtu = mtu;
    this.cleanupHook = new Thread(this::cleanUp, "netns-cleanup-" + namespace);
    Runtime.getRuntime().addShutdownHook(cleanupHook);
  }

  /**
   * Creates the namespace and the TAP, moves it in, brings it up with the addresses and MTU.
   *
   * @throws AssertionError (deliberately not an assumption) with {@link #REQUIREMENTS} and the cause
   */
  public static NetnsFixture create(int mtu) {
    removeStaleNamespaces();
    long pid = ProcessHandle.current().pid();
    int n = COUNTER.incrementAndGet();
    String namespace = PREFIX + pid + "-" + n;
    String tapName = "ztt" + Long.toString(pid, 36) + "x" + n;
    TapDevice tap = null;
    boolean namespaceMade = false;
    try {
      tap = TapDevice.open(tapName);
      tap.setMtu(mtu);
      byte[] linuxMac = tap.hardwareAddress();
      run(List.of("ip", "netns", "add", namespace));
      namespaceMade = true;
      run(List.of("ip", "link", "set", "dev", tapName, "netns", namespace));
      NetnsFixture f = new NetnsFixture(namespace, tap, linuxMac, mtu);
      try {
        f.ip("link", "set", "dev", "lo", "up");
        // No router solicitations or DAD on our address: keeps the wire quiet and the address usable at once.
        // (/proc/sys/net shows the settings of the namespace of the process reading it.)
        f.exec("sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/" + tapName + "/router_solicitations");
        f.ip("link", "set", "dev", tapName, "up");
        f.ip("addr", "add", LINUX_V4 + "/" + V4_PREFIX, "dev", tapName);
        f.ip("-6", "addr", "add", LINUX_V6 + "/" + V6_PREFIX, "dev", tapName, "nodad");
      } catch (RuntimeException | Error e) {
        f.close();
        throw e;
      }
      return f;
    } catch (IOException | RuntimeException e) {
      if (tap != null) {
        tap.close();
      }
      if (namespaceMade) {
        runQuietly(List.of("ip", "netns", "del", namespace));
      }
      throw new AssertionError(REQUIREMENTS + " Setup failed: " + e.getMessage(), e);
    }
  }

  public String namespace() {
    return namespace;
  }

  /** Our end: frames Linux sends on the interface are read here; frames written here arrive at Linux. */
  public TapDevice tap() {
    return tap;
  }

  public String tapName() {
    return tap.name();
  }

  /** The MAC address Linux uses on the TAP interface. */
  public byte[] linuxMac() {
    return linuxMac.clone();
  }

  public int mtu() {
    return mtu;
  }

  /** Runs {@code ip ARGS} inside the namespace and returns its output; fails with its error output. */
  public String ip(String... args) {
    List<String> cmd = new ArrayList<>(List.of("ip"));
    cmd.addAll(List.of(args));
    return exec(cmd.toArray(String[]::new));
  }

  /** Runs a short command inside the namespace and returns its standard output; fails with its error output. */
  public String exec(String... command) {
    return run(inNamespace(List.of(command)));
  }

  /** Starts a longer-running program inside the namespace. */
  public LinuxProcess start(String... command) {
    List<String> cmd = inNamespace(List.of(command));
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
    cmd.add(peerClassPath());
    cmd.add(LinuxSidePeer.class.getName());
    cmd.addAll(List.of(args));
    return start(cmd.toArray(String[]::new));
  }

  /** Removes the TAP and the namespace. Idempotent. */
  @Override
  public void close() {
    cleanUp();
    try {
      Runtime.getRuntime().removeShutdownHook(cleanupHook);
    } catch (IllegalStateException shuttingDown) {
      // The hook runs anyway.
    }
  }

  private synchronized void cleanUp() {
    if (closed) {
      return;
    }
    closed = true;
    tap.close();
    runQuietly(List.of("ip", "netns", "del", namespace));
  }

  private List<String> inNamespace(List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
    cmd.addAll(command);
    return cmd;
  }

  private static String peerClassPath() {
    try {
      return Path.of(LinuxSidePeer.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Deletes namespaces named by this fixture whose JVM no longer runs (left by a killed test run). */
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
