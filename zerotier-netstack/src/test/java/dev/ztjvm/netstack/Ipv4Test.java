package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.ipv4.Ipv4;
import dev.ztjvm.netstack.testing.LinkFaults;
import dev.ztjvm.netstack.udp.UdpDatagram;
import dev.ztjvm.netstack.udp.UdpSocket;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class Ipv4Test {

  @Test
  void pingMeasuresRoundTripInVirtualTime() throws Exception {
    TwoHosts h = new TwoHosts(LinkFaults.NONE.withDelay(3 * MS, 0), 1, c -> c);
    CompletableFuture<Long> first = h.a.ping(TwoHosts.B4, 56, h.now(), 5 * S);
    h.driver.runUntil(first::isDone, 10 * S);
    // ARP request + reply, echo request + reply: four one-way trips of 3 ms.
    assertThat(first.get()).isEqualTo(12 * MS);
    CompletableFuture<Long> second = h.a.ping(TwoHosts.B4, 1000, h.now(), 5 * S);
    h.driver.runUntil(second::isDone, 10 * S);
    assertThat(second.get()).isEqualTo(6 * MS);
    assertThat(h.b.statistics().icmpv4().delivered()).isEqualTo(2);
    assertThat(h.a.statistics().icmpv4().delivered()).isEqualTo(2);
  }

  @Test
  void pingTimesOutWhenRepliesAreLost() {
    TwoHosts h = new TwoHosts();
    h.a.ping(TwoHosts.B4, 8, h.now(), S);
    h.driver.runFor(100 * MS); // ARP resolved
    h.link.setFaults(LinkFaults.NONE.withLoss(1.0));
    CompletableFuture<Long> p = h.a.ping(TwoHosts.B4, 8, h.now(), 2 * S);
    h.driver.runFor(3 * S);
    assertThat(p).isCompletedExceptionally();
    assertThat(catchCause(p)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void pingToOwnAddressIsLoopedBackWithoutTheWire() throws Exception {
    TwoHosts h = new TwoHosts();
    CompletableFuture<Long> p = h.a.ping(TwoHosts.A4, 100, h.now(), S);
    assertThat(h.a.nextDeadline()).isEqualTo(h.now());
    h.a.poll(h.now());
    assertThat(p.get()).isEqualTo(0L);
    assertThat(h.frames).isEmpty();
  }

  @Test
  void largeDatagramsAreFragmentedAndReassembled() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.mtu(1500));
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    UdpSocket tx = h.a.udp().open();
    byte[] data = new byte[20_000];
    new Random(7).nextBytes(data);
    tx.send(data, 0, data.length, TwoHosts.B4, 4000);
    h.driver.runFor(100 * MS);
    UdpDatagram d = rx.receive();
    assertThat(d).isNotNull();
    assertThat(d.data()).isEqualTo(data);
    List<byte[]> ip = h.framesOfType(Ethernet.TYPE_IPV4);
    // 20,008 bytes of UDP in 1480-byte pieces: 14 fragments, none larger than the MTU.
    assertThat(ip).hasSize(14);
    for (byte[] f : ip) {
      assertThat(f.length - 14).isLessThanOrEqualTo(1500);
    }
    assertThat(h.b.statistics().ipv4Reassembly().received()).isEqualTo(14);
  }

  @Test
  void reassemblyHandlesReorderedAndDuplicatedFragments() {
    TwoHosts h = new TwoHosts(
        LinkFaults.NONE.withDelay(MS, 5 * MS).withDuplicate(0.3).withReorder(0.3, 3 * MS), 42, c -> c.mtu(1280));
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    UdpSocket tx = h.a.udp().open();
    Random r = new Random(3);
    for (int i = 0; i < 20; i++) {
      byte[] data = new byte[3000 + r.nextInt(30_000)];
      r.nextBytes(data);
      tx.send(data, 0, data.length, TwoHosts.B4, 4000);
      h.driver.runFor(50 * MS);
      UdpDatagram d = rx.receive();
      assertThat(d).as("datagram %d", i).isNotNull();
      assertThat(d.data()).isEqualTo(data);
      // Late duplicates of fragments may start a new reassembly that later times out; never a second datagram.
      assertThat(rx.receive()).isNull();
    }
  }

  @Test
  void incompleteDatagramTimesOutAndIsCounted() {
    // Capture the three fragments of one datagram and feed only the first and last to B.
    TwoHosts h2 = new TwoHosts(LinkFaults.NONE, 1, c -> c.mtu(1500));
    UdpSocket rx2 = h2.b.udp().open().bind(null, 4000);
    h2.a.udp().open().send(new byte[1], 0, 1, TwoHosts.B4, 4000);
    h2.driver.runFor(10 * MS);
    rx2.receive();
    h2.frames.clear();
    h2.link.setFaults(LinkFaults.NONE.withLoss(1.0));
    h2.a.udp().open().send(new byte[4000], 0, 4000, TwoHosts.B4, 4000);
    List<byte[]> frags = h2.framesOfType(Ethernet.TYPE_IPV4);
    assertThat(frags).hasSize(3);
    h2.b.receiveFrame(frags.get(0), 0, frags.get(0).length, h2.now());
    h2.b.receiveFrame(frags.get(2), 0, frags.get(2).length, h2.now());
    assertThat(h2.b.nextDeadline()).isEqualTo(h2.now() + 30 * S);
    h2.driver.runFor(31 * S);
    assertThat(rx2.receive()).isNull();
    NetstackStatistics st = h2.b.statistics();
    assertThat(st.ipv4Reassembly().timeouts()).isEqualTo(2);
    assertThat(st.ipv4Reassembly().dropped()).isEqualTo(2);
    // The late middle fragment alone does not complete anything.
    h2.b.receiveFrame(frags.get(1), 0, frags.get(1).length, h2.now());
    assertThat(rx2.receive()).isNull();
  }

  @Test
  void reassemblyLimitsConcurrentDatagrams() {
    TwoHosts h = new TwoHosts(LinkFaults.NONE, 1, c -> c.mtu(1500).reassemblyMaxDatagrams(2));
    h.b.udp().open().bind(null, 4000);
    for (int id = 0; id < 5; id++) {
      byte[] f = ipv4Frame(TwoHosts.MAC_B.value(), 0x0a000001, 0x0a000002, 17, id, Ipv4.FLAG_MORE_FRAGMENTS, 64,
          new byte[64]);
      h.b.receiveFrame(f, 0, f.length, h.now());
    }
    assertThat(h.b.statistics().ipv4Reassembly().queueOverflows()).isEqualTo(3);
  }

  @Test
  void corruptedHeaderIsDroppedByChecksum() {
    TwoHosts h = new TwoHosts();
    byte[] f = ipv4Frame(TwoHosts.MAC_B.value(), 0x0a000001, 0x0a000002, 17, 1, 0, 64, udp(1, 4000, new byte[4]));
    f[14 + 8] ^= 1; // TTL changed without fixing the checksum
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(h.b.statistics().ipv4().checksumErrors()).isEqualTo(1);
  }

  @Test
  void headerOptionsAreSkipped() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    byte[] payload = udp(1234, 4000, new byte[] {9, 8, 7});
    byte[] f = new byte[14 + 24 + payload.length];
    Ethernet.writeHeader(f, 0, TwoHosts.MAC_B.value(), TwoHosts.MAC_A.value(), Ethernet.TYPE_IPV4);
    f[14] = 0x46; // IHL 6: one 4-byte option word (NOPs + end)
    dev.ztjvm.netstack.Bytes.put16(f, 16, 24 + payload.length);
    f[14 + 8] = 64;
    f[14 + 9] = 17;
    dev.ztjvm.netstack.Bytes.put32(f, 14 + 12, 0x0a000001);
    dev.ztjvm.netstack.Bytes.put32(f, 14 + 16, 0x0a000002);
    f[14 + 20] = 1;
    f[14 + 21] = 1;
    dev.ztjvm.netstack.Bytes.put16(f, 24,
        dev.ztjvm.netstack.ip.InternetChecksum.of(f, 14, 24));
    System.arraycopy(payload, 0, f, 38, payload.length);
    fixUdpChecksum(f, 38, payload.length, new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
    h.b.receiveFrame(f, 0, f.length, h.now());
    assertThat(rx.receive().data()).containsExactly(9, 8, 7);
  }

  @Test
  void broadcastNeedsSocketFlagAndInterfacePermission() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 6000);
    UdpSocket tx = h.a.udp().open();
    try {
      tx.send(new byte[1], 0, 1, TwoHosts.ip("10.0.0.255"), 6000);
      throw new AssertionError("broadcast without the flag must be refused");
    } catch (IllegalStateException expected) {
      // like EACCES without SO_BROADCAST
    }
    tx.setBroadcast(true);
    assertThat(tx.send(new byte[] {5}, 0, 1, TwoHosts.ip("10.0.0.255"), 6000)).isTrue();
    assertThat(tx.send(new byte[] {6}, 0, 1, TwoHosts.ip("255.255.255.255"), 6000)).isTrue();
    h.driver.runFor(10 * MS);
    assertThat(Ethernet.destination(h.frames.get(0), 0)).isEqualTo(MacAddress.BROADCAST.value());
    assertThat(rx.receive().data()).containsExactly(5);
    assertThat(rx.receive().data()).containsExactly(6);
    // No ICMP answers to broadcasts for closed ports.
    h.frames.clear();
    tx.send(new byte[] {7}, 0, 1, TwoHosts.ip("10.0.0.255"), 6001);
    h.driver.runFor(10 * MS);
    assertThat(h.frames).hasSize(1);

    TwoHosts closed = new TwoHosts(LinkFaults.NONE, 1, c -> c.broadcastAllowed(false));
    UdpSocket rx2 = closed.b.udp().open().bind(null, 6000);
    UdpSocket tx2 = closed.a.udp().open();
    tx2.setBroadcast(true);
    assertThat(tx2.send(new byte[1], 0, 1, TwoHosts.ip("10.0.0.255"), 6000)).isFalse();
    assertThat(closed.a.statistics().ipv4().noRoute()).isEqualTo(1);
    assertThat(rx2.queued()).isZero();
  }

  @Test
  void offLinkDestinationsGoViaTheGateway() {
    TwoHosts h = new TwoHosts();
    UdpSocket tx = h.a.udp().open();
    assertThat(tx.send(new byte[1], 0, 1, TwoHosts.ip("192.168.5.5"), 53)).isFalse();
    assertThat(h.a.statistics().ipv4().noRoute()).isEqualTo(1);
    h.a.setDefaultGateway(TwoHosts.B4);
    assertThat(tx.send(new byte[1], 0, 1, TwoHosts.ip("192.168.5.5"), 53)).isTrue();
    h.driver.runFor(10 * MS);
    List<byte[]> ip = h.framesOfType(Ethernet.TYPE_IPV4);
    assertThat(ip).hasSize(1);
    assertThat(Ethernet.destination(ip.get(0), 0)).isEqualTo(TwoHosts.MAC_B.value());
    assertThat(Ipv4.destination(ip.get(0), 14)).isEqualTo(0xc0a80505);
    // B is not a router: the datagram is not for it.
    assertThat(h.b.statistics().ipv4().notForUs()).isEqualTo(1);
  }

  @Test
  void multicastIsSentToTheGroupMacAndReceived() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 5353);
    rx.joinGroup(TwoHosts.ip("224.0.0.251"));
    h.a.udp().open().send(new byte[] {1}, 0, 1, TwoHosts.ip("224.0.0.251"), 5353);
    h.driver.runFor(10 * MS);
    assertThat(Ethernet.destination(h.frames.get(0), 0)).isEqualTo(0x01005e0000fbL);
    assertThat(rx.receive().data()).containsExactly(1);
  }

  /** Fragments of one UDP datagram (id 77, checksum 0) cut at the given [start, end) byte ranges. */
  private static byte[][] fragments(byte[] udp, int[][] cuts) {
    byte[][] f = new byte[cuts.length][];
    for (int i = 0; i < cuts.length; i++) {
      int start = cuts[i][0];
      int end = cuts[i][1];
      int fo = (start >> 3) | (end < udp.length ? Ipv4.FLAG_MORE_FRAGMENTS : 0);
      f[i] = ipv4Frame(TwoHosts.MAC_B.value(), 0x0a000001, 0x0a000002, 17, 77, fo, 64,
          java.util.Arrays.copyOfRange(udp, start, end));
    }
    return f;
  }

  @Test
  void overlappingFragmentsDropTheWholeDatagram() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    byte[] udp = udp(1, 4000, new byte[40]); // 48 bytes
    byte[] other = udp(1, 4000, new byte[40]);
    java.util.Arrays.fill(other, 8, 48, (byte) 0x5a);
    byte[][] a = fragments(udp, new int[][] {{0, 24}, {32, 48}});
    byte[][] b = fragments(other, new int[][] {{16, 40}}); // overlaps both, different content
    for (byte[] f : new byte[][] {a[0], b[0], a[1]}) {
      h.b.receiveFrame(f, 0, f.length, h.now());
    }
    // the gap [24, 32) is now filled by a clean fragment: still nothing may be delivered
    byte[] gap = fragments(udp, new int[][] {{24, 32}})[0];
    h.b.receiveFrame(gap, 0, gap.length, h.now());
    assertThat(rx.receive()).isNull();
    LayerStatistics st = h.b.statistics().ipv4Reassembly();
    assertThat(st.received()).isEqualTo(4);
    // the fragment held before the overlap, the overlapping one, and the two that came after it
    assertThat(st.protocolErrors()).isEqualTo(4);
    assertThat(st.dropped()).isEqualTo(4);
    assertThat(st.delivered()).isZero();
    // the poisoned entry goes away with the reassembly timeout; a fresh datagram with the same id then works
    h.driver.runFor(31 * S);
    for (byte[] f : fragments(udp, new int[][] {{0, 24}, {24, 48}})) {
      h.b.receiveFrame(f, 0, f.length, h.now());
    }
    assertThat(rx.receive().data()).hasSize(40);
  }

  @Test
  void exactDuplicateFragmentsAreNotOverlaps() {
    TwoHosts h = new TwoHosts();
    UdpSocket rx = h.b.udp().open().bind(null, 4000);
    byte[] udp = udp(1, 4000, new byte[40]);
    udp[20] = 9;
    byte[][] f = fragments(udp, new int[][] {{0, 16}, {16, 32}, {0, 16}, {8, 16}, {32, 48}});
    for (byte[] x : f) {
      h.b.receiveFrame(x, 0, x.length, h.now());
    }
    assertThat(rx.receive().data()[12]).isEqualTo((byte) 9);
    LayerStatistics st = h.b.statistics().ipv4Reassembly();
    assertThat(st.dropped()).isEqualTo(2); // the two copies of bytes already held
    assertThat(st.protocolErrors()).isZero();
  }

  // ---- helpers shared with other tests

  static byte[] ipv4Frame(long dstMac, int src, int dst, int protocol, int id, int flagsOffset, int ttl, byte[] p) {
    byte[] f = new byte[34 + p.length];
    Ethernet.writeHeader(f, 0, dstMac, TwoHosts.MAC_A.value(), Ethernet.TYPE_IPV4);
    Ipv4.writeHeader(f, 14, 20 + p.length, id, flagsOffset, ttl, protocol, src, dst);
    System.arraycopy(p, 0, f, 34, p.length);
    if (protocol == 17 && flagsOffset == 0 && p.length >= 8) {
      fixUdpChecksum(f, 34, p.length, dev.ztjvm.netstack.ipv4.Ipv4.toBytes(src),
          dev.ztjvm.netstack.ipv4.Ipv4.toBytes(dst));
    }
    return f;
  }

  static byte[] udp(int srcPort, int dstPort, byte[] data) {
    byte[] u = new byte[8 + data.length];
    dev.ztjvm.netstack.Bytes.put16(u, 0, srcPort);
    dev.ztjvm.netstack.Bytes.put16(u, 2, dstPort);
    dev.ztjvm.netstack.Bytes.put16(u, 4, u.length);
    System.arraycopy(data, 0, u, 8, data.length);
    return u;
  }

  static void fixUdpChecksum(byte[] f, int off, int len, byte[] src, byte[] dst) {
    f[off + 6] = 0;
    f[off + 7] = 0;
    long sum = dev.ztjvm.netstack.ip.InternetChecksum.pseudoHeader(src, dst, 17, len);
    int c = dev.ztjvm.netstack.ip.InternetChecksum.finish(dev.ztjvm.netstack.ip.InternetChecksum.add(sum, f, off, len));
    dev.ztjvm.netstack.Bytes.put16(f, off + 6, c == 0 ? 0xffff : c);
  }

  static Throwable catchCause(CompletableFuture<?> f) {
    try {
      f.get();
      throw new AssertionError("future completed normally");
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
