package dev.ztjvm.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Responses;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.MulticastGroup;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 point 9: a root with {@link RootMulticastService} installed (as {@code zerotier-tools root} and
 * LocalZeroTier do) answers a MULTICAST_GATHER in ZeroTier One's format (network ID, flags 0, group MAC, ADI, gather
 * limit) with the members that announced the group by MULTICAST_LIKE: the count known (asker included, as
 * Multicaster::gather counts it) and the others' addresses, never the asker's.
 */
class RootMulticastGatherTest {

  static final long NWID = 0x8056c2e21c000001L;
  static final MulticastGroup GROUP = new MulticastGroup(0xffffffffffffL, 0x0a000001);
  static final MulticastGroup OTHER_GROUP = new MulticastGroup(0x333300000001L, 0);

  @Test
  void rootAnswersStockGatherWithTheMembersThatLikedTheGroup() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    try (NodeHarness nodes = new NodeHarness()) {
      Vl1Node root = nodes.start(NodeHarness.rootConfig(rootId, planet, lo, rootPort), "gather-root");
      RootMulticastService service = RootMulticastService.install(root);
      Vl1Node a = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member1"), planet, lo), "gather-a");
      Vl1Node b = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member2"), planet, lo), "gather-b");
      Vl1Node c = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("libzt"), planet, lo), "gather-c");
      for (Vl1Node n : List.of(a, b, c)) {
        NodeHarness.await("online", n::online, Duration.ofSeconds(20));
      }
      CompletableFuture<byte[]> answer = new CompletableFuture<>();
      c.setVl2Hook((node, source, verb, pkt, off, len, hops, now) -> {
        if (verb == Verb.OK.code() && source == root.address()
            && Responses.inReVerb(pkt, off) == Verb.MULTICAST_GATHER.code()) {
          answer.complete(java.util.Arrays.copyOfRange(pkt, off, off + len));
        }
      });

      like(a, root.address(), GROUP);
      like(b, root.address(), GROUP);
      like(c, root.address(), GROUP); // the asker is a member too: counted, never listed
      like(a, root.address(), OTHER_GROUP);
      NodeHarness.await("likes recorded", () -> root.loop().call(service::likes, Duration.ofSeconds(5)) >= 4,
          Duration.ofSeconds(10));

      root.loop().call(() -> null, Duration.ofSeconds(5));
      c.loop().call(() -> {
        WireWriter w = c.begin(root.address(), Verb.MULTICAST_GATHER);
        w.u64(NWID).u8(0).u16((int) (GROUP.mac() >>> 32)).u32(GROUP.mac() & 0xffffffffL)
            .u32(GROUP.adi() & 0xffffffffL).u32(100);
        return c.send(w, false, true);
      }, Duration.ofSeconds(5));

      byte[] ok = answer.get(10, TimeUnit.SECONDS);
      int p = Responses.IDX_OK_DATA;
      assertThat(Bytes.u64(ok, p)).isEqualTo(NWID);
      assertThat(Bytes.u64(ok, p + 8) >>> 16).as("group MAC").isEqualTo(GROUP.mac());
      assertThat((int) Bytes.u32(ok, p + 14)).as("ADI").isEqualTo(GROUP.adi());
      assertThat(Bytes.u32(ok, p + 18)).as("members known, asker included").isEqualTo(3);
      int listed = Bytes.u16(ok, p + 22);
      List<Long> members = new ArrayList<>();
      for (int i = 0; i < listed; i++) {
        members.add(Bytes.u40(ok, p + 24 + 5 * i));
      }
      assertThat(members).containsExactlyInAnyOrder(a.address(), b.address());
      assertThat(ok.length).isEqualTo(p + 24 + 5 * listed);
      assertThat(Packet.source(ok, 0)).isEqualTo(root.address());
    }
  }

  private static void like(Vl1Node from, long root, MulticastGroup g) throws Exception {
    from.loop().call(() -> {
      WireWriter w = from.begin(root, Verb.MULTICAST_LIKE);
      w.u64(NWID).u16((int) (g.mac() >>> 32)).u32(g.mac() & 0xffffffffL).u32(g.adi() & 0xffffffffL);
      return from.send(w, false, false);
    }, Duration.ofSeconds(5));
  }
}
