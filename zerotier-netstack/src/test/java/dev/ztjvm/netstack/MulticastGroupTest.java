package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.ip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.ipv4.Ipv4;
import dev.ztjvm.netstack.udp.UdpDatagram;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Multicast group membership of the stack on a simulated link: refcounts, subscriptions, delivery, TTL, loop. */
class MulticastGroupTest {

  private static final InetAddress G4 = ip("239.1.2.3");
  private static final InetAddress G6 = ip("ff02::1:3");

  @Test
  void membershipIsCountedPerSocketAndDrivesSubscriptions() {
    TwoHosts h = new TwoHosts();
    AtomicInteger changes = new AtomicInteger();
    h.b.setSubscriptionListener(changes::incrementAndGet);
    MacAddress groupMac = new MacAddress(Ethernet.ipv4MulticastMac(0xef010203));
    UdpSocket s1 = h.b.udp().open().bind(null, 6000);
    UdpSocket s2 = h.b.udp().open().bind(null, 6001);
    s1.joinGroup(G4);
    s2.joinGroup(G4);
    assertThat(h.b.groupReferences(G4)).isEqualTo(2);
    assertThat(h.b.multicastSubscriptions()).contains(groupMac);
    assertThat(h.b.joinedGroups()).containsExactly(G4);
    assertThat(changes).hasValue(1); // only the first join changes the subscriptions
    assertThatThrownBy(() -> s1.joinGroup(G4)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> s1.joinGroup(TwoHosts.B4)).isInstanceOf(IllegalArgumentException.class);

    assertThat(s1.leaveGroup(G4)).isTrue();
    assertThat(s1.leaveGroup(G4)).isFalse();
    assertThat(h.b.groupReferences(G4)).isEqualTo(1);
    assertThat(h.b.multicastSubscriptions()).contains(groupMac);
    assertThat(changes).hasValue(1);

    s2.close(); // closing leaves the socket's groups
    assertThat(h.b.groupReferences(G4)).isZero();
    assertThat(h.b.multicastSubscriptions()).doesNotContain(groupMac);
    assertThat(h.b.joinedGroups()).isEmpty();
    assertThat(changes).hasValue(2);

    s1.joinGroup(G6);
    assertThat(h.b.multicastSubscriptions())
        .contains(new MacAddress(Ethernet.ipv6MulticastMac(G6.getAddress(), 0)));
  }

  @Test
  void groupDatagramsReachOnlySocketsThatJoined() {
    TwoHosts h = new TwoHosts();
    UdpSocket member = h.b.udp().open().bind(null, 6000);
    member.joinGroup(G4);
    UdpSocket boundToGroup = h.b.udp().open().bind(G4, 6001);
    boundToGroup.joinGroup(G4);
    UdpSocket notJoined = h.b.udp().open().bind(null, 6002);
    UdpSocket joinedButOtherAddress = h.b.udp().open().bind(TwoHosts.B4, 6003);
    joinedButOtherAddress.joinGroup(G4);
    UdpSocket sender = h.a.udp().open().bind(null, 7000);
    for (int port = 6000; port <= 6003; port++) {
      sender.send(new byte[] {(byte) port}, 0, 1, G4, port);
    }
    h.driver.runFor(10 * MS);

    UdpDatagram d = member.receive();
    assertThat(d).isNotNull();
    assertThat(d.data()).containsExactly((byte) 6000);
    assertThat(d.source()).isEqualTo(TwoHosts.A4.getAddress());
    assertThat(d.sourcePort()).isEqualTo(7000);
    assertThat(d.destination()).isEqualTo(G4.getAddress());
    assertThat(boundToGroup.receive().data()).containsExactly((byte) (6001 & 0xff));
    assertThat(notJoined.queued()).isZero();
    assertThat(joinedButOtherAddress.queued()).isZero();
    // no ICMP port unreachable is answered to a group datagram nobody wanted
    assertThat(h.a.statistics().icmpv4().received()).isZero();

    // after joining, the same socket hears the group
    notJoined.joinGroup(G4);
    sender.send(new byte[] {9}, 0, 1, G4, 6002);
    h.driver.runFor(10 * MS);
    assertThat(notJoined.receive().data()).containsExactly(9);

    // after leaving, it does not
    member.leaveGroup(G4);
    sender.send(new byte[] {10}, 0, 1, G4, 6000);
    h.driver.runFor(10 * MS);
    assertThat(member.queued()).isZero();
  }

