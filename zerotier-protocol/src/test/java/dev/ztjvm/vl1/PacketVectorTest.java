package dev.ztjvm.vl1;

import static dev.ztjvm.testing.SharedData.hex;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Every packets.json vector produced and consumed byte-for-byte through the VL1 codec. */
class PacketVectorTest {

  static final JsonNode PACKETS = SharedData.vectorJson("packets.json");
  static final JsonNode IDS = SharedData.vectorJson("identities.json");
  static final Identity A = Identity.parse(IDS.get("A").get("secret_string").asString());
  static final Identity B = Identity.parse(IDS.get("B").get("secret_string").asString());
  static final SymmetricKey KEY = A.agree(B);
  static final long PACKET_ID = 0x0123456789abcde8L;

  final PacketArmor armor = new PacketArmor();

  static byte[] vec(String example, String field) {
    return hex(PACKETS.get(example).get(field).asString());
  }

  @Test
  void echoBuiltAndArmoredWithEverySuite() {
    byte[] payload = PACKETS.get("echo_example").get("payload_ascii").asString().getBytes();
    byte[] buf = new byte[200];
    int len = Echo.writeRequest(buf, 0, PACKET_ID, B.address(), A.address(), payload, 0, payload.length);
    byte[] plain = Arrays.copyOf(buf, len);
    assertThat(hex(plain)).isEqualTo(hex(vec("echo_example", "plaintext_packet")));

    assertArmored(plain, PacketArmor.SUITE_POLY1305_NONE, vec("echo_example", "cipher0_poly1305_mac_only"));
    assertArmored(plain, PacketArmor.SUITE_POLY1305_SALSA2012, vec("echo_example", "cipher1_salsa2012_poly1305"));
    assertArmored(plain, PacketArmor.SUITE_AES_GMAC_SIV, vec("echo_example", "cipher3_aes_gmac_siv"));
  }

  private void assertArmored(byte[] plain, int suite, byte[] wire) {
    byte[] p = plain.clone();
    armor.armor(p, 0, p.length, KEY, suite);
    assertThat(hex(p)).as("suite %d", suite).isEqualTo(hex(wire));
    assertThat(Packet.cipher(p, 0)).isEqualTo(suite);
    assertThat(Packet.destination(p, 0)).isEqualTo(B.address());
    assertThat(Packet.source(p, 0)).isEqualTo(A.address());
    assertThat(Packet.hops(p, 0)).isZero();
    assertThat(Packet.isFragmented(p, 0)).isFalse();
  }

  @Test
  void echoConsumedFromEverySuiteIncludingRelayedCopies() {
    for (String f : List.of("cipher0_poly1305_mac_only", "cipher1_salsa2012_poly1305", "cipher3_aes_gmac_siv")) {
      for (int hops = 0; hops < 3; hops++) {
        byte[] p = vec("echo_example", f);
        Packet.setHops(p, 0, hops);
        assertThat(Packet.isPacketHead(p, 0, p.length)).isTrue();
        assertThat(armor.dearmor(p, 0, p.length, KEY)).as(f).isTrue();
        assertThat(Packet.verbCode(p, 0)).isEqualTo(Verb.ECHO.code());
        assertThat(Verb.of(Packet.verbByte(p, 0))).isEqualTo(Verb.ECHO);
        assertThat(Packet.hops(p, 0)).isEqualTo(hops);
        byte[] payload = Arrays.copyOfRange(p, Packet.IDX_PAYLOAD, p.length);
        assertThat(new String(payload)).isEqualTo(PACKETS.get("echo_example").get("payload_ascii").asString());
      }
    }
    byte[] p3 = vec("echo_example", "cipher3_aes_gmac_siv");
    assertThat(armor.dearmor(p3, 0, p3.length, KEY)).isTrue();
    assertThat(hex(p3)).isEqualTo(hex(vec("echo_example", "cipher3_after_dearmor")));
    // the ID to echo in OK is the wire value (SIV-derived), not the original
    assertThat(Packet.packetId(p3, 0)).isEqualTo(0xbbc5838fdf141a03L);
  }

  @Test
  void echoReplyCopiesPayloadAndNamesWireId() {
    byte[] req = vec("echo_example", "cipher3_aes_gmac_siv");
    armor.dearmor(req, 0, req.length, KEY);
    byte[] buf = new byte[200];
    int len = Echo.writeReply(req, 0, req.length, buf, 0, 42, B.address());
    assertThat(Packet.destination(buf, 0)).isEqualTo(A.address());
    assertThat(Packet.verbCode(buf, 0)).isEqualTo(Verb.OK.code());
    assertThat(Responses.inReVerb(buf, 0)).isEqualTo(Verb.ECHO.code());
    assertThat(Responses.inRePacketId(buf, 0)).isEqualTo(0xbbc5838fdf141a03L);
    assertThat(Arrays.copyOfRange(buf, Responses.IDX_OK_DATA, len))
        .isEqualTo(Arrays.copyOfRange(req, Packet.IDX_PAYLOAD, req.length));
  }

