package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.runtime.EventLoop;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The relay client inside {@link UdpUnderlay}, against a real {@link TcpRelayServer} and a UDP peer on loopback. */
class TcpRelayClientTest {

  private static final Duration T = Duration.ofSeconds(10);
  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  private record Got(int socket, InetSocketAddress from, String text) {}

  private EventLoop loop;
  private TcpRelayServer relay;
  private DatagramSocket peer;
  private final BlockingQueue<Got> got = new LinkedBlockingQueue<>();

  @BeforeEach
  void start() throws Exception {
    loop = new EventLoop("relay-client").start();
    relay = TcpRelayServer.start(new InetSocketAddress(LO, 0), LO,
        TcpRelayServer.Options.DEFAULTS.allowDestinations(List.of(Prefix.parse("127.0.0.0/8"))));
    peer = new DatagramSocket(new InetSocketAddress(LO, 0));
    peer.setSoTimeout(10_000);
  }

  @AfterEach
  void stop() {
    loop.close();
    relay.close();
    peer.close();
  }

  private UdpUnderlay open(TcpRelayConfig config) throws Exception {
    return loop.call(
        () -> UdpUnderlay.open(loop, UnderlayConfig.bind(LO, 0), config,
            (s, f, b, o, l) -> got.add(new Got(s, f, new String(b, o, l, StandardCharsets.ISO_8859_1)))),
        T);
  }