  @Test
  void packetsToGroupsNobodyJoinedAreNotForUsAtTheIpLayer() {
    TwoHosts h = new TwoHosts();
    UdpSocket listener = h.b.udp().open().bind(null, 6000);
    UdpSocket sender = h.a.udp().open().bind(null, 7000);
    long ipBefore = h.b.statistics().ipv4().notForUs();
    long ip6Before = h.b.statistics().ipv6().notForUs();
    long udpBefore = h.b.statistics().udp().received();
    sender.send(new byte[] {1}, 0, 1, ip("239.9.9.9"), 6000);
    sender.send(new byte[] {2}, 0, 1, ip("ff05::9"), 6000);
    h.driver.runFor(10 * MS);
    assertThat(h.b.statistics().ipv4().notForUs()).isEqualTo(ipBefore + 1);
    assertThat(h.b.statistics().ipv6().notForUs()).isEqualTo(ip6Before + 1);
    assertThat(h.b.statistics().udp().received()).isEqualTo(udpBefore);
    assertThat(listener.queued()).isZero();
    // neighbour discovery (solicited-node groups) still works after that: unicast over IPv6 reaches B
    sender.send(new byte[] {3}, 0, 1, TwoHosts.B6, 6000);
    h.driver.runFor(10 * MS);
    assertThat(listener.receive().data()).containsExactly(3);
  }

  @Test
  void ipv6GroupDelivery() {
    TwoHosts h = new TwoHosts();
    UdpSocket member = h.b.udp().open().bind(null, 6000);
    member.joinGroup(G6);
    UdpSocket other = h.b.udp().open().bind(null, 6001);
    UdpSocket sender = h.a.udp().open().bind(null, 7000);
    sender.send(new byte[] {1}, 0, 1, G6, 6000);
    sender.send(new byte[] {2}, 0, 1, G6, 6001);
    h.driver.runFor(10 * MS);
    UdpDatagram d = member.receive();
    assertThat(d.data()).containsExactly(1);
    assertThat(d.destination()).isEqualTo(G6.getAddress());
    assertThat(d.source()).hasSize(16);
    assertThat(other.queued()).isZero();
  }

  @Test
  void ttlDefaultsToOneAndFollowsTheSocket() {
    TwoHosts h = new TwoHosts();
    UdpSocket sender = h.a.udp().open().bind(null, 7000);
    sender.send(new byte[] {1}, 0, 1, G4, 6000);
    h.driver.runFor(10 * MS);
    sender.setMulticastTtl(7);
    sender.send(new byte[] {2}, 0, 1, G4, 6000);
    h.driver.runFor(10 * MS);
    var frames = h.framesOfType(Ethernet.TYPE_IPV4);
    assertThat(frames).hasSize(2);
    assertThat(Ipv4.ttl(frames.get(0), 14)).isEqualTo(1);
    assertThat(Ipv4.ttl(frames.get(1), 14)).isEqualTo(7);
  }

  @Test
  void ownMemberSocketsGetACopyUnlessLoopIsOff() {
    TwoHosts h = new TwoHosts();
    UdpSocket localMember = h.a.udp().open().bind(null, 6000);
    localMember.joinGroup(G4);
    UdpSocket remoteMember = h.b.udp().open().bind(null, 6000);
    remoteMember.joinGroup(G4);
    UdpSocket sender = h.a.udp().open().bind(null, 7000);
    sender.send(new byte[] {1}, 0, 1, G4, 6000);
    h.driver.runFor(10 * MS);
    assertThat(localMember.receive().data()).containsExactly(1);
    assertThat(remoteMember.receive().data()).containsExactly(1);

    sender.setMulticastLoop(false);
    sender.send(new byte[] {2}, 0, 1, G4, 6000);
    h.driver.runFor(10 * MS);
    assertThat(localMember.queued()).isZero();
    assertThat(remoteMember.receive().data()).containsExactly(2);
  }
}
