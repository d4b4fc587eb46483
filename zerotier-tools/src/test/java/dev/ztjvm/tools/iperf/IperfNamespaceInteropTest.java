package dev.ztjvm.tools.iperf;

import static dev.ztjvm.nativeio.testing.NetnsFixture.LINUX_V4;
import static dev.ztjvm.nativeio.testing.NetnsFixture.LINUX_V6;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V4;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.nativeio.TapDevice;
import dev.ztjvm.nativeio.testing.LinuxProcess;
import dev.ztjvm.nativeio.testing.NetnsFixture;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocketFactory;
import dev.ztjvm.testing.NeedsRoot;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The iperf engine on our userspace TCP/IP stack against the real iperf3 (Debian's) in Linux: the stack runs behind a
 * {@link NetstackHost} attached to a TAP interface inside a network namespace this test creates (the fixture of
 * zerotier-native's TapNetstackInteropTest), and the engine uses the SDK's sockets on it ({@link ZeroTierServerSocket},
 * {@link ZeroTierSocketFactory}) exactly as the {@code iperf} command does on a ZeroTier node. Both ways, normal and
 * {@code -R}, over IPv4 and IPv6: {@code iperf3 -c} against our server, our client against {@code iperf3 -s}. The
 * byte counts of both ends must agree. Needs root ({@link NeedsRoot}: skipped with the reason for a normal user,
 * required in CI), /dev/net/tun, iproute2 and iperf3 (.ci/run installs the packages).
 */
@NeedsRoot("TAP device in a network namespace, iperf3 inside it")
@Timeout(value = 15, unit = TimeUnit.MINUTES) // a hang guard for the whole class, not a speed assertion
class IperfNamespaceInteropTest {

  private static final int MTU = 2800;
  private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:77:00:05");
  private static final Duration LIMIT = Duration.ofMinutes(2);
  private static final AtomicInteger PORTS = new AtomicInteger(5301);

  private static NetnsFixture net;
  private static NetstackHost host;
  private static NetworkInterface nif;
  private static Thread reader;

  @BeforeAll
  static void attachStackToTap() throws Exception {
    Iperf3Process.binary(); // fail early and clearly without iperf3
    net = NetnsFixture.create(MTU);
    host = NetstackHost.withOwnLoop("iperf-netstack");
    TapDevice tap = net.tap();
    nif = host.addInterface(InterfaceConfig.builder(OUR_MAC).mtu(MTU).build(), (frame, off, len) -> {
      try {
        tap.write(frame, off, len); // never blocks; a refused frame is loss on the wire
      } catch (IOException e) {
        // the TAP is closing
      }
    }, TcpConfig.defaults());
    host.call(() -> {
      nif.addAddress(InetAddress.getByName(OUR_V4), NetnsFixture.V4_PREFIX);
      nif.addAddress(InetAddress.getByName(OUR_V6), NetnsFixture.V6_PREFIX);
      return null;
    });
    reader = new Thread(() -> {
      byte[] buffer = new byte[TapDevice.MAX_FRAME];
      try {
        int n;
        while ((n = tap.read(buffer, 0, buffer.length, 100)) >= 0) {
          if (n > 0) {
            host.receiveFrame(nif, buffer, 0, n);
          }
        }
      } catch (IOException e) {
        // the TAP closed
      }
    }, "tap-reader");
    reader.setDaemon(true);
    reader.start();
  }

  @AfterAll
  static void detach() throws Exception {
    try {
      if (host != null) {
        System.out.println("[iperf interop] tcp " + host.call(() -> nif.tcp().stats()));
        host.close();
      }
    } finally {
      if (net != null) {
        net.close();
      }
      if (reader != null) {
        reader.join(5000);
      }
    }
  }

  @ParameterizedTest(name = "iperf3 -c {0} -P {1} {2}")
  @CsvSource({OUR_V4 + ", 1, ''", OUR_V4 + ", 1, -R", OUR_V6 + ", 2, ''", OUR_V6 + ", 2, -R"})
  void linuxIperf3ClientMeasuresAgainstOurServer(String ours, int parallel, String reverse) throws Exception {
    int port = PORTS.getAndIncrement();
    List<String> lines = new CopyOnWriteArrayList<>();
    try (IperfServer server = new IperfServer(new ZeroTierServerSocket(host, port), lines::add)) {
      CompletableFuture<List<IperfSummary>> served = CompletableFuture.supplyAsync(() -> {
        try {
          return server.serve(1);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      List<String> cmd = new ArrayList<>(List.of(Iperf3Process.binary(), "-c", ours, "-p", String.valueOf(port),
          "-t", "3", "-P", String.valueOf(parallel), "-J"));
      if (!reverse.isEmpty()) {
        cmd.add(reverse);
      }
      JsonNode report;
      try (LinuxProcess client = net.start(cmd.toArray(String[]::new))) {
        report = report(client);
      }
      List<IperfSummary> summaries = served.get(LIMIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(summaries).as("server lines %s", lines).hasSize(1);
      IperfSummary summary = summaries.get(0);
      JsonNode end = report.get("end");
      // the iperf3 client reports both sides: its own, and ours from the results we sent
      assertThat(end.get("sum_sent").get("bytes").longValue()).isPositive().isEqualTo(summary.senderBytes());
      assertThat(end.get("sum_received").get("bytes").longValue()).isPositive().isEqualTo(summary.receiverBytes());
      assertThat(end.get("streams")).hasSize(parallel);
      System.out.println("[iperf interop] iperf3 -c " + ours + " -P " + parallel + " " + reverse + ": "
          + summary.line());
    }
  }

  @ParameterizedTest(name = "our client -P {1} reverse={2} against iperf3 -s on {0}")
  @CsvSource({LINUX_V4 + ", 1, false", LINUX_V4 + ", 1, true", LINUX_V6 + ", 2, false", LINUX_V6 + ", 2, true"})
  void ourClientMeasuresAgainstLinuxIperf3Server(String linux, int parallel, boolean reverse) throws Exception {
    int port = PORTS.getAndIncrement();
    try (LinuxProcess server = net.start(Iperf3Process.binary(), "-s", "-1", "-B", linux, "-p",
        String.valueOf(port), "-J")) {
      List<String> lines = new CopyOnWriteArrayList<>();
      IperfClient client = new IperfClient(new ZeroTierSocketFactory(host), lines::add, "interop-test");
      IperfSummary summary = runWhenListening(client, new InetSocketAddress(InetAddress.getByName(linux), port),
          parallel, reverse);
      JsonNode end = report(server).get("end");
      // iperf3 -s reports its own side; our summary holds it from the results exchange
      if (reverse) {
        assertThat(end.get("sum_sent").get("bytes").longValue()).isPositive().isEqualTo(summary.senderBytes());
        assertThat(summary.receiverBytes()).isPositive().isLessThanOrEqualTo(summary.senderBytes());
      } else {
        assertThat(end.get("sum_received").get("bytes").longValue()).isPositive()
            .isEqualTo(summary.receiverBytes());
        assertThat(summary.senderBytes()).isGreaterThanOrEqualTo(summary.receiverBytes());
      }
      assertThat(end.get("streams")).hasSize(parallel);
      assertThat(lines).last().asString()
          .matches("sender \\d+\\.\\d\\d MB/s, receiver \\d+\\.\\d\\d MB/s, cpu \\S+ core-ms/MB");
      System.out.println("[iperf interop] our client -> iperf3 -s " + linux + " -P " + parallel + " reverse="
          + reverse + ": " + summary.line());
    }
  }

  private static JsonNode report(LinuxProcess iperf3) throws InterruptedException {
    int code = iperf3.awaitExit(LIMIT);
    assertThat(code).as("%s", iperf3.describe()).isZero();
    String text = String.join("\n", iperf3.output());
    return IperfProtocol.JSON.readTree(text.substring(Math.max(0, text.indexOf('{'))));
  }

  /** iperf3 -s needs a moment to listen: connection refused is retried, anything else fails. */
  private static IperfSummary runWhenListening(IperfClient client, InetSocketAddress server, int parallel,
      boolean reverse) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      try {
        return client.run(server, 3, parallel, reverse);
      } catch (IOException e) {
        if (!String.valueOf(e.getMessage()).contains("cannot connect") || System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }
}
