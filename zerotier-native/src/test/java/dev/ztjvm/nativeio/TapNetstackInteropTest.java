package dev.ztjvm.nativeio;

import static dev.ztjvm.nativeio.testing.NetnsFixture.LINUX_V4;
import static dev.ztjvm.nativeio.testing.NetnsFixture.LINUX_V6;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V4;
import static dev.ztjvm.nativeio.testing.NetnsFixture.OUR_V6;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.nativeio.testing.DuplexTransfer;
import dev.ztjvm.nativeio.testing.LinuxProcess;
import dev.ztjvm.nativeio.testing.LinuxSidePeer;
import dev.ztjvm.nativeio.testing.NetnsFixture;
import dev.ztjvm.nativeio.testing.TapStackLoop;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.netstack.tcp.TcpListener;
import dev.ztjvm.netstack.tcp.TcpStack;
import dev.ztjvm.netstack.udp.UdpDatagram;
import dev.ztjvm.netstack.udp.UdpSocket;
import dev.ztjvm.testing.NeedsRoot;
import java.net.InetAddress;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Our userspace stack against Linux as the oracle. The stack ({@link NetworkInterface} with its
 * {@link NetworkInterface#enableTcp TCP}) is
 * attached to a TAP interface inside a network namespace this test creates (a loopback-only world, removed
 * afterwards): every frame Linux sends on the TAP goes into the stack on one loop thread, every frame the stack
 * emits is written to the TAP. Linux's own programs then talk to us: {@code ping}/{@code ping -6} (also with
 * fragmented datagrams), TCP with a Linux client against our server and our client against a Linux server, 50 MB
 * each way with equal SHA-256, over IPv4 and IPv6, and UDP in both directions. It needs root, /dev/net/tun,
 * iproute2 and iputils-ping (CI has them; .ci/run installs the packages) and fails loudly without them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 20, unit = TimeUnit.MINUTES) // a hang guard for the whole class, not a speed assertion
@NeedsRoot("TAP device in a network namespace")
class TapNetstackInteropTest {

  private static final long TRANSFER_BYTES = 50L * 1024 * 1024;
  private static final int MTU = 2800;
  private static final MacAddress OUR_MAC = MacAddress.parse("02:00:00:77:00:02");
  private static final Duration LIMIT = Duration.ofSeconds(60);
  private static final Duration TRANSFER_LIMIT = Duration.ofMinutes(8);

  private static NetnsFixture net;
  private static TapStackLoop loop;
  private static NetworkInterface nif;
  private static TcpStack tcp;

  @BeforeAll
  static void attachStackToTap() throws Exception {
    net = NetnsFixture.create(MTU);
    loop = new TapStackLoop(net.tap(), "netstack");
    nif = new NetworkInterface(InterfaceConfig.builder(OUR_MAC).mtu(MTU).build(), loop::sendFrame);
    nif.addAddress(InetAddress.getByName(OUR_V4), NetnsFixture.V4_PREFIX);
    nif.addAddress(InetAddress.getByName(OUR_V6), NetnsFixture.V6_PREFIX);
    tcp = nif.enableTcp(TcpConfig.defaults());
    loop.start(new TapStackLoop.Stack() {
      @Override
      public void receiveFrame(byte[] frame, int off, int len, long nowNanos) {
        nif.receiveFrame(frame, off, len, nowNanos);
      }

      @Override
      public void poll(long nowNanos) {
        nif.poll(nowNanos);
      }

      @Override
      public long nextDeadline() {
        return nif.nextDeadline();
      }
    });
  }

  @AfterAll
  static void detach() throws Exception {
    try {
      if (loop != null) {
        System.out.println("[interop] loop " + loop.counters() + "; tap " + net.tap().statistics());
        System.out.println("[interop] netstack " + loop.call(nif::statistics) + "; tcp " + loop.call(tcp::stats));
        loop.close();
      }
    } finally {
      if (net != null) {
        net.close();
      }
    }
  }

