package dev.ztjvm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.OkHello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 16 point 7: moon references de-duplicated in OK(HELLO); packet IDs a peer cannot predict. */
class Vl1HelloHardeningTest {

  /**
   * A HELLO naming the same moon 40 times (as a forger would, to make the root copy the moon into its answer again
   * and again) gets an OK(HELLO) that carries the moon once.
   */
  @Test
  void moonNamedManyTimesIsSentOnce() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    WorldSigningKey moonKey = WorldSigningKey.generate(new java.security.SecureRandom());
    World moon = World.sign(World.Type.MOON, 0x4d4f4f4eL, 1_700_000_000_000L, moonKey.publicKey(),
        List.of(new World.Root(LoopbackPlanet.labIdentity("controller").publicOnly(),
            List.of(new InetSocketAddress(lo, LoopbackPlanet.freeUdpPort())))), moonKey);
    Identity client = LoopbackPlanet.labIdentity("member1");
    SymmetricKey key = client.agree(rootId);
    try (NodeHarness nodes = new NodeHarness();
        DatagramSocket socket = new DatagramSocket(new InetSocketAddress(lo, 0))) {
      Vl1Node root = nodes.start(NodeHarness.rootConfig(rootId, planet, lo, rootPort).withMoons(List.of(moon)),
          "moon-root");
      List<Hello.MoonRef> refs = new ArrayList<>(
          Collections.nCopies(40, new Hello.MoonRef(World.Type.MOON.code(), moon.id(), 0)));
      Hello hello = new Hello(Packet.PROTOCOL_VERSION, 1, 14, 1, System.currentTimeMillis(), client,
          new InetSocketAddress(lo, rootPort), planet.id(), planet.timestamp(), refs);
      byte[] buf = new byte[Packet.MAX_PACKET_LENGTH];
      int n = hello.write(buf, 0, 0x1234567890L, root.address());
      Hello.armor(new PacketArmor(), buf, 0, n, key);
      socket.send(new DatagramPacket(buf, n, new InetSocketAddress(lo, rootPort)));

      socket.setSoTimeout(10_000);
      byte[] in = new byte[Packet.MAX_PACKET_LENGTH];
      while (true) {
        DatagramPacket p = new DatagramPacket(in, in.length);
        socket.receive(p); // fails with a timeout if the root never answers
        int len = p.getLength();
        if (len < Packet.HEADER_LENGTH || Packet.isFragment(in, 0, len)
            || !new PacketArmor().dearmor(in, 0, len, key) || Packet.verbCode(in, 0) != Verb.OK.code()) {
          continue; // the root's own HELLO to the new path, or a fragment
        }
        OkHello ok = OkHello.parse(in, 0, len);
        assertThat(ok).isNotNull();
        List<World> worlds = World.readAll(ok.worldUpdates(), 0, ok.worldUpdates().length);
        assertThat(worlds).extracting(World::id).containsExactly(moon.id());
        return;
      }
    }
  }

  /**
   * Consecutive packet IDs of a node are not what a seeded {@link java.util.SplittableRandom} (what the node used
   * before) would produce next: its state follows from one output, so a peer seeing one packet ID could predict the
   * next. With a {@link java.security.SecureRandom} source, no ID matches its predecessor's prediction.
   */
  @Test
  void packetIdsAreNotPredictableFromThePreviousOne() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    World planet = LoopbackPlanet.withRoot(rootId, LoopbackPlanet.freeUdpPort());
    try (NodeHarness nodes = new NodeHarness()) {
      Vl1Node node = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member2"), planet, lo), "ids");
      long[] ids = node.loop().call(() -> {
        long[] out = new long[200];
        for (int i = 0; i < out.length; i++) {
          out[i] = Packet.packetId(node.begin(rootId.address(), Verb.NOP).array(), 0);
        }
        return out;
      }, Duration.ofSeconds(10));
      int predicted = 0;
      for (int i = 1; i < ids.length; i++) {
        if (nextSplittableRandomOutput(ids[i - 1]) == ids[i]) {
          predicted++;
        }
      }
      assertThat(predicted).isZero();
      // and the prediction itself works: a SplittableRandom's outputs are all predicted
      java.util.SplittableRandom weak = new java.util.SplittableRandom(42);
      long previous = weak.nextLong();
      for (int i = 0; i < 10; i++) {
        long next = weak.nextLong();
        assertThat(nextSplittableRandomOutput(previous)).isEqualTo(next);
        previous = next;
      }
    }
  }

  private static final long GOLDEN_GAMMA = 0x9e3779b97f4a7c15L;

  /** The output a seeded SplittableRandom gives after {@code output}: invert its mixer, step, mix again. */
  static long nextSplittableRandomOutput(long output) {
    return mix64(unmix64(output) + GOLDEN_GAMMA);
  }

  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  private static long unmix64(long z) {
    z = unxorshift(z, 31);
    z *= inverse(0x94d049bb133111ebL);
    z = unxorshift(z, 27);
    z *= inverse(0xbf58476d1ce4e5b9L);
    return unxorshift(z, 30);
  }

  private static long unxorshift(long z, int shift) {
    long x = z;
    for (int i = 0; i < 64 / shift + 1; i++) {
      x = z ^ (x >>> shift);
    }
    return x;
  }

  /** Multiplicative inverse of an odd number modulo 2^64 (Newton's iteration). */
  private static long inverse(long a) {
    long x = a;
    for (int i = 0; i < 6; i++) {
      x *= 2 - a * x;
    }
    return x;
  }
}
