package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.ip.IpProtocolHandler;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterfaceTest {

  /** A transport that records what the IP layer hands it. */
  static final class RecordingHandler implements IpProtocolHandler {
    final int protocol;
    final List<String> events = new ArrayList<>();

    RecordingHandler(int protocol) {
      this.protocol = protocol;
    }

    @Override
    public int protocol() {
      return protocol;
    }

    @Override
    public void receive(byte[] src, byte[] dst, byte[] buf, int off, int len, long nowNanos) {
      events.add("rx " + len + " " + Arrays.toString(Arrays.copyOfRange(buf, off, off + len)));
    }

    @Override
    public void icmpError(
        IcmpErrorKind kind, byte[] src, byte[] dst, byte[] quoted, int off, int len, int mtu, long nowNanos) {
      events.add(kind + " src=" + Arrays.toString(src) + " dst=" + Arrays.toString(dst) + " first="
          + (quoted[off] & 0xff));
    }
  }

  @Test
  void registeredTransportReceivesAndGetsProtocolUnreachableBack() {
    TwoHosts h = new TwoHosts();
    RecordingHandler onA = new RecordingHandler(253);
    h.a.register(onA);
    RecordingHandler onB = new RecordingHandler(253);
    // B has no handler yet: A's datagram is answered with protocol unreachable (v4) / parameter problem (v6).
    h.a.send(TwoHosts.A4.getAddress(), TwoHosts.B4.getAddress(), 253, new byte[] {42, 1, 2, 3, 4, 5, 6, 7}, 0, 8);
    h.a.send(TwoHosts.A6.getAddress(), TwoHosts.B6.getAddress(), 253, new byte[] {43, 1, 2, 3, 4, 5, 6, 7}, 0, 8);
    h.driver.runFor(20 * MS);
    assertThat(onA.events).containsExactly(
        "HOST_UNREACHABLE src=[10, 0, 0, 1] dst=[10, 0, 0, 2] first=42",
        "HOST_UNREACHABLE src=" + Arrays.toString(TwoHosts.A6.getAddress()) + " dst="
            + Arrays.toString(TwoHosts.B6.getAddress()) + " first=43");
    h.b.register(onB);
    h.a.send(TwoHosts.A4.getAddress(), TwoHosts.B4.getAddress(), 253, new byte[] {9, 9}, 0, 2);
    h.driver.runFor(10 * MS);
    assertThat(onB.events).containsExactly("rx 2 [9, 9]");
    assertThatThrownBy(() -> h.b.register(new RecordingHandler(253))).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> h.b.register(new RecordingHandler(17))).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sameSeedGivesTheSameRunDifferentSeedAnother() {
    String a = faultyRun(77);
    String b = faultyRun(77);
    String c = faultyRun(78);
    assertThat(a).isEqualTo(b);
    assertThat(c).isNotEqualTo(a);
  }

  private static String faultyRun(long seed) {
    LinkFaults faults = LinkFaults.NONE.withDelay(MS, 2 * MS).withLoss(0.2).withDuplicate(0.1).withReorder(0.1, MS)
        .withCorrupt(0.1);
    TwoHosts h = new TwoHosts(faults, seed, c -> c);
    UdpSocket rx = h.b.udp().open().bind(null, 9);
    UdpSocket tx = h.a.udp().open();
    for (int i = 0; i < 200; i++) {
      tx.send(new byte[] {(byte) i}, 0, 1, i % 2 == 0 ? TwoHosts.B4 : TwoHosts.B6, 9);
      h.driver.runFor(MS);
    }
    h.driver.runFor(5 * S);
    StringBuilder sb = new StringBuilder();
    while (rx.queued() > 0) {
      sb.append(rx.receive().data()[0]).append(',');
    }
    return sb + " " + h.a.statistics() + h.b.statistics() + " lost=" + h.link.framesLost() + " dup="
        + h.link.framesDuplicated() + " corrupt=" + h.link.framesCorrupted();
  }

  @Test
  void corruptedFramesAreCaughtByChecksumsNotDelivered() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE.withCorrupt(1.0), 5, c -> c);
    // Prime the neighbour caches over a clean wire first.
    h.link.setFaults(LinkFaults.NONE);
    UdpSocket rx = h.b.udp().open().bind(null, 9);
    UdpSocket tx = h.a.udp().open();
    tx.send(new byte[1], 0, 1, TwoHosts.B4, 9);
    h.driver.runFor(10 * MS);
    rx.receive();
    h.link.setFaults(LinkFaults.NONE.withCorrupt(1.0));
    byte[] payload = new byte[200];
    int delivered = 0;
    for (int i = 0; i < 300; i++) {
      tx.send(payload, 0, payload.length, TwoHosts.B4, 9);
      h.driver.runFor(MS);
      while (rx.queued() > 0) {
        assertThat(rx.receive().data()).as("a flipped byte must never reach the application")
            .isEqualTo(payload);
        delivered++;
      }
    }
    // Flips in the Ethernet header may still deliver (the source MAC is not checksummed) — but never bad data.
    assertThat(delivered).isLessThan(300);
    assertThat(h.link.framesCorrupted()).isGreaterThanOrEqualTo(300); // plus answers B sent (e.g. unreachables)
  }

  @Test
  void multicastSubscriptionsFollowAddresses() {
    TwoHosts h = new TwoHosts();
    assertThat(h.a.multicastSubscriptions()).containsExactlyInAnyOrder(
        MacAddress.BROADCAST, MacAddress.parse("33:33:00:00:00:01"), MacAddress.parse("33:33:ff:00:00:01"),
        MacAddress.parse("33:33:ff:00:00:0a"));
  }

  @Test
  void configurationIsValidated() {
    assertThatThrownBy(() -> InterfaceConfig.builder(MacAddress.parse("01:00:5e:00:00:01")).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unicast");
    assertThatThrownBy(() -> InterfaceConfig.builder(TwoHosts.MAC_A).mtu(100).build())
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("MTU");
    assertThatThrownBy(() -> MacAddress.parse("zz:00:00:00:00:00")).isInstanceOf(IllegalArgumentException.class);
    TwoHosts h = new TwoHosts();
    assertThatThrownBy(() -> h.a.addAddress(TwoHosts.ip("224.0.0.1"), 24))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(h.a.removeAddress(TwoHosts.A4)).isTrue();
    assertThat(h.a.isLocalAddress(TwoHosts.A4.getAddress())).isFalse();
    assertThat(h.a.addresses()).extracting(AssignedAddress::prefixLength).containsExactly(64, 64);
  }
}