  @Test
  @Order(1)
  void linuxPingIsAnsweredOverIpv4AndIpv6IncludingFragmentedEchoes() throws Exception {
    linuxPing("3 received", "-c", "3", "-i", "0.2", "-W", "5", OUR_V4);
    linuxPing("3 received", "-6", "-c", "3", "-i", "0.2", "-W", "5", OUR_V6);
    // 4000 bytes of payload exceed the MTU of 2800: the request arrives in fragments we reassemble, and our reply
    // goes out fragmented for Linux to reassemble.
    linuxPing("2 received", "-c", "2", "-i", "0.2", "-W", "5", "-s", "4000", OUR_V4);
    linuxPing("2 received", "-6", "-c", "2", "-i", "0.2", "-W", "5", "-s", "4000", OUR_V6);
  }

  @Test
  @Order(2)
  void ourPingsAreAnsweredByLinux() throws Exception {
    for (String target : new String[] {LINUX_V4, LINUX_V6}) {
      for (int payload : new int[] {56, 4000}) {
        InetAddress to = InetAddress.getByName(target);
        long rtt = loop.call(() -> nif.ping(to, payload, System.nanoTime(), TimeUnit.SECONDS.toNanos(10)))
            .get(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(rtt).as("RTT to %s with %d bytes", target, payload).isPositive();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {LINUX_V4, LINUX_V6})
  @Order(3)
  void ourUdpSocketExchangesDatagramsWithALinuxEchoServer(String linux) throws Exception {
    int[] sizes = {1, 64, 1400, MTU - 48 - 8, 5000, 20000};
    try (LinuxProcess echo = net.startPeer("udp-echo", linux, "6000", String.valueOf(sizes.length))) {
      echo.awaitLine("READY", LIMIT);
      LinkedBlockingQueue<UdpDatagram> arrived = new LinkedBlockingQueue<>();
      UdpSocket socket = loop.call(() -> {
        UdpSocket s = nif.udp().open().bind(null, 0);
        s.setListener(ready -> {
          UdpDatagram d;
          while ((d = ready.receive()) != null) {
            arrived.add(d);
          }
        });
        return s;
      });
      InetAddress to = InetAddress.getByName(linux);
      for (int size : sizes) {
        byte[] data = new byte[size];
        LinuxSidePeer.fill(new SplittableRandom(size), data, size);
        assertThat(loop.call(() -> socket.send(data, 0, size, to, 6000))).as("sent %d bytes", size).isTrue();
        UdpDatagram back = arrived.poll(LIMIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(back).as("echo of %d bytes from %s; %s", size, linux, echo.describe()).isNotNull();
        assertThat(back.data()).as("echoed payload").isEqualTo(data);
        assertThat(back.source()).isEqualTo(to.getAddress());
        assertThat(back.sourcePort()).isEqualTo(6000);
      }
      echo.awaitSuccess(LIMIT);
      loop.call(() -> {
        socket.close();
        return null;
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {OUR_V4, OUR_V6})
  @Order(4)
  void aLinuxUdpClientIsEchoedByOurSocket(String ours) throws Exception {
    UdpSocket socket = loop.call(() -> {
      UdpSocket s = nif.udp().open().bind(InetAddress.getByName(ours), 7000);
      s.setListener(ready -> {
        UdpDatagram d;
        while ((d = ready.receive()) != null) {
          ready.send(d.data(), 0, d.data().length, d.source(), d.sourcePort());
        }
      });
      return s;
    });
    try {
      for (String size : new String[] {"100", "5000"}) {
        try (LinuxProcess client = net.startPeer("udp-ping", ours, "7000", "20", size)) {
          assertThat(client.awaitLine("RESULT", LIMIT)).as(client.describe()).isEqualTo("RESULT 20 20");
          client.awaitSuccess(LIMIT);
        }
      }
    } finally {
      loop.call(() -> {
        socket.close();
        return null;
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {OUR_V4, OUR_V6})
  @Order(5)
  void aLinuxTcpClientExchanges50MegabytesEachWayWithOurServer(String ours) throws Exception {
    int port = ours.equals(OUR_V4) ? 8004 : 8006;
    long ourSeed = 11;
    long linuxSeed = 12;
    DuplexTransfer transfer = new DuplexTransfer(TRANSFER_BYTES, ourSeed);
    TcpListener listener = loop.call(() -> tcp.listen(InetAddress.getByName(ours).getAddress(), port, 0, l -> {
      var c = l.accept();
      if (c != null) {
        transfer.attach(c);
      }
    }));
    long start = System.nanoTime();
    try (LinuxProcess client = net.startPeer(
        "tcp-client", ours, String.valueOf(port), String.valueOf(TRANSFER_BYTES), String.valueOf(linuxSeed))) {
      DuplexTransfer.Result result = awaitTransfer(transfer, client);
      String linuxResult = client.awaitLine("RESULT", LIMIT);
      client.awaitSuccess(LIMIT);
      report("Linux client -> our server " + ours, start);
      checkExchange(result, linuxResult, ourSeed, linuxSeed);
    } finally {
      loop.call(() -> {
        listener.close();
        return null;
      });
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {LINUX_V4, LINUX_V6})
  @Order(6)
  void ourTcpClientExchanges50MegabytesEachWayWithALinuxServer(String linux) throws Exception {
    int port = linux.equals(LINUX_V4) ? 9004 : 9006;
    long ourSeed = 21;
    long linuxSeed = 22;
    try (LinuxProcess server = net.startPeer(
        "tcp-server", linux, String.valueOf(port), String.valueOf(TRANSFER_BYTES), String.valueOf(linuxSeed))) {
      server.awaitLine("READY", LIMIT);
      DuplexTransfer transfer = new DuplexTransfer(TRANSFER_BYTES, ourSeed);
      long start = System.nanoTime();
      byte[] to = InetAddress.getByName(linux).getAddress();
      loop.call(() -> tcp.connect(to, port, transfer));
      DuplexTransfer.Result result = awaitTransfer(transfer, server);
      String linuxResult = server.awaitLine("RESULT", LIMIT);
      server.awaitSuccess(LIMIT);
      report("our client -> Linux server " + linux, start);
      checkExchange(result, linuxResult, ourSeed, linuxSeed);
    }
  }

  private static void linuxPing(String expected, String... args) throws InterruptedException {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "ping";
    System.arraycopy(args, 0, cmd, 1, args.length);
    try (LinuxProcess ping = net.start(cmd)) {
      int code = ping.awaitExit(LIMIT);
      assertThat(code).as("%s", ping.describe()).isZero();
      assertThat(String.join("\n", ping.output())).contains(expected);
    }
    loop.checkHealthy();
  }

  private static DuplexTransfer.Result awaitTransfer(DuplexTransfer transfer, LinuxProcess peer) throws Exception {
    try {
      return transfer.result().get(TRANSFER_LIMIT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.TimeoutException e) {
      loop.checkHealthy();
      throw new AssertionError("transfer did not finish within " + TRANSFER_LIMIT + "; peer: " + peer.describe()
          + "; " + loop.counters(), e);
    }
  }

  /** Both ends agree byte for byte: what each sent is what the other received, 50 MB each way. */
  private static void checkExchange(DuplexTransfer.Result ours, String linuxLine, long ourSeed, long linuxSeed) {
    String[] f = linuxLine.split(" ");
    String linuxSentSha = f[1];
    long linuxSent = Long.parseLong(f[2]);
    String linuxReceivedSha = f[3];
    long linuxReceived = Long.parseLong(f[4]);
    assertThat(ours.sent()).isEqualTo(TRANSFER_BYTES);
    assertThat(linuxReceived).as("bytes Linux received from us").isEqualTo(TRANSFER_BYTES);
    assertThat(linuxReceivedSha).as("SHA-256 of what Linux received").isEqualTo(ours.sentSha256());
    assertThat(ours.sentSha256()).isEqualTo(LinuxSidePeer.expectedSha256(TRANSFER_BYTES, ourSeed));
    assertThat(linuxSent).isEqualTo(TRANSFER_BYTES);
    assertThat(ours.received()).as("bytes we received from Linux").isEqualTo(TRANSFER_BYTES);
    assertThat(ours.receivedSha256()).as("SHA-256 of what we received").isEqualTo(linuxSentSha);
    assertThat(linuxSentSha).isEqualTo(LinuxSidePeer.expectedSha256(TRANSFER_BYTES, linuxSeed));
  }

  private static void report(String what, long startNanos) throws Exception {
    double seconds = (System.nanoTime() - startNanos) / 1e9;
    System.out.println("[interop] tcp after " + what + ": " + loop.call(tcp::stats));
    System.out.printf("[interop] %s: 2 x %d MB in %.1f s (%.1f MB/s each way, for information)%n",
        what, TRANSFER_BYTES >> 20, seconds, (TRANSFER_BYTES >> 20) / seconds);
  }
}