  private static byte[] text(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private String receiveAtPeer(DatagramPacket p) throws Exception {
    peer.receive(p);
    return new String(p.getData(), 0, p.getLength(), StandardCharsets.ISO_8859_1);
  }

  @Test
  void forcedRelayOpensNoUdpSocketAndCarriesBothDirections() throws Exception {
    UdpUnderlay u = open(new TcpRelayConfig(relay.localAddress(), true, true, 60_000));
    assertThat(u.sockets()).isEmpty();
    assertThat(u.primaryPort()).isZero();
    TcpRelayClient client = u.tcpRelay();
    assertThat(client).isNotNull();
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    byte[] d = text("to the peer through the relay!!");
    assertThat(loop.call(() -> u.send(0, peerAddress, d, 0, d.length), T)).isTrue();
    DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
    assertThat(receiveAtPeer(p)).isEqualTo("to the peer through the relay!!");
    assertThat(u.datagramsOut()).as("nothing over UDP").isZero();

    peer.send(new DatagramPacket(text("answer via the relay, 32 bytes."), 31, p.getSocketAddress()));
    Got g = got.poll(10, TimeUnit.SECONDS);
    assertThat(g).isNotNull();
    assertThat(g.socket()).isEqualTo(TcpRelayClient.SOCKET_ID);
    assertThat(g.from()).isEqualTo(peerAddress);
    assertThat(g.text()).isEqualTo("answer via the relay, 32 bytes.");

    // a reply on the path the answer came in on goes back through the relay
    byte[] r = text("reply on the relay path........");
    assertThat(loop.call(() -> u.send(g.socket(), g.from(), r, 0, r.length), T)).isTrue();
    assertThat(receiveAtPeer(p)).isEqualTo("reply on the relay path........");
    assertThat(client.isConnected()).isTrue();
    assertThat(client.connects()).isEqualTo(1);
    assertThat(client.datagramsOut()).isEqualTo(2);
    assertThat(client.datagramsIn()).isEqualTo(1);
    // IPv6 cannot be relayed and there is no UDP: refused
    InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), peerAddress.getPort());
    assertThat(loop.call(() -> u.send(0, v6, d, 0, d.length), T)).isFalse();
    loop.call(() -> {
      u.close();
      return null;
    }, T);
  }

  @Test
  void receiverMayScribbleOverItsBufferWithoutCorruptingTheRecordsThatFollow() throws Exception {
    // VL1 uses the receive buffer as scratch (in-place decompression beyond the datagram): a receiver doing that
    // must not damage the next records of the same TCP read. The test plays the relay with a plain server socket.
    try (java.net.ServerSocket fakeRelay = new java.net.ServerSocket(0, 1, LO)) {
      UdpUnderlay u = loop.call(
          () -> UdpUnderlay.open(loop, UnderlayConfig.bind(LO, 0),
              new TcpRelayConfig((InetSocketAddress) fakeRelay.getLocalSocketAddress(), true, true, 60_000),
              (s, f, b, o, l) -> {
                got.add(new Got(s, f, new String(b, o, l, StandardCharsets.ISO_8859_1)));
                Arrays.fill(b, o + l, b.length, (byte) 0x55);
              }),
          T);
      InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
      byte[] d = text("opens the connection on demand.");
      assertThat(loop.call(() -> u.send(0, peerAddress, d, 0, d.length), T)).isTrue();
      fakeRelay.setSoTimeout(10_000);
      try (java.net.Socket c = fakeRelay.accept()) {
        c.setSoTimeout(10_000);
        byte[] first = new byte[TcpRelayCodec.HELLO_RECORD + 5 + 7 + d.length];
        new java.io.DataInputStream(c.getInputStream()).readFully(first);
        assertThat(Arrays.copyOf(first, 5)).containsExactly(0x17, 3, 3, 0, 4);
        java.nio.ByteBuffer two = java.nio.ByteBuffer.allocate(2 * (5 + 7 + 20));
        TcpRelayCodec.putDatagram(two, peerAddress, text("first record, 20 b.."), 0, 20);
        TcpRelayCodec.putDatagram(two, peerAddress, text("second record, 20 b."), 0, 20);
        c.getOutputStream().write(two.array()); // one write: typically one read on the other side
        c.getOutputStream().flush();
        assertThat(got.poll(10, TimeUnit.SECONDS).text()).isEqualTo("first record, 20 b..");
        assertThat(got.poll(10, TimeUnit.SECONDS).text()).isEqualTo("second record, 20 b.");
      }
      loop.call(() -> {
        u.close();
        return null;
      }, T);
    }
  }

  @Test
  void fallbackSendsOverUdpAndRelayAtOnceAndClosesTheTunnelWhenUdpAnswers() throws Exception {
    // fallback after 0 ms: from the first millisecond on, nothing has been heard over UDP
    UdpUnderlay u = open(new TcpRelayConfig(relay.localAddress(), true, false, 0));
    TcpRelayClient client = u.tcpRelay();
    assertThat(u.sockets()).hasSize(1);
    InetSocketAddress peerAddress = (InetSocketAddress) peer.getLocalSocketAddress();
    byte[] d = text("both ways at once, 24 b");
    Thread.sleep(5); // let the fallback time pass
    assertThat(loop.call(() -> u.send(0, peerAddress, d, 0, d.length), T)).isTrue();
    DatagramPacket p1 = new DatagramPacket(new byte[2048], 2048);
    DatagramPacket p2 = new DatagramPacket(new byte[2048], 2048);
    assertThat(receiveAtPeer(p1)).isEqualTo("both ways at once, 24 b");
    assertThat(receiveAtPeer(p2)).isEqualTo("both ways at once, 24 b");
    InetSocketAddress udpSource = new InetSocketAddress(LO, u.primaryPort());
    assertThat(Arrays.asList(p1.getSocketAddress(), p2.getSocketAddress())).contains(udpSource)
        .anySatisfy(a -> assertThat(a).isNotEqualTo(udpSource));
    assertThat(client.isConnected()).isTrue();

    // UDP works: the direct answer arrives on socket 0 and the tunnel is closed
    peer.send(new DatagramPacket(text("direct answer over plain UDP."), 29, udpSource));
    Got g = got.poll(10, TimeUnit.SECONDS);
    assertThat(g).isNotNull();
    assertThat(g.socket()).isEqualTo(0);
    assertThat(loop.call(() -> client.isConnected(), T)).isFalse();
    assertThat(client.disconnects()).isEqualTo(1);
    loop.call(() -> {
      u.close();
      return null;
    }, T);
  }
}
