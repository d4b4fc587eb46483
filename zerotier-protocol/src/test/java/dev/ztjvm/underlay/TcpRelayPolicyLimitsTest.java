package dev.ztjvm.underlay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The relay's destination policy and its per-address cap, eviction and hello timeout. */
class TcpRelayPolicyLimitsTest {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  private static byte[] hello() {
    return new byte[] {0x17, 0x03, 0x03, 0x00, 0x04, 1, 14, 0, 1};
  }

  private static byte[] record(InetSocketAddress to, byte[] datagram) {
    ByteBuffer b = ByteBuffer.allocate(5 + 7 + datagram.length);
    b.put(new byte[] {0x17, 0x03, 0x03}).putShort((short) (7 + datagram.length)).put((byte) 4)
        .put(to.getAddress().getAddress()).putShort((short) to.getPort()).put(datagram);
    return b.array();
  }

  private static InetAddress ip(String s) throws Exception {
    return InetAddress.getByName(s);
  }

  @Test
  void byDefaultOnlyGloballyRoutableDestinationsAreAllowed() throws Exception {
    TcpRelayServer.Options d = TcpRelayServer.Options.DEFAULTS;
    for (String forbidden : List.of("127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255",
        "192.168.1.1", "169.254.1.1", "100.64.0.1", "224.0.0.251", "239.255.255.250", "0.0.0.0", "255.255.255.255",
        "240.0.0.1")) {
      assertThat(d.destinationAllowed(ip(forbidden))).as(forbidden).isFalse();
    }
    for (String allowed : List.of("8.8.8.8", "1.1.1.1", "172.32.0.1", "192.169.0.1", "11.0.0.1")) {
      assertThat(d.destinationAllowed(ip(allowed))).as(allowed).isTrue();
    }
    TcpRelayServer.Options lab = d.allowDestinations(List.of(Prefix.parse("10.0.0.0/8"), Prefix.parse("127.0.0.2")));
    assertThat(lab.destinationAllowed(ip("10.9.9.9"))).isTrue();
    assertThat(lab.destinationAllowed(ip("127.0.0.2"))).isTrue();
    assertThat(lab.destinationAllowed(ip("127.0.0.1"))).isFalse();
    assertThat(lab.destinationAllowed(ip("192.168.1.1"))).isFalse();
  }

  @Test
  void forbiddenDestinationsAreRefusedAndCountedAllowedOnesServed() throws Exception {
    try (TcpRelayServer relay = TcpRelayServer.start(new InetSocketAddress(LO, 0), LO,
        TcpRelayServer.Options.DEFAULTS.allowDestinations(List.of(Prefix.parse("127.0.0.2/32"))));
        DatagramSocket forbidden = new DatagramSocket(new InetSocketAddress(ip("127.0.0.1"), 0));
        DatagramSocket allowed = new DatagramSocket(new InetSocketAddress(ip("127.0.0.2"), 0));
        Socket c = new Socket(LO, relay.localAddress().getPort())) {
      allowed.setSoTimeout(30_000);
      byte[] d = new byte[64];
      Arrays.fill(d, (byte) 7);
      c.getOutputStream().write(hello());
      // the open-proxy probe of the review: loopback, an RFC 1918 address, then the allowed lab address
      c.getOutputStream().write(record((InetSocketAddress) forbidden.getLocalSocketAddress(), d));
      c.getOutputStream().write(record(new InetSocketAddress(ip("192.168.77.1"), 9993), d));
      c.getOutputStream().write(record((InetSocketAddress) allowed.getLocalSocketAddress(), d));
      DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
      allowed.receive(p);
      assertThat(Arrays.copyOf(p.getData(), p.getLength())).isEqualTo(d);
      // records are handled in order: the refused ones were decided before the allowed one was sent
      awaitTrue(() -> relay.datagramsForwarded() == 1); // counted just after the send
      assertThat(relay.destinationsRefused()).isEqualTo(2);
      assertThat(relay.datagramsDropped()).isEqualTo(2);
      forbidden.setSoTimeout(1);
      try {
        forbidden.receive(new DatagramPacket(new byte[2048], 2048));
        throw new AssertionError("a datagram reached the forbidden destination");
      } catch (SocketTimeoutException expected) {
        // nothing arrived
      }
    }
  }

  @Test
  void perAddressCapRefusesFullRelayEvictsSilentClientsAndTheHelloIsDue() throws Exception {
    TcpRelayServer.Options o = TcpRelayServer.Options.DEFAULTS.clientLimits(6, 3)
        .timeouts(Duration.ofSeconds(2), Duration.ofSeconds(300))
        .allowDestinations(List.of(Prefix.parse("127.0.0.0/8")));
    try (TcpRelayServer relay = TcpRelayServer.start(new InetSocketAddress(LO, 0), LO, o)) {
      List<Socket> sockets = new ArrayList<>();
      try {
        // a client that said hello is never evicted
        Socket proven = connectFrom("127.0.0.9", relay);
        proven.getOutputStream().write(hello());
        sockets.add(proven);
        awaitTrue(() -> relay.clientsAccepted() == 1);
        // per address: the fourth from 127.0.0.3 is refused
        for (int i = 0; i < 4; i++) {
          sockets.add(connectFrom("127.0.0.3", relay));
        }
        awaitTrue(() -> relay.clientsRefused() == 1);
        assertThat(relay.clientsConnected()).isEqualTo(4);
        // relay full (6): newcomers replace the oldest silent clients instead of being refused
        for (int i = 0; i < 5; i++) {
          sockets.add(connectFrom("127.0.0." + (20 + i), relay));
        }
        awaitTrue(() -> relay.clientsAccepted() == 9);
        assertThat(relay.clientsEvicted()).isEqualTo(3);
        assertThat(relay.clientsConnected()).isEqualTo(6);
        assertThat(sockets.get(0).isClosed()).isFalse();
        // silent clients are closed when their hello is late; the proven one stays
        awaitTrue(() -> relay.clientsConnected() == 1);
        assertThat(relay.clientsTimedOut()).isEqualTo(5);
        for (Socket s : sockets.subList(1, sockets.size())) {
          assertThat(endOfStream(s)).isTrue();
        }
      } finally {
        for (Socket s : sockets) {
          s.close();
        }
      }
    }
  }

  private static Socket connectFrom(String local, TcpRelayServer relay) throws Exception {
    Socket s = new Socket();
    s.bind(new InetSocketAddress(ip(local), 0));
    s.connect(relay.localAddress(), 30_000);
    return s;
  }

  private static boolean endOfStream(Socket s) throws Exception {
    s.setSoTimeout(60_000);
    InputStream in = s.getInputStream();
    try {
      return in.read() == -1;
    } catch (java.net.SocketException reset) {
      return true;
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 60 s");
      }
      Thread.sleep(10);
    }
  }
}
