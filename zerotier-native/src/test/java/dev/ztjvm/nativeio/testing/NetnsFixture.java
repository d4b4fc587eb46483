package dev.ztjvm.nativeio.testing;

import dev.ztjvm.nativeio.TapDevice;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A private little network for interop tests: a network namespace created for the test, holding the kernel side of
 * a TAP interface whose descriptor this JVM owns. Linux inside the namespace has {@link #LINUX_V4} /24 and
 * {@link #LINUX_V6} /64 on the TAP; the test plays the host at {@link #OUR_V4} / {@link #OUR_V6} on the wire side
 * by reading and writing frames. Nothing is routed anywhere else: the namespace has no other interface but its own
 * loopback.
 *
 * <p>How: the TAP is created in our namespace (so our JVM opens its descriptor), then moved with
 * {@code ip link set dev T netns NS}; the descriptor keeps working. {@link #close()} closes the descriptor (which
 * removes the interface) and deletes the namespace. The namespace is a {@link Netns}: a shutdown hook deletes it if
 * the JVM ends first, and namespaces left by earlier runs whose JVM is gone are removed at creation.
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

  private static final AtomicInteger COUNTER = new AtomicInteger();

  private final Netns netns;
  private final TapDevice tap;
  private final byte[] linuxMac;
  private final int mtu;

  private NetnsFixture(Netns netns, TapDevice tap, byte[] linuxMac, int mtu) {
    this.netns = netns;
    this.tap = tap;
    this.linuxMac = linuxMac;
    this.mtu = mtu;
  }

  /**
   * Creates the namespace and the TAP, moves it in, brings it up with the addresses and MTU.
   *
   * @throws AssertionError (deliberately not an assumption) with {@link #REQUIREMENTS} and the cause
   */
  public static NetnsFixture create(int mtu) {
    long pid = ProcessHandle.current().pid();
    int n = COUNTER.incrementAndGet();
    String tapName = "ztt" + Long.toString(pid, 36) + "x" + n;
    Netns netns = Netns.create(Integer.toString(n));
    TapDevice tap = null;
    try {
      tap = TapDevice.open(tapName);
      tap.setMtu(mtu);
      byte[] linuxMac = tap.hardwareAddress();
      Netns.run(List.of("ip", "link", "set", "dev", tapName, "netns", netns.name()));
      // No router solicitations or DAD on our address: keeps the wire quiet and the address usable at once.
      // (/proc/sys/net shows the settings of the namespace of the process reading it.)
      netns.exec("sh", "-c", "echo 0 > /proc/sys/net/ipv6/conf/" + tapName + "/router_solicitations");
      netns.ip("link", "set", "dev", tapName, "up");
      netns.ip("addr", "add", LINUX_V4 + "/" + V4_PREFIX, "dev", tapName);
      netns.ip("-6", "addr", "add", LINUX_V6 + "/" + V6_PREFIX, "dev", tapName, "nodad");
      return new NetnsFixture(netns, tap, linuxMac, mtu);
    } catch (IOException | RuntimeException | Error e) {
      if (tap != null) {
        tap.close();
      }
      netns.close();
      throw new AssertionError(REQUIREMENTS + " Setup failed: " + e.getMessage(), e);
    }
  }

  public String namespace() {
    return netns.name();
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
    return netns.ip(args);
  }

  /** Runs a short command inside the namespace and returns its standard output; fails with its error output. */
  public String exec(String... command) {
    return netns.exec(command);
  }

  /** Starts a longer-running program inside the namespace. */
  public LinuxProcess start(String... command) {
    return netns.start(command);
  }

  /** Starts {@link LinuxSidePeer} with this JDK inside the namespace. */
  public LinuxProcess startPeer(String... args) {
    return netns.startPeer(args);
  }

  /** Removes the TAP and the namespace. Idempotent. */
  @Override
  public void close() {
    tap.close();
    netns.close();
  }
}
