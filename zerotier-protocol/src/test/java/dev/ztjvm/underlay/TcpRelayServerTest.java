package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link TcpRelayServer} driven by a hand-written client that sends exactly the bytes ZeroTier One's service sends
 * (hello {@code 17 03 03 00 04 <version>}, then records with an IPv4 prefix), and plain UDP sockets as the far side.
 */
class TcpRelayServerTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private TcpRelayServer relay;
  private DatagramSocket far;

  @BeforeEach
  void start() throws Exception {
    relay = TcpRelayServer.start(new InetSocketAddress(LO, 0), LO,
        TcpRelayServer.Options.DEFAULTS.allowDestinations(List.of(Prefix.parse("127.0.0.0/8"))));
    far = new DatagramSocket(new InetSocketAddress(LO, 0));
    far.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() {
    relay.close();
    far.close();
  }

  private static byte[] hello() {
    return new byte[] {0x17, 0x03, 0x03, 0x00, 0x04, 1, 14, 0, 1};
  }

  private static byte[] record(InetSocketAddress to, byte[] datagram) {
    ByteBuffer b = ByteBuffer.allocate(5 + 7 + datagram.length);
    b.put(new byte[] {0x17, 0x03, 0x03}).putShort((short) (7 + datagram.length)).put((byte) 4)
        .put(to.getAddress().getAddress()).putShort((short) to.getPort()).put(datagram);
    return b.array();
  }

  private static byte[] payload(int n, int fill) {
    byte[] d = new byte[n];
    Arrays.fill(d, (byte) fill);
    return d;
  }

  private record Record(InetSocketAddress from, byte[] data) {}

  private static Record readRecord(DataInputStream in) throws Exception {
    byte[] head = new byte[5];
    in.readFully(head);
    assertThat(Arrays.copyOf(head, 3)).containsExactly(0x17, 0x03, 0x03);
    int len = ((head[3] & 0xff) << 8) | (head[4] & 0xff);
    byte[] body = new byte[len];
    in.readFully(body);
    assertThat(body[0]).as("IPv4 prefix").isEqualTo((byte) 4);
    InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(body, 1, 5));
    int port = ((body[5] & 0xff) << 8) | (body[6] & 0xff);
    return new Record(new InetSocketAddress(a, port), Arrays.copyOfRange(body, 7, len));
  }

  @Test
  void forwardsRecordsAsDatagramsAndReturnsTheAnswersWithTheSenderAddress() throws Exception {
    try (Socket c = new Socket(LO, relay.localAddress().getPort())) {
      c.setSoTimeout(10_000);
      OutputStream out = c.getOutputStream();
      InetSocketAddress farAddress = (InetSocketAddress) far.getLocalSocketAddress();
      byte[] d = payload(100, 0x42);
      // hello and the first record in one segment, the second split mid-header
      byte[] r = record(farAddress, d);
      out.write(concat(hello(), r, Arrays.copyOf(r, 3)));
      out.flush();
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      far.receive(p);
      assertThat(Arrays.copyOf(p.getData(), p.getLength())).isEqualTo(d);
      out.write(Arrays.copyOfRange(r, 3, r.length));
      out.flush();
      far.receive(p);
      assertThat(p.getLength()).isEqualTo(100);
      InetSocketAddress relayUdp = (InetSocketAddress) p.getSocketAddress();

      byte[] answer = payload(60, 0x17);
      far.send(new DatagramPacket(answer, answer.length, relayUdp));
      Record got = readRecord(new DataInputStream(c.getInputStream()));
      assertThat(got.from()).isEqualTo(farAddress);
      assertThat(got.data()).isEqualTo(answer);
      assertThat(relay.datagramsForwarded()).isEqualTo(2);
      assertThat(relay.datagramsReturned()).isEqualTo(1);
    }
  }

  @Test
  void eachClientHasItsOwnUdpSocketSoAnswersReachTheRightClient() throws Exception {
    try (Socket c1 = new Socket(LO, relay.localAddress().getPort());
        Socket c2 = new Socket(LO, relay.localAddress().getPort())) {
      InetSocketAddress farAddress = (InetSocketAddress) far.getLocalSocketAddress();
      c1.getOutputStream().write(concat(hello(), record(farAddress, payload(20, 1))));
      DatagramPacket p1 = new DatagramPacket(new byte[2048], 2048);
      far.receive(p1);
      c2.getOutputStream().write(concat(hello(), record(farAddress, payload(20, 2))));
      DatagramPacket p2 = new DatagramPacket(new byte[2048], 2048);
      far.receive(p2);
      assertThat(p1.getSocketAddress()).isNotEqualTo(p2.getSocketAddress());
      // answer client 2 first, then client 1: each gets only its own
      far.send(new DatagramPacket(payload(30, 0x22), 30, p2.getSocketAddress()));
      far.send(new DatagramPacket(payload(30, 0x11), 30, p1.getSocketAddress()));
      c1.setSoTimeout(10_000);
      c2.setSoTimeout(10_000);
      assertThat(readRecord(new DataInputStream(c1.getInputStream())).data()).isEqualTo(payload(30, 0x11));
      assertThat(readRecord(new DataInputStream(c2.getInputStream())).data()).isEqualTo(payload(30, 0x22));
    }
  }

  @Test
  void dropsRecordsBeforeHelloToPrivilegedPortsAndMalformedOnesButKeepsServing() throws Exception {
    try (Socket c = new Socket(LO, relay.localAddress().getPort())) {
      OutputStream out = c.getOutputStream();
      InetSocketAddress farAddress = (InetSocketAddress) far.getLocalSocketAddress();
      out.write(record(farAddress, payload(20, 1))); // before the hello: tcp-proxy's legacy mode, not served
      out.write(hello());
      out.write(record(new InetSocketAddress(LO, 1024), payload(20, 2))); // privileged port
      out.write(new byte[] {0x17, 0x03, 0x03, 0x00, 0x03, 4, 127, 0}); // truncated prefix
      out.write(record(farAddress, payload(20, 3)));
      out.flush();
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      far.receive(p);
      assertThat(Arrays.copyOf(p.getData(), p.getLength())).isEqualTo(payload(20, 3));
      // the counters are bumped on the relay's thread right after the send the far side already saw
      long deadline = System.nanoTime() + 10_000_000_000L;
      while ((relay.datagramsForwarded() < 1 || relay.malformedRecords() < 1) && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(relay.datagramsForwarded()).isEqualTo(1);
      assertThat(relay.malformedRecords()).isEqualTo(1);
      assertThat(relay.datagramsDropped()).isEqualTo(2);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
