package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.icmp.Icmp;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.udp.UdpDatagram;
import dev.ztjvm.netstack.udp.UdpLayer;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UdpTest {

  @Test
  void echoBothFamiliesReportsSourceAddress() {
    TwoHosts h = new TwoHosts();
    UdpSocket server = h.b.udp().open().bind(null, 7);
    List<String> readable = new ArrayList<>();
    server.setListener(s -> readable.add("r"));
    UdpSocket c4 = h.a.udp().open();
    UdpSocket c6 = h.a.udp().open();
    c4.send("v4".getBytes(), 0, 2, TwoHosts.B4, 7);
    c6.send("v6".getBytes(), 0, 2, TwoHosts.B6, 7);
    h.driver.runFor(50 * MS);
    UdpDatagram d1 = server.receive();
    UdpDatagram d2 = server.receive();
    assertThat(readable).hasSize(2);
    assertThat(new String(d1.data())).isEqualTo("v4");
    assertThat(d1.sender()).isEqualTo(new InetSocketAddress(TwoHosts.A4, c4.localPort()));
    assertThat(new String(d2.data())).isEqualTo("v6");
    assertThat(d2.sender()).isEqualTo(new InetSocketAddress(TwoHosts.A6, c6.localPort()));
    assertThat(c4.localPort()).isBetween(UdpLayer.EPHEMERAL_FIRST, 65535);
    assertThat(c6.localPort()).isNotEqualTo(c4.localPort());
    // Reply to the reported sender.
    server.send(d1.data(), 0, 2, d1.sender().getAddress(), d1.sourcePort());
    h.driver.runFor(10 * MS);
    assertThat(new String(c4.receive().data())).isEqualTo("v4");
  }

  @Test
  void bindConflictsAndAddressChecks() {
    TwoHosts h = new TwoHosts();
    h.b.udp().open().bind(null, 9000);
    assertThatThrownBy(() -> h.b.udp().open().bind(TwoHosts.B4, 9000))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("9000");
    UdpSocket specific = h.b.udp().open().bind(TwoHosts.B4, 9001);
    UdpSocket other = h.b.udp().open().bind(TwoHosts.B6, 9001); // another address: allowed
    assertThat(other.localPort()).isEqualTo(9001);
    assertThatThrownBy(() -> h.b.udp().open().bind(TwoHosts.A4, 9002))
        .isInstanceOf(IllegalArgumentException.class);
    specific.close();
    h.b.udp().open().bind(TwoHosts.B4, 9001); // free again after close
  }

  @Test
  void connectedSocketFiltersByPeer() {
    TwoHosts h = new TwoHosts();
    UdpSocket server = h.b.udp().open().bind(null, 7000);
    server.connect(TwoHosts.A4, 1111);
    UdpSocket right = h.a.udp().open().bind(null, 1111);
    UdpSocket wrong = h.a.udp().open().bind(null, 2222);
    right.send(new byte[] {1}, 0, 1, TwoHosts.B4, 7000);
    wrong.send(new byte[] {2}, 0, 1, TwoHosts.B4, 7000);
    h.driver.runFor(10 * MS);
    assertThat(server.receive().data()).containsExactly(1);
    assertThat(server.receive()).isNull();
    // The wrong peer found no socket: it gets port unreachable.
    assertThat(h.b.statistics().icmpv4().sent()).isEqualTo(1);
    server.send(new byte[] {3}, 0, 1);
    h.driver.runFor(10 * MS);
    assertThat(right.receive().data()).containsExactly(3);
  }

  @Test
  void closedPortAnswersPortUnreachableToConnectedSender() {
    TwoHosts h = new TwoHosts();
    UdpSocket c = h.a.udp().open().connect(TwoHosts.B4, 9);
    List<IcmpErrorKind> errors = new ArrayList<>();
    c.setListener(new UdpSocket.Listener() {
      @Override
      public void onReadable(UdpSocket socket) {}

      @Override
      public void onError(UdpSocket socket, IcmpErrorKind kind) {
        errors.add(kind);
      }
    });
    c.send(new byte[20], 0, 20);
    h.driver.runFor(10 * MS);
    assertThat(errors).containsExactly(IcmpErrorKind.PORT_UNREACHABLE);
    assertThat(c.takeError()).isEqualTo(IcmpErrorKind.PORT_UNREACHABLE);
    byte[] icmp = h.framesOfType(Ethernet.TYPE_IPV4).get(1);
    assertThat(icmp[14 + 20] & 0xff).isEqualTo(Icmp.V4_DEST_UNREACHABLE);
    assertThat(icmp[14 + 21] & 0xff).isEqualTo(Icmp.V4_CODE_PORT_UNREACHABLE);
    // The same for IPv6.
    UdpSocket c6 = h.a.udp().open().connect(TwoHosts.B6, 9);
    c6.send(new byte[20], 0, 20);
    h.driver.runFor(10 * MS);
    assertThat(c6.takeError()).isEqualTo(IcmpErrorKind.PORT_UNREACHABLE);
  }

  @Test
  void unreachableAnswersAreRateLimited() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.icmpErrorBurst(5).icmpErrorIntervalNanos(100 * MS));
    UdpSocket c = h.a.udp().open();
    c.send(new byte[1], 0, 1, TwoHosts.B4, 9);
    h.driver.runFor(10 * MS); // ARP done, one token used
    for (int i = 0; i < 20; i++) {
      c.send(new byte[1], 0, 1, TwoHosts.B4, 9);
    }
    h.driver.runFor(10 * MS);
    NetstackStatistics st = h.b.statistics();
    assertThat(st.icmpv4().sent()).isEqualTo(5);
    assertThat(st.icmpv4().rateLimited()).isEqualTo(16);
    // Tokens come back with time: 300 ms → 3 more.
    h.driver.runFor(300 * MS);
    for (int i = 0; i < 10; i++) {
      c.send(new byte[1], 0, 1, TwoHosts.B4, 9);
    }
    h.driver.runFor(10 * MS);
    assertThat(h.b.statistics().icmpv4().sent()).isEqualTo(8);
  }

  @Test
  void receiveQueueIsBoundedAndDropsCounted() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.udpQueueDatagrams(4));
    UdpSocket server = h.b.udp().open().bind(null, 7);
    UdpSocket c = h.a.udp().open();
    for (int i = 0; i < 10; i++) {
      c.send(new byte[] {(byte) i}, 0, 1, TwoHosts.B4, 7);
    }
    h.driver.runFor(10 * MS);
    assertThat(server.queued()).isEqualTo(4);
    assertThat(server.droppedDatagrams()).isEqualTo(6);
    assertThat(h.b.statistics().udp().queueOverflows()).isEqualTo(6);
    assertThat(server.receive().data()).containsExactly(0);
  }

  @Test
  void badChecksumsAreDroppedAndZeroChecksumOnlyAcceptedOverIpv4() {
    TwoHosts h = new TwoHosts();
    UdpSocket server = h.b.udp().open().bind(null, 4000);
    byte[] f = Ipv4Test.ipv4Frame(TwoHosts.MAC_B.value(), 0x0a000001, 0x0a000002, 17, 1, 0, 64,
        Ipv4Test.udp(1, 4000, new byte[] {1, 2}));
    f[34 + 8] ^= 0x40; // payload corrupted after the checksum was computed
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.b.statistics().udp().checksumErrors()).isEqualTo(1);
    f[34 + 6] = 0;
    f[34 + 7] = 0; // "no checksum" is legal over IPv4
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(server.receive()).isNotNull();

    byte[] g = Ipv6Test.ipv6Frame(TwoHosts.MAC_B.value(), TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(), 17, 64,
        Ipv4Test.udp(1, 4000, new byte[] {1, 2}));
    h.b.receiveFrame(g, 0, g.length, h.now());
    assertThat(server.receive()).isNotNull();
    g[54 + 6] = 0;
    g[54 + 7] = 0;
    h.b.receiveFrame(g, 0, g.length, h.now());
    assertThat(server.receive()).isNull();
    assertThat(h.b.statistics().udp().checksumErrors()).isEqualTo(2);
  }

  @Test
  void datagramToOwnAddressIsDeliveredLocally() {
    TwoHosts h = new TwoHosts();
    UdpSocket server = h.a.udp().open().bind(null, 7);
    UdpSocket c = h.a.udp().open();
    c.send(new byte[] {42}, 0, 1, TwoHosts.A4, 7);
    c.send(new byte[] {43}, 0, 1, TwoHosts.A6, 7);
    h.a.poll(h.now());
    assertThat(server.receive().data()).containsExactly(42);
    UdpDatagram d6 = server.receive();
    assertThat(d6.data()).containsExactly(43);
    assertThat(d6.source()).isEqualTo(TwoHosts.A6.getAddress());
    assertThat(h.frames).isEmpty();
    // Even a 60 KB datagram: no fragmentation on the loopback path.
    byte[] big = new byte[60_000];
    c.send(big, 0, big.length, TwoHosts.A4, 7);
    h.a.poll(h.now());
    assertThat(server.receive().data()).hasSize(60_000);
  }

  @Test
  void oversizedPayloadIsRefused() {
    TwoHosts h = new TwoHosts();
    UdpSocket c = h.a.udp().open();
    assertThatThrownBy(() -> c.send(new byte[65508], 0, 65508, TwoHosts.B4, 7))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(c.send(new byte[65507], 0, 65507, TwoHosts.B4, 7)).isTrue();
    h.driver.runFor(S);
  }
}