  @Test
  void compressedUserMessageBothWays() {
    byte[] plain = vec("compressed_example", "plaintext_packet");
    UserMessage um = UserMessage.parse(plain, 0, plain.length);
    assertThat(um).isNotNull();
    byte[] buf = new byte[Packet.MAX_PACKET_LENGTH];
    int len = um.write(buf, 0, PACKET_ID, B.address(), A.address());
    assertThat(hex(Arrays.copyOf(buf, len))).isEqualTo(hex(plain));

    PacketCompressor lz4 = new PacketCompressor();
    len = lz4.compress(buf, 0, len);
    assertThat(Packet.isCompressed(buf, 0)).isTrue();
    assertThat(hex(Arrays.copyOf(buf, len))).isEqualTo(hex(vec("compressed_example", "after_lz4_compress")));
    armor.armor(buf, 0, len, KEY, PacketArmor.SUITE_POLY1305_SALSA2012);
    assertThat(hex(Arrays.copyOf(buf, len))).isEqualTo(hex(vec("compressed_example", "cipher1_wire")));

    byte[] wire = vec("compressed_example", "cipher1_wire");
    byte[] rx = Arrays.copyOf(wire, Packet.MAX_PACKET_LENGTH);
    assertThat(armor.dearmor(rx, 0, wire.length, KEY)).isTrue();
    assertThat(Packet.isCompressed(rx, 0)).isTrue();
    int n = lz4.decompress(rx, 0, wire.length);
    assertThat(hex(Arrays.copyOfRange(rx, 27, n))).isEqualTo(hex(Arrays.copyOfRange(plain, 27, plain.length)));
    assertThat(Packet.packetId(rx, 0)).isEqualTo(PACKET_ID);
    assertThat(Packet.verbByte(rx, 0)).isEqualTo(Verb.USER_MESSAGE.code());
    UserMessage back = UserMessage.parse(rx, 0, n);
    assertThat(back.typeId()).isEqualTo(um.typeId());
    assertThat(back.payload()).isEqualTo(um.payload());
  }

  @Test
  void shortPayloadsAndIncompressibleOnesStayUncompressed() {
    PacketCompressor lz4 = new PacketCompressor();
    byte[] buf = new byte[Packet.MAX_PACKET_LENGTH];
    int len = new UserMessage(70000, new byte[56]).write(buf, 0, 1, 2, 3); // 64-byte payload: not > 64
    assertThat(lz4.compress(buf, 0, len)).isEqualTo(len);
    assertThat(Packet.isCompressed(buf, 0)).isFalse();
    byte[] random = new byte[900];
    new Random(7).nextBytes(random);
    len = new UserMessage(70000, random).write(buf, 0, 1, 2, 3);
    assertThat(lz4.compress(buf, 0, len)).isEqualTo(len);
    assertThat(Packet.isCompressed(buf, 0)).isFalse();
  }

  @Test
  void corruptLz4BlockIsDroppedNotThrown() {
    byte[] p = Arrays.copyOf(vec("compressed_example", "after_lz4_compress"), Packet.MAX_PACKET_LENGTH);
    int len = vec("compressed_example", "after_lz4_compress").length;
    PacketCompressor lz4 = new PacketCompressor();
    p[Packet.IDX_PAYLOAD] = (byte) 0xff; // literal length run pointing past the end
    p[Packet.IDX_PAYLOAD + 1] = (byte) 0xff;
    assertThat(lz4.decompress(p, 0, len)).isEqualTo(-1);
    assertThat(lz4.decompressFailureCount()).isEqualTo(1);
  }

