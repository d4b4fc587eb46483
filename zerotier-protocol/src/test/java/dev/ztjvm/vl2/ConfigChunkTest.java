package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConfigChunkTest {
  private static final JsonNode NC = SharedData.vectorJson("vl2.json").get("network_config");
  private static final Identity A = Vl2TestData.vectorIdentity("A");
  private static final Identity B = Vl2TestData.vectorIdentity("B");

  @Test
  void vectorOkPacketChunkVerifiesAndDecodes() {
    byte[] pkt = SharedData.hex(NC.get("ok_network_config_request_plaintext_packet").asString());
    int start = NC.get("signed_region_starts_at_byte").asInt();
    assertThat(pkt[27]).isEqualTo((byte) 0x03); // OK
    assertThat(pkt[28]).isEqualTo((byte) 0x0b); // in-re NETWORK_CONFIG_REQUEST
    assertThat(SharedData.hex(Arrays.copyOfRange(pkt, 29, 37))).isEqualTo(NC.get("in_re_packet_id").asString());
    ConfigChunk chunk = ConfigChunk.parse(pkt, start, pkt.length - start);
    assertThat(chunk.signed()).isTrue();
    assertThat(Long.toHexString(chunk.updateId())).isEqualTo("102030405060708");
    assertThat(chunk.verify(A.publicOnly())).isTrue();
    assertThat(chunk.verify(B)).isFalse();
    assertThat(SharedData.hex(chunk.data())).isEqualTo(NC.get("dictionary_hex").asString());
    assertThat(chunk.toBytes()).isEqualTo(Arrays.copyOfRange(pkt, start, pkt.length));

    // the controller side reproduces the same signed chunk (Ed25519 is deterministic)
    List<ConfigChunk> built = ConfigChunk.sign(A, chunk.networkId(), chunk.data(), chunk.updateId(), 0);
    assertThat(built).containsExactly(chunk);

    ConfigAssembler asm = new ConfigAssembler(chunk.networkId(), B.address(), A.publicOnly());
    ConfigAssembler.Completed done = asm.offer(chunk, A.address(), 1);
    assertThat(done).isNotNull();
    assertThat(done.config().name()).isEqualTo("testnet");
    // the same update again is stale
    assertThat(asm.offer(chunk, A.address(), 1)).isNull();
    assertThat(asm.droppedChunks()).isEqualTo(1);
  }

  @Test
  void capturedRun01NetworkConfigDecodesAndVerifiesWithTheControllerIdentity() {
    Identity controller = Vl2TestData.capturedIdentity("controller", false);
    Identity member1 = Vl2TestData.capturedIdentity("member1", false);
    Identity member2 = Vl2TestData.capturedIdentity("member2", false);
    List<JsonNode> pushes = Vl2TestData.capturedPackets("01-run1.lo.jsonl", "NETWORK_CONFIG");
    List<JsonNode> oks = new ArrayList<>();
    for (JsonNode ok : Vl2TestData.capturedPackets("01-run1.lo.jsonl", "OK")) {
      if (ok.get("plaintext_payload_hex").asString().startsWith("0b")) {
        oks.add(ok);
      }
    }
    assertThat(pushes).isNotEmpty();
    assertThat(oks).isNotEmpty();
    int checked = 0;
    java.util.Map<Long, CertificateOfMembership> coms = new java.util.HashMap<>();
    for (JsonNode p : concat(pushes, oks)) {
      byte[] payload = SharedData.hex(p.get("plaintext_payload_hex").asString());
      boolean isOk = p.get("verb").asString().equals("OK");
      int off = isOk ? 9 : 0; // OK: in-re verb (1) + in-re packet ID (8)
      ConfigChunk chunk = ConfigChunk.parse(payload, off, payload.length - off);
      assertThat(chunk.verify(controller)).isTrue();
      long to = Long.parseLong(p.get("zt_dst").asString(), 16);
      Identity member = to == member1.address() ? member1 : member2;
      ConfigAssembler asm = new ConfigAssembler(0xea7ca3b1d7000001L, member.address(), controller);
      ConfigAssembler.Completed done = asm.offer(chunk, controller.address(), 0);
      assertThat(done).as("packet %s", p.get("frames")).isNotNull();
      NetworkConfig nc = done.config();
      assertThat(nc.name()).isEqualTo("ztlab-net");
      assertThat(nc.mtu()).isEqualTo(2800);
      assertThat(nc.routes()).extracting(Route::target).containsExactly(IpPrefix.parse("10.147.17.0/24"));
      String ip = member == member1 ? "10.147.17.11/24" : "10.147.17.12/24";
      assertThat(nc.staticIps()).containsExactly(IpPrefix.parse(ip));
      assertThat(nc.broadcastEnabled()).isTrue();
      assertThat(nc.multicastLimit()).isEqualTo(32);
      assertThat(nc.isPrivate()).isTrue();
      assertThat(nc.effectiveRules()).containsExactly(Rule.accept());
      assertThat(nc.com()).isNotNull();
      assertThat(nc.com().verify(controller)).isTrue();
      assertThat(nc.com().issuedTo()).isEqualTo(member.address());
      assertThat(nc.certificatesOfOwnership().get(0).verify(controller)).isTrue();
      coms.put(member.address(), nc.com());
      // a 1.14 controller's config re-serialises to exactly the bytes it sent
      assertThat(nc.toBytes()).isEqualTo(chunk.data());
      checked++;
    }
    assertThat(checked).isGreaterThanOrEqualTo(4);
    // the two members' COMs (issued seconds apart, ctmd 30 min) agree with each other, and bind the identities
    CertificateOfMembership c1 = coms.get(member1.address());
    CertificateOfMembership c2 = coms.get(member2.address());
    assertThat(c1.agreesWith(c2, member2)).isTrue();
    assertThat(c2.agreesWith(c1, member1)).isTrue();
    assertThat(c1.agreesWith(c2, member1)).isFalse();
  }

  private static List<JsonNode> concat(List<JsonNode> a, List<JsonNode> b) {
    List<JsonNode> l = new ArrayList<>(a);
    l.addAll(b);
    return l;
  }

  @Test
  void multiChunkConfigReassemblesInAnyOrderWithDuplicates() {
    long nwid = 0x4f3f5c640a000001L;
    NetworkConfig big = NetworkConfig.builder(nwid, B.address()).name("big").timestamp(1)
        .extra(new Dictionary().putBytes("PAD", filler(30_000))).build();
    byte[] dict = big.toBytes();
    List<ConfigChunk> chunks = ConfigChunk.sign(A, nwid, dict, 0x77L, 0);
    assertThat(chunks).hasSize((dict.length + ConfigChunk.MAX_CHUNK_LENGTH - 1) / ConfigChunk.MAX_CHUNK_LENGTH);
    long seed = 42;
    Random rnd = new Random(seed);
    for (int round = 0; round < 20; round++) {
      List<ConfigChunk> order = new ArrayList<>(chunks);
      order.add(chunks.get(rnd.nextInt(chunks.size()))); // a duplicate
      Collections.shuffle(order, rnd);
      ConfigAssembler asm = new ConfigAssembler(nwid, B.address(), A);
      ConfigAssembler.Completed done = null;
      int completions = 0;
      for (ConfigChunk c : order) {
        // each chunk survives serialisation
        ConfigChunk wire = ConfigChunk.parse(c.toBytes(), 0, c.toBytes().length);
        ConfigAssembler.Completed r = asm.offer(wire, A.address(), 0);
        if (r != null) {
          done = r;
          completions++;
        }
      }
      assertThat(completions).as("seed %d round %d", seed, round).isEqualTo(1);
      assertThat(done.config()).isEqualTo(big);
      assertThat(asm.droppedChunks()).isEqualTo(1);
    }
  }

  @Test
  void assemblerRejectsForgedForeignAndInterleavesUpdates() {
    long nwid = 0x4f3f5c640a000001L;
    byte[] d1 = NetworkConfig.builder(nwid, B.address()).name("one")
        .extra(new Dictionary().putBytes("PAD", filler(12_000))).build().toBytes();
    byte[] d2 = NetworkConfig.builder(nwid, B.address()).name("two")
        .extra(new Dictionary().putBytes("PAD", filler(12_000))).build().toBytes();
    List<ConfigChunk> u1 = ConfigChunk.sign(A, nwid, d1, 1, 0);
    List<ConfigChunk> u2 = ConfigChunk.sign(A, nwid, d2, 2, 0);
    ConfigAssembler asm = new ConfigAssembler(nwid, B.address(), A);
    assertThat(asm.offer(u1.get(0), A.address(), 0)).isNull();
    assertThat(asm.offer(u2.get(0), A.address(), 0)).isNull();
    assertThat(asm.offer(u2.get(1), A.address(), 0).config().name()).isEqualTo("two");
    assertThat(asm.offer(u1.get(1), A.address(), 0).config().name()).isEqualTo("one");

    // forged: right layout, signed by the member itself
    ConfigChunk forged = ConfigChunk.sign(B, nwid, d1, 3, 0).get(0);
    assertThat(asm.offer(forged, A.address(), 0)).isNull();
    // a tampered byte
    byte[] w = ConfigChunk.sign(A, nwid, "v=7".getBytes(), 4, 0).get(0).toBytes();
    w[12] ^= 1;
    assertThat(asm.offer(ConfigChunk.parse(w, 0, w.length), A.address(), 0)).isNull();
    // config issued to someone else
    byte[] other = NetworkConfig.builder(nwid, A.address()).build().toBytes();
    assertThat(asm.offer(ConfigChunk.sign(A, nwid, other, 5, 0).get(0), A.address(), 0)).isNull();
    // unsigned short form only from the controller
    ConfigChunk shortForm = ConfigChunk.parse(Arrays.copyOf(w, 10 + 3), 0, 13);
    assertThat(shortForm.signed()).isFalse();
    byte[] sf = new WireWriter().u64(nwid).u16(d1.length).bytes(d1).toByteArray();
    assertThat(asm.offer(ConfigChunk.parse(sf, 0, sf.length), B.address(), 9)).isNull();
    assertThat(asm.offer(ConfigChunk.parse(sf, 0, sf.length), A.address(), 9).config().name()).isEqualTo("one");
    assertThat(asm.droppedChunks()).isEqualTo(4);
    assertThatThrownBy(() -> new ConfigAssembler(nwid, B.address(), B)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void chunkParserRejectsBadLayouts() {
    byte[] w = ConfigChunk.sign(A, 0x4f3f5c640a000001L, "v=7".getBytes(), 4, 0).get(0).toBytes();
    byte[] badSig = w.clone();
    badSig[10 + 3 + 17 + 1] = 0x50; // signature length 0x5060
    assertThatThrownBy(() -> ConfigChunk.parse(badSig, 0, badSig.length)).isInstanceOf(WireFormatException.class);
    byte[] outside = w.clone();
    outside[10 + 3 + 1 + 8 + 3] = 1; // total length 1 < index + chunk length
    assertThatThrownBy(() -> ConfigChunk.parse(outside, 0, outside.length)).isInstanceOf(WireFormatException.class);
    assertThatThrownBy(() -> ConfigChunk.parse(w, 0, w.length - 1)).isInstanceOf(WireFormatException.class);
  }

  private static byte[] filler(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return b;
  }
}
