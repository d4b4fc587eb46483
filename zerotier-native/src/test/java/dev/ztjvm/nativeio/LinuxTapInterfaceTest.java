package dev.ztjvm.nativeio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.nativeio.testing.LinuxProcess;
import dev.ztjvm.nativeio.testing.LinuxSidePeer;
import dev.ztjvm.nativeio.testing.Netns;
import dev.ztjvm.nativeio.testing.NetnsFixture;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierAddresses;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.spi.HostInterface;
import dev.ztjvm.sockets.spi.HostInterfaceProvider;
import dev.ztjvm.sockets.spi.NetworkPort;
import dev.ztjvm.testing.NeedsRoot;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MulticastGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The OS-interface mode end to end: two {@link ZeroTierNode}s of one in-process private ZeroTier
 * ({@link LocalZeroTier}, loopback UDP). Node A attaches the network to a real TAP interface through
 * {@link LinuxTapInterface}, inside a network namespace made for the test; node B uses the in-JVM stack. Linux's
 * own programs in the namespace ({@code ping}, a JDK TCP client and server on the kernel's stack) then talk to
 * node B over ZeroTier, and the addresses and routes the controller assigned are checked on the interface, after a
 * config change, and gone after leaving.
 *
 * <p>Needs root, {@code /dev/net/tun}, iproute2 and iputils-ping; fails (does not skip) without them, as the
 * other TAP tests: CI runs as root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@NeedsRoot("TAP device in a network namespace")
class LinuxTapInterfaceTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final long TRANSFER_BYTES = 8L << 20;

  private static Netns ns;
  private static LocalZeroTier zt;
  private static ZeroTierNode a;
  private static ZeroTierNode b;
  private static long nwid;
  private static String dev;
  private static InetAddress aV4;
  private static InetAddress aV6;
  private static InetAddress bV4;
  private static InetAddress bV6;
  private static final List<ZeroTierEvent> aEvents = new CopyOnWriteArrayList<>();

  @BeforeAll
  static void twoNodesOneOnATapInANamespace() throws Exception {
    ns = Netns.create("osif");
    zt = LocalZeroTier.start();
    nwid = zt.createPrivateNetwork("os-interface", "10.147.30.0/24", "10.147.30.10", "10.147.30.20", true);
    zt.database().updateNetwork(nwid,
        e -> e.addRoute(IpPrefix.parse("10.99.0.0/16"), IpPrefix.parseIp("10.147.30.1")));
    // A fixed UDP port for node A: after its restart the controller and node B still reach it on the path they
    // know (with a new random port they would wait for that path to expire).
    int aPort;
    try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      aPort = probe.getLocalPort();
    }
    a = zt.nodeBuilder()
        .port(aPort)
        .hostInterface(LinuxTapInterface.builder().namespace(ns.name()).multicastScanInterval(Duration.ofSeconds(1))
            .build())
        .listener(aEvents::add)
        .build();
    b = zt.nodeBuilder().build();
    a.start();
    b.start();
    a.awaitOnline(WAIT);
    b.awaitOnline(WAIT);
    zt.authorize(nwid, a.nodeId());
    zt.authorize(nwid, b.nodeId());
    NetworkDetails da;
    try {
      da = a.awaitNetworkReady(nwid, WAIT);
    } catch (UncheckedIOException e) {
      throw new AssertionError(NetnsFixture.REQUIREMENTS + " Attaching the network failed: " + e.getMessage(), e);
    }
    NetworkDetails db = b.awaitNetworkReady(nwid, WAIT);
    dev = a.hostInterfaceName(nwid);
    aV4 = da.ipv4().orElseThrow();
    aV6 = da.ipv6().orElseThrow();
    bV4 = db.ipv4().orElseThrow();
    bV6 = db.ipv6().orElseThrow();
  }

  @AfterAll
  static void cleanUp() {
    if (a != null) {
      a.stop();
    }
    if (b != null) {
      b.stop();
    }
    if (zt != null) {
      zt.close();
    }
    if (ns != null) {
      ns.close();
    }
  }

  @Test
  @Order(1)
  void theInterfaceCarriesTheNodesMacMtuAndTheAssignedAddressesAndRoutes() throws Exception {
    assertThat(dev).isEqualTo(LinuxTapInterface.defaultName(nwid, a.network(nwid).mac()));
    assertThat(a.network(nwid).transportReady()).isTrue();
    assertThat(aV6).isEqualTo(ZeroTierAddresses.rfc4193(nwid, a.nodeId()));

    String link = ns.ip("link", "show", "dev", dev);
    assertThat(link).contains("mtu 2800").contains(a.network(nwid).macString().toLowerCase())
        .contains("UP");
    assertThat(ns.ip("-4", "addr", "show", "dev", dev)).contains("inet " + aV4.getHostAddress() + "/24");
    assertThat(ns.ip("-6", "addr", "show", "dev", dev)).contains("inet6 " + v6(aV6) + "/88");
    String routes = ns.ip("-4", "route", "show", "dev", dev);
    assertThat(routes).contains("10.147.30.0/24").contains("10.99.0.0/16 via 10.147.30.1");
    assertThat(ns.ip("-6", "route", "show", "dev", dev)).contains(v6(network88(aV6)) + "/88");
    // The interface lives in the namespace only: the JVM's own namespace has no such device.
    assertThat(runsOk(List.of("ip", "link", "show", "dev", dev))).isFalse();
    // The node reported the addresses it put on the host, in order with the readiness.
    assertThat(aEvents).anySatisfy(e -> assertThat(e).isEqualTo(new ZeroTierEvent.AddressAdded(nwid, aV4, 24)));
    assertThat(aEvents).anySatisfy(e -> assertThat(e).isInstanceOf(ZeroTierEvent.NetworkReadyIpv4.class));
    assertThat(aEvents).anySatisfy(e -> assertThat(e).isInstanceOf(ZeroTierEvent.NetworkReadyIpv6.class));
  }

  @Test
  @Order(1)
  void theKernelsMulticastMembershipsAreAnnouncedOnTheNetwork() throws Exception {
    // Linux joins the IPv6 all-nodes and IPv4 all-hosts groups on any interface that is up; the provider finds
    // them with 'ip maddr' and subscribes the node to them, so multicasts to them reach the host.
    MulticastGroup allNodes = new MulticastGroup(0x3333_0000_0001L, 0);
    MulticastGroup allHosts = new MulticastGroup(0x0100_5e00_0001L, 0);
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<MulticastGroup> groups = List.of();
    while (System.nanoTime() < deadline) {
      groups = a.network(nwid).multicastSubscriptions();
      if (groups.contains(allNodes) && groups.contains(allHosts)) {
        break;
      }
      Thread.sleep(50);
    }
    assertThat(groups).contains(allNodes, allHosts);
  }

  @Test
  @Order(2)
  void linuxPingReachesTheInJvmNodeOverIpv4AndIpv6() throws Exception {
    linuxPing(3, bV4.getHostAddress());
    linuxPing(3, "-6", v6(bV6));
  }

  @Test
  @Order(3)
  void theInJvmNodePingsTheLinuxKernelOnTheTap() throws Exception {
    assertThat(b.ping(aV4, Duration.ofSeconds(10))).isPositive();
    assertThat(b.ping(aV6, Duration.ofSeconds(10))).isPositive();
  }

  @ParameterizedTest(name = "IPv{0}")
  @ValueSource(ints = {4, 6})
  @Order(4)
  void aLinuxTcpClientExchangesEqualBytesWithAZeroTierServerSocket(int family) throws Exception {
    String bAddress = family == 4 ? bV4.getHostAddress() : v6(bV6);
    long ourSeed = 31 + family;
    long linuxSeed = 41 + family;
    try (ZeroTierServerSocket server = b.newServerSocket(0)) {
      int port = server.getLocalPort();
      CompletableFuture<String[]> ours = CompletableFuture.supplyAsync(unchecked(() -> {
        try (Socket s = server.accept()) {
          return duplex(s, TRANSFER_BYTES, ourSeed);
        }
      }));
      try (LinuxProcess client = ns.startPeer("tcp-client", bAddress, String.valueOf(port),
          String.valueOf(TRANSFER_BYTES), String.valueOf(linuxSeed))) {
        String linux = client.awaitLine("RESULT", Duration.ofMinutes(2));
        client.awaitSuccess(WAIT);
        checkExchange(ours.get(2, TimeUnit.MINUTES), linux, ourSeed, linuxSeed);
      }
    }
  }

  @Test
  @Order(5)
  void aZeroTierSocketExchangesEqualBytesWithALinuxTcpServer() throws Exception {
    long ourSeed = 51;
    long linuxSeed = 52;
    try (LinuxProcess server = ns.startPeer("tcp-server", aV4.getHostAddress(), "9100",
        String.valueOf(TRANSFER_BYTES), String.valueOf(linuxSeed))) {
      server.awaitLine("READY", WAIT);
      String[] ours;
      try (ZeroTierSocket s = b.newSocket()) {
        s.connect(new InetSocketAddress(aV4, 9100), (int) WAIT.toMillis());
        ours = duplex(s, TRANSFER_BYTES, ourSeed);
      }
      String linux = server.awaitLine("RESULT", Duration.ofMinutes(2));
      server.awaitSuccess(WAIT);
      checkExchange(ours, linux, ourSeed, linuxSeed);
    }
  }

  @Test
  @Order(6)
  void aConfigChangeReplacesTheManagedRoute() throws Exception {
    zt.database().updateNetwork(nwid, e -> e.clearRoutes()
        .addRoute(IpPrefix.parse("10.147.30.0/24"), null)
        .addRoute(IpPrefix.parse("10.98.0.0/16"), IpPrefix.parseIp("10.147.30.1")));
    a.refresh(nwid);
    String routes = awaitIp(r -> r.contains("10.98.0.0/16") && !r.contains("10.99.0.0/16"),
        "-4", "route", "show", "dev", dev);
    assertThat(routes).contains("10.98.0.0/16 via 10.147.30.1").doesNotContain("10.99.0.0/16")
        .contains("10.147.30.0/24");
    assertThat(ns.ip("-4", "addr", "show", "dev", dev)).contains("inet " + aV4.getHostAddress() + "/24");
    linuxPing(1, bV4.getHostAddress());
  }

  @Test
  @Order(7)
  void stoppingTheNodeRemovesTheInterfaceAndRestartingBringsItBack() throws Exception {
    a.stop();
    assertThat(ns.ip("link", "show")).as("the interface goes with the node").doesNotContain(dev);
    assertThat(ns.ip("-4", "route", "show")).doesNotContain("10.147.30.").doesNotContain("10.98.0.0");
    a.start();
    a.awaitNetworkReady(nwid, WAIT);
    assertThat(a.hostInterfaceName(nwid)).isEqualTo(dev);
    assertThat(ns.ip("-4", "addr", "show", "dev", dev)).contains("inet " + aV4.getHostAddress() + "/24");
    assertThat(ns.ip("-4", "route", "show", "dev", dev)).contains("10.98.0.0/16 via 10.147.30.1");
    linuxPing(1, bV4.getHostAddress());
  }

  @Test
  @Order(8)
  void leavingRemovesTheInterfaceWithItsAddressesAndRoutes() throws Exception {
    aEvents.clear();
    assertThat(a.leave(nwid)).isTrue();
    assertThat(ns.ip("link", "show")).as("the interface goes at once").doesNotContain(dev);
    assertThat(ns.ip("addr", "show")).doesNotContain(aV4.getHostAddress()).doesNotContain(v6(aV6));
    assertThat(ns.ip("-4", "route", "show")).doesNotContain("10.147.30.").doesNotContain("10.98.0.0");
    assertThat(a.hostInterfaceName(nwid)).isNull();
    assertThat(a.isTransportReady(nwid)).isFalse();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (aEvents.stream().noneMatch(ZeroTierEvent.NetworkDown.class::isInstance) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(aEvents).contains(new ZeroTierEvent.NetworkDown(nwid));
  }

  @Test
  @Order(9)
  void joiningFailsWithAClearMessageWhenTheNamespaceIsMissing() throws Exception {
    long other = zt.createPublicNetwork("no-namespace", "10.147.31.0/24", "10.147.31.10", "10.147.31.20", false);
    try (ZeroTierNode c = zt.nodeBuilder()
        .hostInterface(LinuxTapInterface.builder().namespace("ztjvm-does-not-exist").build()).build()) {
      c.start();
      assertThatThrownBy(() -> c.join(other))
          .isInstanceOf(UncheckedIOException.class)
          .hasMessageContaining("ztjvm-does-not-exist")
          .hasMessageContaining("ip netns add");
      assertThat(c.network(other)).as("the failed join is undone").isNull();
    }
  }

  /**
   * Runs {@link AttachAndReport} in a child JVM whose capability set lacks CAP_NET_ADMIN (util-linux
   * {@code setpriv}), as an unprivileged user would: attaching a network must fail saying what is needed.
   */
  @Test
  @Order(10)
  void withoutCapNetAdminAttachingSaysWhatIsNeeded() throws Exception {
    String cp = String.join(":", location(LinuxTapInterface.class), location(com.sun.jna.Native.class),
        location(HostInterfaceProvider.class), location(AttachAndReport.class));
    List<String> cmd = List.of("setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin",
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", cp,
        AttachAndReport.class.getName());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(out).contains("TapUnavailableException").contains("needs root or CAP_NET_ADMIN");
  }

  /** Child-JVM entry point: attaches a stand-in network port with the default provider and reports the outcome. */
  static final class AttachAndReport {
    public static void main(String[] args) {
      NetworkPort port = new NetworkPort() {
        @Override
        public long networkId() {
          return 0x8056c2e21c000001L;
        }

        @Override
        public long nodeId() {
          return 0x89e92ceee5L;
        }

        @Override
        public long mac() {
          return 0x32_9a_4b_01_02_03L;
        }

        @Override
        public int mtu() {
          return 2800;
        }

        @Override
        public void sendFrame(byte[] frame, int off, int len) {}

        @Override
        public void subscribe(long multicastMac, int adi) {}

        @Override
        public void unsubscribe(long multicastMac, int adi) {}
      };
      try {
        HostInterface h = LinuxTapInterface.create().attach(port);
        System.out.println("ATTACHED " + h.name());
        h.close();
      } catch (java.io.IOException e) {
        System.out.println(e.getClass().getSimpleName() + ": " + e.getMessage());
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ helpers

  private static String location(Class<?> c) throws Exception {
    return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
  }

  /** Runs iputils {@code ping COUNT ARGS} in the namespace; every echo must come back. */
  private static void linuxPing(int count, String... args) throws InterruptedException {
    List<String> cmd =
        new java.util.ArrayList<>(List.of("ping", "-c", String.valueOf(count), "-i", "0.2", "-W", "5"));
    cmd.addAll(List.of(args));
    try (LinuxProcess ping = ns.start(cmd.toArray(String[]::new))) {
      String summary = ping.awaitLine(count + " packets transmitted", WAIT);
      assertThat(summary).as(ping.describe()).contains(" " + count + " received").contains(" 0% packet loss");
      assertThat(ping.awaitExit(WAIT)).as(ping.describe()).isZero();
    }
  }

  /** Polls {@code ip -n NS ARGS} until its output satisfies {@code done}; generous limit, fails loudly. */
  private static String awaitIp(java.util.function.Predicate<String> done, String... args) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    String out = "";
    while (System.nanoTime() < deadline) {
      out = ns.ip(args);
      if (done.test(out)) {
        return out;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("ip " + String.join(" ", args) + " never reached the expected state: " + out);
  }

  /** Sends {@code bytes} of the stream of {@code seed} and half-closes while reading to the end; both hashed. */
  private static String[] duplex(Socket s, long bytes, long seed) throws Exception {
    CompletableFuture<String> sent = CompletableFuture.supplyAsync(unchecked(() -> {
      MessageDigest h = MessageDigest.getInstance("SHA-256");
      SplittableRandom random = new SplittableRandom(seed);
      byte[] chunk = new byte[32768];
      OutputStream out = s.getOutputStream();
      long left = bytes;
      while (left > 0) {
        int n = (int) Math.min(chunk.length, left);
        LinuxSidePeer.fill(random, chunk, n);
        h.update(chunk, 0, n);
        out.write(chunk, 0, n);
        left -= n;
      }
      out.flush();
      s.shutdownOutput();
      return HexFormat.of().formatHex(h.digest());
    }));
    MessageDigest h = MessageDigest.getInstance("SHA-256");
    InputStream in = s.getInputStream();
    byte[] buf = new byte[65536];
    long received = 0;
    int n;
    while ((n = in.read(buf)) > 0) {
      h.update(buf, 0, n);
      received += n;
    }
    return new String[] {sent.get(2, TimeUnit.MINUTES), String.valueOf(bytes), HexFormat.of().formatHex(h.digest()),
        String.valueOf(received)};
  }

  private static void checkExchange(String[] ours, String linuxLine, long ourSeed, long linuxSeed) {
    String[] f = linuxLine.split(" ");
    assertThat(Long.parseLong(f[4])).as("bytes Linux received from node B").isEqualTo(TRANSFER_BYTES);
    assertThat(f[3]).as("SHA-256 of what Linux received").isEqualTo(ours[0]);
    assertThat(ours[0]).isEqualTo(LinuxSidePeer.expectedSha256(TRANSFER_BYTES, ourSeed));
    assertThat(Long.parseLong(ours[3])).as("bytes node B received from Linux").isEqualTo(TRANSFER_BYTES);
    assertThat(ours[2]).as("SHA-256 of what node B received").isEqualTo(f[1]);
    assertThat(f[1]).isEqualTo(LinuxSidePeer.expectedSha256(TRANSFER_BYTES, linuxSeed));
  }

  private interface IoSupplier<T> {
    T get() throws Exception;
  }

  private static <T> Supplier<T> unchecked(IoSupplier<T> s) {
    return () -> {
      try {
        return s.get();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    };
  }

  private static boolean runsOk(List<String> cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (Exception e) {
      return false;
    }
  }

  /** How {@code ip} prints an IPv6 address (compressed, lower case). */
  private static String v6(InetAddress a) {
    return IpPrefix.format(a);
  }

  private static InetAddress network88(InetAddress a) throws Exception {
    byte[] raw = a.getAddress();
    for (int i = 11; i < 16; i++) {
      raw[i] = 0;
    }
    return Inet6Address.getByAddress(raw);
  }
}