  @Test
  void helloBuiltEncryptedArmoredAndParsed() {
    JsonNode f = PACKETS.get("hello_example").get("fields");
    List<Hello.MoonRef> moons = new ArrayList<>();
    for (JsonNode m : f.get("moons")) {
      moons.add(new Hello.MoonRef(m.get("type").asInt(), Long.parseUnsignedLong(m.get("world_id").asString(), 16),
          m.get("timestamp").asLong()));
    }
    InetSocketAddress dest = InetAddresses.parseEndpoint(f.get("physical_destination").asString());
    Hello hello = new Hello(f.get("protocol_version").asInt(), f.get("major").asInt(), f.get("minor").asInt(),
        f.get("revision").asInt(), f.get("timestamp_ms").asLong(), A.publicOnly(), dest,
        f.get("planet_world_id").asLong(), f.get("planet_world_timestamp").asLong(), moons);

    byte[] buf = new byte[512];
    int len = hello.write(buf, 0, PACKET_ID, B.address());
    byte[] plain = Arrays.copyOf(buf, len);
    assertThat(hex(plain)).isEqualTo(hex(vec("hello_example", "plaintext_packet")));
    assertThat(Hello.encryptedSectionStart(plain, 0, len))
        .isEqualTo(PACKETS.get("hello_example").get("encrypted_section_starts_at_byte").asInt());

    byte[] crypted = plain.clone();
    armor.cryptField(crypted, 0, Hello.encryptedSectionStart(plain, 0, len), len, KEY);
    assertThat(hex(crypted)).isEqualTo(hex(vec("hello_example", "after_cryptField")));

    Hello.armor(armor, buf, 0, len, KEY);
    assertThat(hex(Arrays.copyOf(buf, len))).isEqualTo(hex(vec("hello_example", "wire_cipher0")));

    byte[] wire = vec("hello_example", "wire_cipher0");
    assertThat(Hello.peekIdentity(wire, 0, wire.length)).isEqualTo(A.publicOnly());
    assertThat(Hello.dearmor(armor, wire, 0, wire.length, KEY)).isTrue();
    assertThat(hex(Arrays.copyOfRange(wire, 27, wire.length))).isEqualTo(hex(Arrays.copyOfRange(plain, 27, len)));
    assertThat(Hello.parse(wire, 0, wire.length)).isEqualTo(hello);

    byte[] forged = vec("hello_example", "wire_cipher0");
    forged[forged.length - 1] ^= 1;
    assertThat(Hello.dearmor(armor, forged, 0, forged.length, KEY)).isFalse();
  }

  @Test
  void fragmentedFrameSplitAndReassembledInAnyOrder() {
    byte[] plain = vec("fragmentation_example", "plaintext_packet");
    int mtu = PACKETS.get("fragmentation_example").get("physical_mtu").asInt();
    List<byte[]> expected = new ArrayList<>();
    for (JsonNode d : PACKETS.get("fragmentation_example").get("wire_datagrams")) {
      expected.add(hex(d.asString()));
    }
    byte[] p = plain.clone();
    assertThat(Fragments.needsFragmentation(p.length, mtu)).isTrue();
    Packet.setFragmented(p, 0, true);
    armor.armor(p, 0, p.length, KEY, PacketArmor.SUITE_POLY1305_SALSA2012);
    int count = Fragments.count(p.length, mtu);
    assertThat(count).isEqualTo(expected.size());
    List<byte[]> datagrams = new ArrayList<>();
    datagrams.add(Arrays.copyOf(p, mtu));
    byte[] out = new byte[mtu];
    for (int k = 1; k < count; k++) {
      int n = Fragments.writeFragment(p, 0, p.length, mtu, k, out, 0);
      datagrams.add(Arrays.copyOf(out, n));
    }
    for (int i = 0; i < count; i++) {
      assertThat(hex(datagrams.get(i))).as("datagram %d", i).isEqualTo(hex(expected.get(i)));
    }

    Random rnd = new Random(1234);
    FragmentReassembler reassembler = new FragmentReassembler();
    byte[] assembled = new byte[Packet.MAX_PACKET_LENGTH];
    for (int trial = 0; trial < 20; trial++) {
      List<byte[]> order = new ArrayList<>(expected);
      Collections.shuffle(order, rnd);
      order.add(rnd.nextInt(order.size()), order.get(rnd.nextInt(order.size()))); // one duplicate
      int result = 0;
      for (int i = 0; i < order.size(); i++) {
        byte[] d = order.get(i);
        int r = Packet.isFragment(d, 0, d.length)
            ? reassembler.offerFragment(d, 0, d.length, 1000 + trial * 10_000L, assembled, 0)
            : reassembler.offerHead(d, 0, d.length, 1000 + trial * 10_000L, assembled, 0);
        if (r > 0) {
          assertThat(result).isZero();
          result = r;
        }
      }
      assertThat(result).as("trial %d", trial).isEqualTo(plain.length);
      assertThat(Arrays.copyOf(assembled, result)).isEqualTo(p);
      // a duplicate arriving after completion opens a new entry that only the timeout removes
      assertThat(reassembler.pending()).isLessThanOrEqualTo(1);
      reassembler.expire(1000 + trial * 10_000L + FragmentReassembler.TIMEOUT_MILLIS + 1);
      assertThat(reassembler.pending()).isZero();
      byte[] rx = Arrays.copyOf(assembled, result);
      assertThat(armor.dearmor(rx, 0, rx.length, KEY)).isTrue();
      Packet.setFragmented(rx, 0, false);
      assertThat(Arrays.copyOfRange(rx, 27, rx.length)).isEqualTo(Arrays.copyOfRange(plain, 27, plain.length));
      assertThat(Packet.verbCode(rx, 0)).isEqualTo(Verb.FRAME.code());
    }
  }
}
