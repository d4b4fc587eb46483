package dev.ztjvm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.Fragments;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 point 1, table by table: the WHOIS hold evicts its oldest address first and keeps one source IP within its
 * share; fragment reassembly keeps one source within its slots; the peer table forgets its least recently heard leaf
 * and never an upstream. Every packet pushed out is counted.
 */
class Vl1BoundsTest {

  static final InetSocketAddress SPOOFER = new InetSocketAddress(InetAddress.getLoopbackAddress(), 40000);
  static final InetSocketAddress OTHER = new InetSocketAddress("127.0.0.2", 40000);

  private static Vl1Node start(NodeHarness nodes, Vl1Limits limits) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    World planet = LoopbackPlanet.withRoot(rootId, LoopbackPlanet.freeUdpPort());
    return nodes.start(NodeHarness.rootConfig(LoopbackPlanet.labIdentity("member1"), planet, lo, 0)
        .withLimits(limits), "bounds");
  }

  /** A suite-1 packet from {@code source} (unknown to the node) of {@code payload} bytes. */
  private static byte[] fromUnknown(long self, long source, int payload) {
    byte[] b = new byte[Packet.HEADER_LENGTH + payload];
    Packet.writeHeader(b, 0, source * 31, self, source, Verb.FRAME);
    b[Packet.IDX_FLAGS] = 0x08;
    return b;
  }

  private static void receive(Vl1Node node, InetSocketAddress from, byte[] d) throws Exception {
    node.loop().call(() -> {
      node.receive(0, from, d, 0, d.length, node.now());
      return null;
    }, Duration.ofSeconds(5));
  }

  @Test
  void whoisHoldEvictsTheOldestAddressFirst() throws Exception {
    try (NodeHarness nodes = new NodeHarness()) {
      Vl1Node node = start(nodes, Vl1Limits.DEFAULT.withMaxWhoisPending(4));
      long[] sources = {0x1000000001L, 0x1000000002L, 0x1000000003L, 0x1000000004L, 0x1000000005L, 0x1000000006L};
      for (int i = 0; i < sources.length; i++) {
        // one source IP per address, so that only the global bound is at work
        receive(node, new InetSocketAddress("127.0.1." + (i + 1), 40000), fromUnknown(node.address(), sources[i], 100));
      }
      List<Boolean> waiting = node.loop().call(() -> {
        List<Boolean> w = new ArrayList<>();
        for (long s : sources) {
          w.add(node.sw().whois.waitingFor(s));
        }
        return w;
      }, Duration.ofSeconds(5));
      assertThat(waiting).containsExactly(false, false, true, true, true, true);
      assertThat(node.counters().drops(Drop.HOLD_LIMIT)).isEqualTo(2);
      assertThat(node.loop().call(node::whoisBacklog, Duration.ofSeconds(5)).addresses()).isEqualTo(4);
    }
  }

  @Test
  void oneSourceIpKeepsToItsShareOfTheHold() throws Exception {
    try (NodeHarness nodes = new NodeHarness()) {
      // 4 KiB per source IP: about three 1,200-byte packets
      Vl1Node node = start(nodes, Vl1Limits.DEFAULT.withMaxHeldBytes(1L << 20, 4L << 10));
      long victim = 0x2000000001L;
      receive(node, OTHER, fromUnknown(node.address(), victim, 1200));
      for (long s = 0x3000000001L; s < 0x3000000001L + 50; s++) {
        receive(node, SPOOFER, fromUnknown(node.address(), s, 1200));
      }
      long[] state = node.loop().call(() -> new long[] {
          node.sw().whois.waitingFor(victim) ? 1 : 0, node.whoisBacklog().heldBytes(),
          node.sw().whois.waitingFor(0x3000000001L + 49) ? 1 : 0}, Duration.ofSeconds(5));
      assertThat(state[0]).as("the other source's packet is still held").isEqualTo(1);
      assertThat(state[2]).as("the spoofer's newest packet is held").isEqualTo(1);
      assertThat(state[1]).as("bytes held: the victim's packet plus at most the spoofer's share")
          .isLessThanOrEqualTo(1200 + 64 + (4L << 10));
      assertThat(node.counters().drops(Drop.HOLD_LIMIT)).isGreaterThanOrEqualTo(45);
    }
  }

  @Test
  void oneSourceIpKeepsToItsReassemblySlots() throws Exception {
    try (NodeHarness nodes = new NodeHarness()) {
      Vl1Node node = start(nodes, Vl1Limits.DEFAULT);
      // fragment 1 of 2 of a packet from OTHER, then 40 incomplete packets from the spoofer
      receive(node, OTHER, fragment(node.address(), 0xabcdefL, 1));
      for (int i = 0; i < 40; i++) {
        receive(node, SPOOFER, fragment(node.address(), 0x1000 + i, 1));
      }
      int pending = node.loop().call(node::pendingDatagrams, Duration.ofSeconds(5));
      assertThat(pending).as("the other source's part and the spoofer's 8 slots").isEqualTo(1 + 8);
      assertThat(node.counters().drops(Drop.FRAGMENT_DISCARDED)).isEqualTo(40 - 8);
      // the other source's packet can still complete: its head arrives and is delivered to the (unknown-source) hold
      long before = node.counters().drops(Drop.FRAGMENT_DISCARDED);
      receive(node, OTHER, head(node.address(), 0xabcdefL));
      assertThat(node.counters().drops(Drop.FRAGMENT_DISCARDED)).isEqualTo(before);
      assertThat(node.loop().call(() -> node.sw().whois.waitingFor(0x4000000001L), Duration.ofSeconds(5))).isTrue();
    }
  }

  @Test
  void fullPeerTableForgetsTheStalestLeafNeverAnUpstream() throws Exception {
    try (NodeHarness nodes = new NodeHarness()) {
      Vl1Node node = start(nodes, Vl1Limits.DEFAULT.withMaxPeers(3));
      Identity a = LoopbackPlanet.labIdentity("member2");
      Identity b = LoopbackPlanet.labIdentity("libzt");
      Identity c = LoopbackPlanet.labIdentity("controller");
      long root = LoopbackPlanet.labIdentity("root").address();
      node.loop().call(() -> {
        node.addCachedPeer(a, List.of());
        return null;
      }, Duration.ofSeconds(5));
      Thread.sleep(20); // b is heard from later than a
      node.loop().call(() -> {
        node.addCachedPeer(b, List.of());
        node.addCachedPeer(c, List.of());
        return null;
      }, Duration.ofSeconds(5));
      List<Long> known = node.loop().call(() -> node.peers().stream().map(PeerInfo::address).toList(),
          Duration.ofSeconds(5));
      assertThat(known).containsExactlyInAnyOrder(root, b.address(), c.address());
      assertThat(node.counters().peersEvicted()).isEqualTo(1);
    }
  }

  /** Head (part 0) of a 2-part packet from source 0x4000000001 with the given packet ID. */
  private static byte[] head(long self, long packetId) {
    byte[] b = new byte[Packet.HEADER_LENGTH + 100];
    Packet.writeHeader(b, 0, packetId, self, 0x4000000001L, Verb.FRAME);
    b[Packet.IDX_FLAGS] = 0x08;
    Packet.setFragmented(b, 0, true);
    return b;
  }

  /** Fragment {@code number} of a 2-part packet. */
  private static byte[] fragment(long self, long packetId, int number) {
    byte[] b = new byte[Fragments.HEADER_LENGTH + 100];
    Packet.writeHeader(b, 0, packetId, self, 0, Verb.NOP);
    b[Fragments.IDX_INDICATOR] = (byte) 0xff;
    b[Fragments.IDX_COUNTS] = (byte) (0x20 | number);
    b[Fragments.IDX_HOPS] = 0;
    return b;
  }
}
