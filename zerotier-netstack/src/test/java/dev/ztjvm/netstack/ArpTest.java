package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.arp.Arp;
import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import dev.ztjvm.netstack.ipv4.Ipv4;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.testing.SimulatedLink;
import dev.ztjvm.netstack.testing.VirtualClock;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArpTest {

  @Test
  void addressAddSendsGratuitousArp() {
    VirtualClock clock = new VirtualClock();
    SimulatedLink link = new SimulatedLink(clock, 1, LinkFaults.NONE);
    List<byte[]> sent = new ArrayList<>();
    link.setObserver((port, f, len, now) -> sent.add(f));
    NetworkInterface a = link.attach(InterfaceConfig.builder(TwoHosts.MAC_A).build());
    a.addAddress(TwoHosts.A4, 24);
    assertThat(sent).hasSize(1);
    byte[] f = sent.get(0);
    assertThat(Ethernet.destination(f, 0)).isEqualTo(MacAddress.BROADCAST.value());
    assertThat(Ethernet.etherType(f, 0)).isEqualTo(Ethernet.TYPE_ARP);
    assertThat(Arp.operation(f, 14)).isEqualTo(Arp.OP_REQUEST);
    assertThat(Arp.senderIp(f, 14)).isEqualTo(Ipv4.toInt(Ipv4.toInetAddress(0x0a000001)));
    assertThat(Arp.targetIp(f, 14)).isEqualTo(Arp.senderIp(f, 14));
    assertThat(Arp.senderMac(f, 14)).isEqualTo(TwoHosts.MAC_A.value());
  }

  @Test
  void resolvesNeighbourThenSendsQueuedDatagram() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 5000);
    UdpSocket tx = h.a.udp().open();
    assertThat(tx.send(new byte[] {1, 2, 3}, 0, 3, TwoHosts.B4, 5000)).isTrue();
    // The datagram waits for ARP: the first frame out is a broadcast request for 10.0.0.2.
    assertThat(h.frames).hasSize(1);
    byte[] req = h.frames.get(0);
    assertThat(Arp.operation(req, 14)).isEqualTo(Arp.OP_REQUEST);
    assertThat(Arp.targetIp(req, 14)).isEqualTo(0x0a000002);
    h.driver.runFor(10 * MS);
    assertThat(h.a.neighbor(TwoHosts.B4)).isEqualTo(TwoHosts.MAC_B);
    // B learnt A from the request that was for it.
    assertThat(h.b.neighbor(TwoHosts.A4)).isEqualTo(TwoHosts.MAC_A);
    assertThat(rx.receive().data()).containsExactly(1, 2, 3);
    assertThat(h.framesOfType(Ethernet.TYPE_ARP)).hasSize(2);
    // A second datagram goes straight out without ARP.
    h.frames.clear();
    tx.send(new byte[] {4}, 0, 1, TwoHosts.B4, 5000);
    assertThat(h.frames).hasSize(1);
    assertThat(Ethernet.etherType(h.frames.get(0), 0)).isEqualTo(Ethernet.TYPE_IPV4);
    assertThat(Ethernet.destination(h.frames.get(0), 0)).isEqualTo(TwoHosts.MAC_B.value());
  }

  @Test
  void unansweredRequestsAreRetriedThenQueuedPacketsDroppedAndReported() {
    TwoHosts h = new TwoHosts();
    UdpSocket tx = h.a.udp().open();
    tx.connect(TwoHosts.ip("10.0.0.99"), 7);
    tx.send(new byte[10], 0, 10);
    tx.send(new byte[10], 0, 10);
    h.driver.runFor(10 * S);
    List<byte[]> arps = h.framesOfType(Ethernet.TYPE_ARP);
    assertThat(arps).hasSize(3);
    // Retries one second apart.
    int i0 = h.frames.indexOf(arps.get(0));
    int i1 = h.frames.indexOf(arps.get(1));
    int i2 = h.frames.indexOf(arps.get(2));
    assertThat(h.frameTimes.get(i1) - h.frameTimes.get(i0)).isEqualTo(S);
    assertThat(h.frameTimes.get(i2) - h.frameTimes.get(i1)).isEqualTo(S);
    NetstackStatistics st = h.a.statistics();
    assertThat(st.ipv4().timeouts()).isEqualTo(2);
    assertThat(st.arp().timeouts()).isEqualTo(1);
    assertThat(tx.takeError()).isEqualTo(IcmpErrorKind.HOST_UNREACHABLE);
    assertThat(h.a.neighbor(TwoHosts.ip("10.0.0.99"))).isNull();
    assertThat(h.a.nextDeadline()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void pendingQueueIsBounded() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.neighborQueuePackets(4));
    UdpSocket tx = h.a.udp().open();
    int accepted = 0;
    for (int i = 0; i < 10; i++) {
      if (tx.send(new byte[1], 0, 1, TwoHosts.ip("10.0.0.77"), 9)) {
        accepted++;
      }
    }
    assertThat(accepted).isEqualTo(4);
    assertThat(h.a.statistics().ipv4().queueOverflows()).isEqualTo(6);
  }

  @Test
  void expiredEntryIsRefreshedWhileStillUsed() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.neighborReachableNanos(30 * S));
    UdpSocket rx = h.b.udp().open().bind(null, 5000);
    UdpSocket tx = h.a.udp().open();
    tx.send(new byte[1], 0, 1, TwoHosts.B4, 5000);
    h.driver.runFor(10 * MS);
    h.clock.advanceBy(31 * S);
    h.driver.pollAll();
    h.frames.clear();
    tx.send(new byte[1], 0, 1, TwoHosts.B4, 5000);
    // Sent at once to the known MAC, plus a refresh request.
    assertThat(h.framesOfType(Ethernet.TYPE_IPV4)).hasSize(1);
    assertThat(h.framesOfType(Ethernet.TYPE_ARP)).hasSize(1);
    h.driver.runFor(10 * S);
    assertThat(h.framesOfType(Ethernet.TYPE_ARP)).hasSize(2); // request + reply, no retries
    assertThat(rx.queued()).isEqualTo(2);
  }

  @Test
  void requestsForOtherAddressesAreIgnoredAndConflictsCounted() {
    TwoHosts h = new TwoHosts();
    long notForUs = h.b.statistics().arp().notForUs();
    long protocolErrors = h.b.statistics().arp().protocolErrors();
    byte[] f = new byte[42];
    Ethernet.writeHeader(f, 0, MacAddress.BROADCAST.value(), 0x020000000099L, Ethernet.TYPE_ARP);
    Arp.write(f, 14, Arp.OP_REQUEST, 0x020000000099L, 0x0a000063, 0, 0x0a000077);
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.frames).isEmpty();
    assertThat(h.b.statistics().arp().notForUs()).isEqualTo(notForUs + 1);
    assertThat(h.b.neighbor(TwoHosts.ip("10.0.0.99"))).isNull();
    // Someone claims B's own address.
    Arp.write(f, 14, Arp.OP_REPLY, 0x020000000099L, 0x0a000002, TwoHosts.MAC_B.value(), 0x0a000002);
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.b.statistics().arp().protocolErrors()).isEqualTo(protocolErrors + 1);
    assertThat(h.b.neighbor(TwoHosts.B4)).isNull();
  }
}
