package dev.ztjvm.vl1;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.decode.CaptureDecoder;
import dev.ztjvm.vl1.decode.DecodedPacket;
import dev.ztjvm.vl1.pcap.PcapReader;
import dev.ztjvm.vl1.pcap.UdpDatagram;
import dev.ztjvm.vl1.world.World;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzzing of the receive-path entry points: datagram classification, fragment reassembly, dearmor,
 * decompression, every VL1 payload parser and the world parser. The corpus is real traffic (wire datagrams and their
 * decrypted plaintext) plus the world files; mutations flip bits, overwrite bytes with boundary values, truncate,
 * extend, splice and replace whole inputs with random bytes. Nothing may throw; parsers return null / −1 instead.
 *
 * <p>This is the parsers' own contract, checked stage by stage with one fixed key. The node's real receive path
 * (reassembly, authentication with real session keys, every VL1 and VL2 verb handler, the node's state carried from
 * input to input) is fuzzed by {@link dev.ztjvm.node.Vl1StatefulFuzzTest}, which also checks that every datagram is
 * accounted for.
 */
class ParserFuzzTest {

  static final List<byte[]> WIRE = new ArrayList<>();
  static final List<byte[]> PLAIN = new ArrayList<>();
  static final List<byte[]> WORLDS = new ArrayList<>();
  static SymmetricKey key;

  @BeforeAll
  static void corpus() throws IOException {
    List<Identity> ids = CaptureDecoder.loadSecrets(SharedData.capture("identities"));
    for (String name : List.of("01-run1.lo", "02-run2.lo", "04-run4-libzt-patched.lo")) {
      List<UdpDatagram> datagrams = PcapReader.read(SharedData.capture("pcap/" + name + ".pcap"));
      for (UdpDatagram d : datagrams) {
        WIRE.add(d.payload());
      }
      for (DecodedPacket p : new CaptureDecoder(ids).decode(datagrams)) {
        PLAIN.add(p.packet());
      }
    }
    WORLDS.add(World.defaultPlanetBytes());
    WORLDS.add(SharedData.bytes(SharedData.capture("planet/planet")));
    WORLDS.add(SharedData.hex(SharedData.vectorJson("moon-example.json").get("serialized").asString()));
    Identity m1 = ids.stream().filter(i -> i.addressString().equals("c28cfc86ce")).findFirst().orElseThrow();
    Identity m2 = ids.stream().filter(i -> i.addressString().equals("13eb7fc337")).findFirst().orElseThrow();
    key = m1.agree(m2);
  }

  @Test
  void shortRun() {
    run(0x5eed_0001L, 10_000);
  }

  @Test
  @Tag("fuzz")
  void longRun() {
    run(0x5eed_0002L, 1_000_000);
  }

  static void run(long seed, int iterations) {
    Random rnd = new Random(seed);
    Harness h = new Harness();
    for (int i = 0; i < iterations; i++) {
      int kind = i % 3;
      List<byte[]> pool = kind == 0 ? WIRE : kind == 1 ? PLAIN : WORLDS;
      byte[] input = mutate(rnd, pool.get(rnd.nextInt(pool.size())), pool);
      try {
        switch (kind) {
          case 0 -> h.datagram(input, i);
          case 1 -> h.plaintext(input);
          default -> h.world(input);
        }
      } catch (Throwable t) {
        fail("seed " + seed + " iteration " + i + " kind " + kind + " input " + SharedData.hex(input), t);
      }
    }
    assertThat(h.datagrams).isPositive();
  }

