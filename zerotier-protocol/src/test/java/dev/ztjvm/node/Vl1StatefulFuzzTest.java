package dev.ztjvm.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.network.RootMulticastService;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.Fragments;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PacketCompressor;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.decode.CaptureDecoder;
import dev.ztjvm.vl1.decode.DecodedPacket;
import dev.ztjvm.vl1.pcap.PcapReader;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.NetworkConfig;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Stateful fuzzing of the real receive path ({@link Vl1Node#receive}, i.e. the {@link Switch} and {@link
 * IncomingPacket}) with real session keys: the inputs are mostly packets from peers the node knows, armored with the
 * key it agreed with them (valid MACs, both cipher suites, some compressed, some fragmented with parts lost,
 * duplicated or reordered), whose payloads are mutated captured payloads of every VL1 verb (a root run) or every VL2
 * verb (a member run with a {@link NetworkManager} that joined the vector network and takes its controller's pushed
 * config); mixed with HELLOs, unknown sources, damaged MACs and random bytes. The node's state carries over from
 * input to input. After every input the books must balance (every datagram received is delivered, relayed, dropped
 * under a reason, or pending: no uncounted drop), no handler may throw (no internal error), and at the end the
 * wire-fed tables are within their bounds and the heap grew by at most 64 MB.
 *
 * <p>10^5 inputs per run in CI; 10^7 under {@code -Pfuzz}.
 */
class Vl1StatefulFuzzTest {

  private static final int CI_INPUTS = 100_000;
  private static final int FUZZ_INPUTS = 10_000_000;
  private static final int BATCH = 500;

  private static final int[] VL1_VERBS = {0x00, 0x02, 0x03, 0x04, 0x05, 0x08, 0x10, 0x14, 0x01, 0x11, 0x15};
  private static final int[] VL2_VERBS = {0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e, 0x03, 0x02};

  @Test
  void vl1VerbsOnARoot() throws Exception {
    run(false, 0x5eed_1001L, CI_INPUTS);
  }

  @Test
  void vl2VerbsOnAMember() throws Exception {
    run(true, 0x5eed_2001L, CI_INPUTS);
  }

  @Test
  @Tag("fuzz")
  void vl1VerbsOnARootLong() throws Exception {
    run(false, 0x5eed_1002L, FUZZ_INPUTS);
  }

  @Test
  @Tag("fuzz")
  void vl2VerbsOnAMemberLong() throws Exception {
    run(true, 0x5eed_2002L, FUZZ_INPUTS);
  }

  /** Payloads by verb code, from decrypted captured traffic and the VL2 vectors. */
  private static Map<Integer, List<byte[]>> corpus() throws Exception {
    Map<Integer, List<byte[]>> byVerb = new HashMap<>();
    List<Identity> ids = CaptureDecoder.loadSecrets(SharedData.capture("identities"));
    for (String name : List.of("01-run1.lo", "02-run2.lo", "04-run4-libzt-patched.lo")) {
      for (DecodedPacket p : new CaptureDecoder(ids).decode(PcapReader.read(SharedData.capture("pcap/" + name
          + ".pcap")))) {
        byte[] pkt = p.packet();
        if (pkt.length >= Packet.HEADER_LENGTH) {
          byVerb.computeIfAbsent(Packet.verbCode(pkt, 0), k -> new ArrayList<>())
              .add(Arrays.copyOfRange(pkt, Packet.IDX_PAYLOAD, pkt.length));
        }
      }
    }
    byte[] ok = SharedData.hex(SharedData.vectorJson("vl2.json").get("network_config")
        .get("ok_network_config_request_plaintext_packet").asString());
    byVerb.computeIfAbsent(0x0c, k -> new ArrayList<>()).add(Arrays.copyOfRange(ok, 37, ok.length));
    return byVerb;
  }

  private static final class Peerish {
    final Identity identity;
    final SymmetricKey key;

    Peerish(Identity identity, SymmetricKey key) {
      this.identity = identity;
      this.key = key;
    }
  }

