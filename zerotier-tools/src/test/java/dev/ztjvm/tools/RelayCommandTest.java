package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RelayCommandTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  @Test
  void relayCommandCarriesAZeroTierOneStyleClientToUdpAndBack() throws Exception {
    RelayCommand.resetStopSignal();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> ZeroTierTool.execute(
        new PrintWriter(out, true), new PrintWriter(err, true),
        "relay", "--port", "0", "--bind", "127.0.0.1", "--udp-bind", "127.0.0.1", "--stats-interval", "0",
        "--allow-destination", "127.0.0.0/8"));
    try (DatagramSocket far = new DatagramSocket(new InetSocketAddress(LO, 0))) {
      far.setSoTimeout(10_000);
      Pattern listening = Pattern.compile("relay listening on TCP 127\\.0\\.0\\.1:(\\d+), UDP from 127\\.0\\.0\\.1,"
          + " destinations: public and \\[127\\.0\\.0\\.0/8]");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      Matcher m;
      while (!(m = listening.matcher(out.toString())).find()) {
        assertThat(exit).as("relay exited early: " + err).isNotDone();
        assertThat(System.nanoTime()).as("relay did not start").isLessThan(deadline);
        Thread.sleep(20);
      }
      int port = Integer.parseInt(m.group(1));
      try (Socket c = new Socket(LO, port)) {
        c.setSoTimeout(10_000);
        byte[] datagram = new byte[32];
        Arrays.fill(datagram, (byte) 0x5a);
        ByteBuffer b = ByteBuffer.allocate(9 + 5 + 7 + datagram.length);
        b.put(new byte[] {0x17, 0x03, 0x03, 0x00, 0x04, 1, 14, 0, 1}); // hello, as ZeroTier One sends it
        b.put(new byte[] {0x17, 0x03, 0x03}).putShort((short) (7 + datagram.length)).put((byte) 4)
            .put(LO.getAddress()).putShort((short) far.getLocalPort()).put(datagram);
        c.getOutputStream().write(b.array());
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        far.receive(p);
        assertThat(Arrays.copyOf(p.getData(), p.getLength())).isEqualTo(datagram);
        far.send(new DatagramPacket(new byte[20], 20, p.getSocketAddress()));
        byte[] head = new byte[5 + 7];
        new DataInputStream(c.getInputStream()).readFully(head);
        assertThat(head).containsExactly(0x17, 0x03, 0x03, 0, 27, 4, 127, 0, 0, 1,
            (far.getLocalPort() >> 8) & 0xff, far.getLocalPort() & 0xff);
      }
    } finally {
      RelayCommand.stopRunning();
    }
    assertThat(exit.get(15, TimeUnit.SECONDS)).isZero();
    assertThat(out.toString()).contains("stopping; clients").contains("datagrams forwarded 1, returned 1");
  }

  @Test
  void udpBindMustBeIpv4() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ZeroTierTool.execute(new PrintWriter(out, true), new PrintWriter(err, true),
        "relay", "--port", "0", "--udp-bind", "::1");
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--udp-bind must be an IPv4 address");
  }
}
