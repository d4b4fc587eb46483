package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * UDP multicast between three real {@link ZeroTierNode}s of a {@link LocalZeroTier}: joining announces the group
 * (MULTICAST_LIKE), ZeroTier replicates the frame to the members, and the stack hands it to every socket that joined.
 */
@ExtendWith(LocalZeroTierExtension.class)
@Timeout(120)
class MulticastOverZeroTierTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int PORT = 5000;
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension
  private static ZeroTierNode a;
  private static ZeroTierNode b;
  private static ZeroTierNode c;
  private static long nwid;

  @BeforeAll
  static void start() throws Exception {
    nwid = zt.createPublicNetwork("mcast", "10.147.43.0/24", "10.147.43.10", "10.147.43.20", true);
    a = zt.nodeBuilder().build().start();
    b = zt.nodeBuilder().build().start();
    c = zt.nodeBuilder().build().start();
    for (ZeroTierNode n : new ZeroTierNode[] {a, b, c}) {
      n.awaitNetworkReady(nwid, WAIT);
      Waits.until(WAIT, () -> n.network(nwid).ipv6().isPresent() && n.network(nwid).ipv4().isPresent());
    }
  }

  @AfterAll
  static void stop() {
    LocalZeroTierExtension.closeQuietly(a, b, c);
  }

  @Test
  void ipv4GroupReachesMembersOnlyAndLeavingStopsDelivery() throws Exception {
    exercise(InetAddress.getByName("239.1.2.3"), PORT, a.network(nwid).ipv4().orElseThrow(),
        b.network(nwid).ipv4().orElseThrow());
  }

  @Test
  void ipv6GroupReachesMembersOnlyAndLeavingStopsDelivery() throws Exception {
    exercise(InetAddress.getByName("ff05::1:3"), PORT + 1, a.network(nwid).ipv6().orElseThrow(),
        b.network(nwid).ipv6().orElseThrow());
  }

  @Test
  void joiningTwiceOrLeavingUnjoinedGroupsFailsClearly() throws Exception {
    InetSocketAddress group = new InetSocketAddress(InetAddress.getByName("239.9.9.9"), 0);
    try (DatagramSocket s = b.newDatagramSocket(5100)) {
      s.joinGroup(group, null);
      assertThatThrownBy(() -> s.joinGroup(group, null)).isInstanceOf(SocketException.class)
          .hasMessageContaining("Already a member");
      s.leaveGroup(group, null);
      assertThatThrownBy(() -> s.leaveGroup(group, null)).isInstanceOf(SocketException.class)
          .hasMessageContaining("Not a member");
      assertThatThrownBy(() -> s.joinGroup(new InetSocketAddress(b.network(nwid).ipv4().orElseThrow(), 0), null))
          .isInstanceOf(SocketException.class);
    }
  }

  @Test
  void ownMemberSocketsHearTheGroupUnlessMulticastLoopIsOff() throws Exception {
    InetAddress group = InetAddress.getByName("239.4.5.6");
    InetAddress aAddr = a.network(nwid).ipv4().orElseThrow();
    try (DatagramSocket sender = a.newDatagramSocket(0); DatagramSocket member = a.newDatagramSocket(5200)) {
      member.joinGroup(new InetSocketAddress(group, 0), null);
      assertThat(sender.getOption(StandardSocketOptions.IP_MULTICAST_LOOP)).isTrue();
      assertThat(sender.getOption(StandardSocketOptions.IP_MULTICAST_TTL)).isEqualTo(1);
      sender.send(packet("looped", group, 5200));
      member.setSoTimeout(10_000);
      DatagramPacket in = new DatagramPacket(new byte[100], 100);
      member.receive(in);
      assertThat(text(in)).isEqualTo("looped");
      assertThat(in.getAddress()).isEqualTo(aAddr);

      sender.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, false);
      sender.send(packet("not looped", group, 5200));
      sender.send(packet("control", aAddr, 5200));
      member.receive(in = new DatagramPacket(new byte[100], 100));
      assertThat(text(in)).isEqualTo("control");
    }
  }

  /**
   * A sends to the group; B and C joined it, D (a socket of A on the same port, not joined) did not. Ordering, not
   * time, proves absence: a unicast control datagram sent after the group datagram must be the first thing D sees.
   */
  private static void exercise(InetAddress group, int port, InetAddress aAddr, InetAddress bAddr) throws Exception {
    InetSocketAddress g = new InetSocketAddress(group, port);
    try (DatagramSocket sender = a.newDatagramSocket(0);
        DatagramSocket rb = b.newDatagramSocket(port);
        DatagramSocket rc = c.newDatagramSocket(port);
        DatagramSocket d = a.newDatagramSocket(port)) {
      rb.joinGroup(g, null);
      rc.joinGroup(g, null);
      // Membership spreads through MULTICAST_LIKE: probe until both members have heard the group once.
      boolean bHeard = false;
      boolean cHeard = false;
      for (int i = 0; i < 300 && !(bHeard && cHeard); i++) {
        sender.send(packet("probe", group, port));
        bHeard |= tryReceive(rb, 100) != null;
        cHeard |= tryReceive(rc, 100) != null;
      }
      assertThat(bHeard && cHeard).as("both members received a probe").isTrue();

      sender.send(packet("m1", group, port));
      for (DatagramSocket r : new DatagramSocket[] {rb, rc}) {
        DatagramPacket in = receiveSkippingProbes(r);
        assertThat(text(in)).isEqualTo("m1");
        assertThat(in.getAddress()).isEqualTo(aAddr);
        assertThat(in.getPort()).isEqualTo(sender.getLocalPort());
      }
      // D is bound to the port but never joined: the first datagram it gets is the unicast control.
      sender.send(packet("control-d", aAddr, port));
      d.setSoTimeout(10_000);
      DatagramPacket first = new DatagramPacket(new byte[100], 100);
      d.receive(first);
      assertThat(text(first)).isEqualTo("control-d");

      rb.leaveGroup(g, null);
      sender.send(packet("m2", group, port));
      sender.send(packet("control-b", bAddr, port));
      assertThat(text(receiveSkippingProbes(rc))).isEqualTo("m2");
      assertThat(text(receiveSkippingProbes(rb))).isEqualTo("control-b");
    }
  }

  private static DatagramPacket packet(String s, InetAddress to, int port) {
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    return new DatagramPacket(bytes, bytes.length, to, port);
  }

  private static String text(DatagramPacket p) {
    return new String(p.getData(), p.getOffset(), p.getLength(), StandardCharsets.UTF_8);
  }

  private static @org.jspecify.annotations.Nullable DatagramPacket tryReceive(DatagramSocket s, int timeoutMillis)
      throws Exception {
    s.setSoTimeout(timeoutMillis);
    DatagramPacket p = new DatagramPacket(new byte[100], 100);
    try {
      s.receive(p);
      return p;
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  private static DatagramPacket receiveSkippingProbes(DatagramSocket s) throws Exception {
    s.setSoTimeout(10_000);
    while (true) {
      DatagramPacket p = new DatagramPacket(new byte[100], 100);
      s.receive(p);
      if (!text(p).equals("probe")) {
        return p;
      }
    }
  }
}