  static void run(boolean vl2, long seed, int inputs) throws Exception {
    Map<Integer, List<byte[]>> corpus = corpus();
    Random rnd = new Random(seed);
    InetAddress lo = InetAddress.getLoopbackAddress();
    World planet = LoopbackPlanet.withRoot(LoopbackPlanet.labIdentity("root"), LoopbackPlanet.freeUdpPort());
    Identity self;
    List<Identity> peerIds = new ArrayList<>();
    long nwid = 0;
    if (vl2) {
      self = Identity.parse(SharedData.vectorJson("identities.json").get("B").get("secret_string").asString());
      Identity controller =
          Identity.parse(SharedData.vectorJson("identities.json").get("A").get("secret_string").asString());
      peerIds.add(controller.publicOnly());
      nwid = NetworkConfig.parse(SharedData.hex(SharedData.vectorJson("vl2.json").get("network_config")
          .get("dictionary_hex").asString())).networkId();
    } else {
      self = LoopbackPlanet.labIdentity("root");
    }
    peerIds.add(LoopbackPlanet.labIdentity("member1").publicOnly());
    peerIds.add(LoopbackPlanet.labIdentity("member2").publicOnly());
    List<Peerish> peers = new ArrayList<>();
    for (Identity p : peerIds) {
      peers.add(new Peerish(p, self.agree(p)));
    }
    Vl1Config config = Vl1Config.of(self, planet, UnderlayConfig.bind(lo, 0)).withPathPolicy(NodeHarness.LOOPBACK_OK)
        .withRoot(!vl2).withNewIdentityInterval(Duration.ZERO);
    long heapBefore = heapAfterGc();
    java.util.concurrent.atomic.AtomicInteger configs = new java.util.concurrent.atomic.AtomicInteger();
    try (EventLoop loop = new EventLoop("fuzz").start()) {
      Vl1Node node = new Vl1Node(config, loop);
      node.startOnLoop().get();
      NetworkManager manager = null;
      if (vl2) {
        manager = new NetworkManager(node, NetworkOptions.inMemory());
        manager.addListener(new dev.ztjvm.network.NetworkListener() {
          @Override
          public void onConfigChanged(dev.ztjvm.network.NetworkInfo info, NetworkConfig config) {
            configs.incrementAndGet();
          }
        });
        manager.start();
        long joined = nwid;
        NetworkManager m = manager;
        loop.call(() -> m.join(joined), Duration.ofSeconds(10));
      } else {
        RootMulticastService.install(node);
      }
      loop.call(() -> {
        for (Identity p : peerIds) {
          node.addCachedPeer(p, List.of());
        }
        return null;
      }, Duration.ofSeconds(10));

      Generator gen = new Generator(rnd, node.address(), peers, corpus, vl2 ? VL2_VERBS : VL1_VERBS, nwid);
      InetSocketAddress[] froms = {
          new InetSocketAddress(lo, 9993), new InetSocketAddress(lo, 9994), new InetSocketAddress("127.0.0.2", 21000)};
      for (int done = 0; done < inputs;) {
        int n = Math.min(BATCH, inputs - done);
        List<byte[]> batch = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          gen.next(batch);
        }
        int base = done;
        String failure = loop.call(() -> {
          Vl1Counters c = node.counters();
          for (int i = 0; i < batch.size(); i++) {
            byte[] d = batch.get(i);
            try {
              node.receive(0, froms[(base + i) % froms.length], d, 0, d.length, node.now() + (base + i) / 10);
            } catch (RuntimeException | StackOverflowError e) {
              return "input " + (base + i) + " threw " + e + " on " + SharedData.hex(d);
            }
            long books = c.delivered() + c.relayed() + c.undelivered() + node.pendingDatagrams();
            if (c.datagramsIn() != books) {
              return "input " + (base + i) + " left the books unbalanced: in " + c.datagramsIn() + " vs "
                  + books + " (" + c.drops() + ") on " + SharedData.hex(d);
            }
          }
          return null;
        }, Duration.ofSeconds(120));
        if (failure != null) {
          fail("seed " + seed + ": " + failure);
        }
        done += n;
      }
      Vl1Counters c = node.counters();
      long[] state = loop.call(() -> new long[] {
          node.whoisBacklog().addresses(), node.whoisBacklog().heldBytes(), node.peerCount(),
          c.totalDrops(), c.undelivered(), c.rejected(), c.delivered()}, Duration.ofSeconds(10));
      System.out.printf("FUZZ %s seed %x: %,d inputs, %,d datagrams, delivered %,d, configs taken %d, drops %s%n",
          vl2 ? "VL2" : "VL1", seed, inputs, c.datagramsIn(), c.delivered(), configs.get(), c.drops());
      if (vl2) {
        assertThat(configs.get()).as("network configs the member took from its controller during the run")
            .isPositive();
      }
      assertThat(c.drops(Drop.INTERNAL_ERROR)).isZero();
      assertThat(state[6]).as("authenticated packets delivered").isGreaterThan(inputs / 10);
      assertThat(state[3]).as("drops by reason = undelivered + rejected").isEqualTo(state[4] + state[5]);
      assertThat(state[0]).isLessThanOrEqualTo(config.limits().maxWhoisPending());
      assertThat(state[1]).isLessThanOrEqualTo(config.limits().maxHeldBytes());
      assertThat(state[2]).isLessThanOrEqualTo(config.limits().maxPeers());
      assertThat(node.failure()).isNull();
      if (manager != null) {
        manager.close();
      }
      node.close();
    }
    assertThat(heapAfterGc() - heapBefore).as("heap growth, bytes").isLessThanOrEqualTo(64L << 20);
  }

  private static long heapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(50);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /** Builds the inputs; runs on the test thread with its own armor and compressor. */
  private static final class Generator {
    final Random rnd;
    final long self;
    final List<Peerish> peers;
    final Map<Integer, List<byte[]>> corpus;
    final int[] verbs;
    final long nwid;
    final PacketArmor armor = new PacketArmor();
    final PacketCompressor compressor = new PacketCompressor();
    final byte[] buf = new byte[Packet.MAX_PACKET_LENGTH + 64];
    final List<byte[]> allPayloads = new ArrayList<>();

    Generator(Random rnd, long self, List<Peerish> peers, Map<Integer, List<byte[]>> corpus, int[] verbs, long nwid) {
      this.rnd = rnd;
      this.self = self;
      this.peers = peers;
      this.corpus = corpus;
      this.verbs = verbs;
      this.nwid = nwid;
      corpus.values().forEach(allPayloads::addAll);
    }

    void next(List<byte[]> out) {
      int kind = rnd.nextInt(100);
      if (kind < 70) {
        authenticated(out, false);
      } else if (kind < 78) {
        authenticated(out, true);
      } else if (kind < 84) {
        hello(out);
      } else if (kind < 92) {
        byte[] p = plain(rnd.nextLong() & 0xff_ffff_ffffL | 0x01_0000_0000L, verbs[rnd.nextInt(verbs.length)]);
        out.add(p);
      } else {
        byte[] r = new byte[rnd.nextInt(rnd.nextBoolean() ? 40 : 1500)];
        rnd.nextBytes(r);
        if (r.length > Packet.HEADER_LENGTH && rnd.nextBoolean()) {
          dev.ztjvm.netstack.Bytes.put40(r, Packet.IDX_DEST, self);
        }
        out.add(r);
      }
    }

    /** A packet from a known peer with a valid MAC (or, if {@code damage}, a damaged armored one). */
    void authenticated(List<byte[]> out, boolean damage) {
      Peerish p = peers.get(rnd.nextInt(peers.size()));
      int verb = verbs[rnd.nextInt(verbs.length)];
      byte[] payload = payloadFor(verb);
      int len = header(p.identity.address(), verb, payload);
      if (rnd.nextInt(4) == 0) {
        len = compressor.compress(buf, 0, len);
      }
      if (rnd.nextInt(8) == 0) {
        buf[Packet.IDX_FLAGS] = (byte) (rnd.nextInt(3)); // hops 0..2
      }
      // As a sender does: the fragmented flag is set before armoring (the MAC key depends on the flags).
      boolean split = len > 600 && rnd.nextInt(3) == 0;
      Packet.setFragmented(buf, 0, split);
      armor.armor(buf, 0, len, p.key, rnd.nextInt(3) == 0 ? PacketArmor.SUITE_AES_GMAC_SIV
          : PacketArmor.SUITE_POLY1305_SALSA2012);
      byte[] pkt = Arrays.copyOf(buf, len);
      if (damage) {
        mutate(pkt, 0);
      }
      if (split) {
        fragment(pkt, out);
      } else {
        out.add(pkt);
      }
    }

    /** A HELLO from a known peer (its identity, valid MAC) or from a fresh identity, payload mutated. */
    void hello(List<byte[]> out) {
      Peerish p = peers.get(rnd.nextInt(peers.size()));
      Hello h = new Hello(Packet.PROTOCOL_VERSION, 1, 14, 1, System.currentTimeMillis(), p.identity,
          new InetSocketAddress("127.0.0.1", 9993), 0, 0, rnd.nextBoolean()
              ? List.of(new Hello.MoonRef(World.Type.MOON.code(), 42, 0), new Hello.MoonRef(World.Type.MOON.code(),
                  42, 0)) : List.of());
      int n = h.write(buf, 0, rnd.nextLong(), self);
      if (rnd.nextInt(3) == 0) {
        int at = Packet.IDX_PAYLOAD + rnd.nextInt(n - Packet.IDX_PAYLOAD);
        buf[at] ^= (byte) (1 << rnd.nextInt(8));
      }
      try {
        Hello.armor(armor, buf, 0, n, p.key);
      } catch (IllegalArgumentException broken) {
        // the mutation broke the HELLO's structure: it goes out unarmored, as a forger's would
      }
      byte[] pkt = Arrays.copyOf(buf, n);
      if (rnd.nextInt(4) == 0) {
        mutate(pkt, Packet.IDX_PAYLOAD);
      }
      out.add(pkt);
    }

    byte[] plain(long source, int verb) {
      byte[] payload = payloadFor(verb);
      int len = header(source, verb, payload);
      buf[Packet.IDX_FLAGS] = (byte) 0x08;
      return Arrays.copyOf(buf, len);
    }

    int header(long source, int verb, byte[] payload) {
      Packet.writeHeader(buf, 0, rnd.nextLong(), self, source, Verb.NOP);
      buf[Packet.IDX_VERB] = (byte) verb;
      int n = Math.min(payload.length, Packet.MAX_PACKET_LENGTH - Packet.HEADER_LENGTH);
      System.arraycopy(payload, 0, buf, Packet.IDX_PAYLOAD, n);
      return Packet.HEADER_LENGTH + n;
    }

    byte[] payloadFor(int verb) {
      List<byte[]> pool = corpus.getOrDefault(verb, List.of());
      byte[] seedPayload = pool.isEmpty() || rnd.nextInt(10) == 0
          ? allPayloads.get(rnd.nextInt(allPayloads.size())) : pool.get(rnd.nextInt(pool.size()));
      byte[] b = seedPayload.clone();
      if (nwid != 0 && b.length >= 8 && rnd.nextInt(3) == 0) {
        dev.ztjvm.netstack.Bytes.put64(b, 0, nwid); // most VL2 payloads start with the network ID
      }
      if (rnd.nextInt(5) != 0) {
        mutate(b, 0);
        if (b.length > 0 && rnd.nextBoolean()) {
          b = Arrays.copyOf(b, rnd.nextInt(b.length + 32));
        }
      }
      return b;
    }

    void mutate(byte[] b, int from) {
      int ops = 1 + rnd.nextInt(3);
      for (int k = 0; k < ops && b.length > from; k++) {
        int at = from + rnd.nextInt(b.length - from);
        switch (rnd.nextInt(4)) {
          case 0 -> b[at] ^= (byte) (1 << rnd.nextInt(8));
          case 1 -> b[at] = (byte) new int[] {0, 1, 0x7f, 0x80, 0xff}[rnd.nextInt(5)];
          case 2 -> b[at] = (byte) rnd.nextInt(256);
          default -> {
            int end = Math.min(b.length, at + 1 + rnd.nextInt(8));
            Arrays.fill(b, at, end, (byte) (rnd.nextBoolean() ? 0 : 0xff));
          }
        }
      }
    }

    /** Splits an armored packet into a head and fragments; loses, duplicates or reorders some. */
    void fragment(byte[] pkt, List<byte[]> out) {
      int mtu = 400 + rnd.nextInt(200);
      int total = Fragments.count(pkt.length, mtu);
      if (total > Fragments.MAX_FRAGMENTS) {
        out.add(pkt);
        return;
      }
      List<byte[]> parts = new ArrayList<>();
      parts.add(Arrays.copyOf(pkt, mtu));
      byte[] f = new byte[mtu + Fragments.HEADER_LENGTH];
      for (int i = 1; i < total; i++) {
        int n = Fragments.writeFragment(pkt, 0, pkt.length, mtu, i, f, 0);
        parts.add(Arrays.copyOf(f, n));
      }
      int fault = rnd.nextInt(6);
      if (fault == 0) {
        parts.remove(rnd.nextInt(parts.size()));
      } else if (fault == 1) {
        parts.add(parts.get(rnd.nextInt(parts.size())).clone());
      } else if (fault == 2) {
        java.util.Collections.shuffle(parts, rnd);
      }
      out.addAll(parts);
    }
  }
}