  static byte[] mutate(Random rnd, byte[] seed, List<byte[]> pool) {
    if (rnd.nextInt(20) == 0) {
      byte[] r = new byte[rnd.nextInt(rnd.nextBoolean() ? 64 : 1600)];
      rnd.nextBytes(r);
      return r;
    }
    byte[] b = seed.clone();
    int ops = 1 + rnd.nextInt(4);
    for (int k = 0; k < ops; k++) {
      switch (rnd.nextInt(6)) {
        case 0 -> { // bit flip
          if (b.length > 0) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
          }
        }
        case 1 -> { // boundary byte
          if (b.length > 0) {
            int[] v = {0x00, 0x01, 0x7f, 0x80, 0xff, 0x04, 0x06, 0x10, 0x40};
            b[rnd.nextInt(b.length)] = (byte) v[rnd.nextInt(v.length)];
          }
        }
        case 2 -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1)); // truncate
        case 3 -> { // extend with random tail
          int old = b.length;
          b = Arrays.copyOf(b, old + 1 + rnd.nextInt(64));
          for (int j = old; j < b.length; j++) {
            b[j] = (byte) rnd.nextInt(256);
          }
        }
        case 4 -> { // splice another input's tail
          byte[] other = pool.get(rnd.nextInt(pool.size()));
          int cut = rnd.nextInt(b.length + 1);
          int from = rnd.nextInt(other.length + 1);
          byte[] s = Arrays.copyOf(b, cut + other.length - from);
          System.arraycopy(other, from, s, cut, other.length - from);
          b = s;
        }
        default -> { // big-endian length field overwrite
          if (b.length > 2) {
            int p = rnd.nextInt(b.length - 1);
            int v = rnd.nextBoolean() ? 0xffff : rnd.nextInt(0x200);
            b[p] = (byte) (v >>> 8);
            b[p + 1] = (byte) v;
          }
        }
      }
    }
    return b;
  }

  /** What a node does with an inbound datagram, minus peers: every stage that touches untrusted bytes. */
  static final class Harness {
    final FragmentReassembler reassembler = new FragmentReassembler();
    final PacketArmor armor = new PacketArmor();
    final PacketCompressor compressor = new PacketCompressor();
    final byte[] assembled = new byte[Packet.MAX_PACKET_LENGTH];
    final byte[] work = new byte[Packet.MAX_PACKET_LENGTH + 64];
    long datagrams;

    void datagram(byte[] d, long now) {
      datagrams++;
      int len = d.length;
      if (len > Packet.MAX_PHYSICAL_MTU) {
        return;
      }
      byte[] pkt = d;
      if (Packet.isFragment(d, 0, len)) {
        Fragments.total(d, 0);
        len = reassembler.offerFragment(d, 0, len, now, assembled, 0);
        pkt = assembled;
      } else if (Packet.isPacketHead(d, 0, len)) {
        Packet.destination(d, 0);
        Packet.source(d, 0);
        Packet.hops(d, 0);
        Packet.mac(d, 0);
        if (Packet.isFragmented(d, 0)) {
          len = reassembler.offerHead(d, 0, len, now, assembled, 0);
          pkt = assembled;
        }
      } else {
        return;
      }
      if (len <= 0) {
        return;
      }
      System.arraycopy(pkt, 0, work, 0, len);
      if (Packet.cipher(work, 0) == 0 && Packet.verbCode(work, 0) == Verb.HELLO.code()) {
        Hello.peekIdentity(work, 0, len);
        if (!Hello.dearmor(armor, work, 0, len, key)) {
          return;
        }
      } else if (!armor.dearmor(work, 0, len, key)) {
        return;
      }
      int n = compressor.decompress(work, 0, len);
      if (n > 0) {
        parse(work, n);
      }
    }

    void plaintext(byte[] p) {
      if (p.length < Packet.HEADER_LENGTH) {
        return;
      }
      byte[] buf = Arrays.copyOf(p, Packet.MAX_PACKET_LENGTH + 64);
      int n = compressor.decompress(buf, 0, p.length);
      if (n > 0) {
        parse(buf, n);
      }
      parse(p, p.length); // also as if not compressed
    }

    void parse(byte[] b, int len) {
      Verb v = Verb.of(Packet.verbByte(b, 0));
      Verb.nameOf(Packet.verbByte(b, 0));
      // every parser on every input: a verb byte is one mutation away from another
      Hello.parse(b, 0, len);
      Hello.encryptedSectionStart(b, 0, len);
      Whois.parseRequest(b, 0, len);
      Rendezvous.parse(b, 0, len);
      PushDirectPaths.parse(b, 0, len);
      UserMessage.parse(b, 0, len);
      if (Responses.isValidOk(len)) {
        Responses.inReVerb(b, 0);
        Responses.inRePacketId(b, 0);
        OkHello h = OkHello.parse(b, 0, len);
        if (h != null) {
          byte[] w = h.worldUpdates();
          World.readAll(w, 0, w.length);
        }
        Whois.parseOkData(b, 0, len);
      }
      if (Responses.isValidError(len)) {
        ErrorCode.of(Responses.errorCode(b, 0));
      }
      assertThat(v == null || v.code() == Packet.verbCode(b, 0)).isTrue();
    }

    void world(byte[] w) {
      World.readAll(w, 0, w.length);
      try {
        World parsed = World.parse(w);
        parsed.verifySelfSigned();
        assertThat(World.parse(parsed.serialize())).isEqualTo(parsed);
      } catch (IllegalArgumentException expected) {
        assertThat(expected.getMessage()).startsWith("invalid world");
      }
    }
  }
}
