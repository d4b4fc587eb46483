package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code zerotier-tools relay} out of file descriptors: its descriptor limit is lowered (prlimit) to what it uses plus a
 * few, then 100 clients connect. Accepting pauses instead of spinning on the listener (which stays readable while the
 * backlog holds connections it cannot accept), and the relay serves again once descriptors are free. Before, accept
 * spun at 65-87 % CPU until the loop died.
 */
class RelayAcceptPauseTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  @Test
  void acceptPausesWhileOutOfDescriptorsAndRecovers() throws Exception {
    assertThat(Path.of("/usr/bin/prlimit")).as("prlimit (Debian package util-linux; .ci/run installs it)")
        .isExecutable();
    Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
    Process relay = new ProcessBuilder(javaBin.toString(), "-Xmx128m", "-cp", System.getProperty("java.class.path"),
        ZeroTierTool.class.getName(), "relay", "--port", "0", "--bind", "127.0.0.1", "--udp-bind", "127.0.0.1",
        "--allow-destination", "127.0.0.0/8", "--stats-interval", "1").redirectErrorStream(true).start();
    List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
    Thread reader = new Thread(() -> {
      try (BufferedReader r =
          new BufferedReader(new InputStreamReader(relay.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l = r.readLine(); l != null; l = r.readLine()) {
          lines.add(l);
        }
      } catch (java.io.IOException e) {
        // process ended
      }
    });
    reader.setDaemon(true);
    reader.start();
    List<Socket> flood = new ArrayList<>();
    try (DatagramSocket far = new DatagramSocket(new InetSocketAddress(LO, 0))) {
      Matcher listening = await(lines, Pattern.compile("relay listening on TCP 127\\.0\\.0\\.1:(\\d+)"));
      int port = Integer.parseInt(listening.group(1));
      // a relay that has served: every class the loop needs is loaded (loading one can need a descriptor too)
      byte[] warm = new byte[32];
      Arrays.fill(warm, (byte) 0x11);
      far.setSoTimeout(60_000);
      try (Socket c = new Socket(LO, port)) {
        c.getOutputStream().write(helloAndRecord(far.getLocalPort(), warm));
        DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
        far.receive(got);
        far.send(new DatagramPacket(new byte[20], 20, got.getSocketAddress()));
        c.getInputStream().readNBytes(5 + 7 + 20);
      }
      long pid = relay.pid();
      long open;
      try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
        open = fds.count();
      }
      long limit = open + 8;
      Process p = new ProcessBuilder(
          "/usr/bin/prlimit", "--pid", String.valueOf(pid), "--nofile=" + limit + ":" + limit)
          .redirectErrorStream(true).start();
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();

      for (int i = 0; i < 100; i++) {
        Socket s = new Socket();
        s.connect(new InetSocketAddress(LO, port), 30_000); // the kernel's backlog takes them
        flood.add(s);
      }
      await(lines, Pattern.compile("accept pauses [1-9]"));
      long pausesBefore = lastPauses(lines);
      Duration cpuBefore = relay.info().totalCpuDuration().orElseThrow();
      long wallBefore = System.nanoTime();
      Thread.sleep(5_000);
      Duration cpu = relay.info().totalCpuDuration().orElseThrow().minus(cpuBefore);
      long wall = System.nanoTime() - wallBefore;
      long pauses = lastPauses(lines) - pausesBefore;
      // paused: a few retries a second at most (backing off to one a second), and the process mostly idle
      assertThat(pauses).as("accept retries in 5 s").isLessThanOrEqualTo(25);
      assertThat(cpu.toNanos()).as("relay CPU time while out of descriptors").isLessThan(wall / 2);

      for (Socket s : flood) {
        s.close();
      }
      flood.clear();
      // descriptors free again: a client is accepted and served
      byte[] datagram = new byte[32];
      Arrays.fill(datagram, (byte) 0x33);
      far.setSoTimeout(60_000);
      long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
      while (true) {
        try (Socket c = new Socket()) {
          try {
            c.connect(new InetSocketAddress(LO, port), 5_000);
          } catch (java.io.IOException notYet) {
            assertThat(System.nanoTime()).as("relay accepts again; output:\n%s", String.join("\n", lines))
                .isLessThan(deadline);
            continue;
          }
          c.getOutputStream().write(helloAndRecord(far.getLocalPort(), datagram));
          far.setSoTimeout(2_000);
          DatagramPacket got = new DatagramPacket(new byte[2048], 2048);
          try {
            far.receive(got);
            assertThat(Arrays.copyOf(got.getData(), got.getLength())).isEqualTo(datagram);
            break;
          } catch (java.net.SocketTimeoutException notYet) {
            assertThat(System.nanoTime()).as("relay serves again; output:\n%s", String.join("\n", lines))
                .isLessThan(deadline);
          }
        }
      }
    } finally {
      for (Socket s : flood) {
        s.close();
      }
      relay.destroy();
      relay.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** A hello and one record for 127.0.0.1:{@code port}, as ZeroTier One's client sends them. */
  private static byte[] helloAndRecord(int port, byte[] datagram) {
    ByteBuffer b = ByteBuffer.allocate(9 + 5 + 7 + datagram.length);
    b.put(new byte[] {0x17, 0x03, 0x03, 0x00, 0x04, 1, 14, 0, 1});
    b.put(new byte[] {0x17, 0x03, 0x03}).putShort((short) (7 + datagram.length)).put((byte) 4)
        .put(LO.getAddress()).putShort((short) port).put(datagram);
    return b.array();
  }

  private static long lastPauses(List<String> lines) {
    Pattern p = Pattern.compile("accept pauses (\\d+)");
    long last = 0;
    synchronized (lines) {
      for (String l : lines) {
        Matcher m = p.matcher(l);
        if (m.find()) {
          last = Long.parseLong(m.group(1));
        }
      }
    }
    return last;
  }

  private static Matcher await(List<String> lines, Pattern p) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120); // only so a broken run fails, not hangs
    while (true) {
      synchronized (lines) {
        for (String l : lines) {
          Matcher m = p.matcher(l);
          if (m.find()) {
            return m;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no " + p + " in relay output:\n" + String.join("\n", lines));
      }
      Thread.sleep(50);
    }
  }
}
