package dev.ztjvm.vl1.decode;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.pcap.PcapReader;
import dev.ztjvm.vl1.pcap.UdpDatagram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Decodes the real captures with the lab identities and checks the result against the reference decodes. */
class CaptureDecoderTest {

  static List<Identity> identities() throws IOException {
    return CaptureDecoder.loadSecrets(SharedData.capture("identities"));
  }

  @Test
  void loadsEveryLabIdentity() throws IOException {
    assertThat(identities()).extracting(Identity::addressString)
        .containsExactlyInAnyOrder("ea7ca3b1d7", "70c9bc013a", "c28cfc86ce", "13eb7fc337", "caf324c426");
    assertThat(identities()).allMatch(Identity::hasSecret);
  }

  @Test
  void everyPacketOfEveryCaptureAuthenticates() throws IOException {
    List<Path> pcaps;
    try (Stream<Path> s = Files.list(SharedData.capture("pcap"))) {
      pcaps = s.filter(p -> p.toString().endsWith(".pcap")).sorted().toList();
    }
    assertThat(pcaps).hasSize(9);
    int total = 0;
    for (Path pcap : pcaps) {
      List<DecodedPacket> packets = new CaptureDecoder(identities()).decode(PcapReader.read(pcap));
      for (DecodedPacket p : packets) {
        assertThat(p.status()).as("%s %s", pcap.getFileName(), p.toLine())
            .isEqualTo(DecodedPacket.Status.AUTHENTICATED);
      }
      total += packets.size();
      if (pcap.getFileName().toString().contains(".lo.")) {
        assertThat(packets).as(pcap.toString()).isNotEmpty();
      } else {
        assertThat(packets).as("tap captures carry no ZeroTier traffic: " + pcap).isEmpty();
      }
    }
    // 751 datagrams in the five loopback captures: 7 are 4-byte NAT junk, and 4 fragmented packets use 2 each.
    assertThat(total).isEqualTo(740);
  }

  @Test
  void withoutSecretsNothingAuthenticatesAndNothingFails() throws IOException {
    List<Identity> publics = identities().stream().map(Identity::publicOnly).toList();
    List<DecodedPacket> packets = new CaptureDecoder(publics)
        .decode(PcapReader.read(SharedData.capture("pcap/01-run1.lo.pcap")));
    assertThat(packets).isNotEmpty().allMatch(p -> p.status() == DecodedPacket.Status.UNKNOWN_KEY);
  }

  @Test
  void aWrongKeyFailsAuthentication() throws IOException {
    List<UdpDatagram> datagrams = PcapReader.read(SharedData.capture("pcap/01-run1.lo.pcap"));
    List<UdpDatagram> tampered = new ArrayList<>();
    for (UdpDatagram d : datagrams) {
      byte[] b = d.payload();
      if (b.length >= 28) {
        b[b.length - 1] ^= 0x20;
      }
      tampered.add(new UdpDatagram(d.frame(), d.timestampMicros(), d.source(), d.destination(), b));
    }
    List<DecodedPacket> packets = new CaptureDecoder(identities()).decode(tampered);
    assertThat(packets).isNotEmpty().allMatch(p -> p.status() == DecodedPacket.Status.FAILED);
  }

  @ParameterizedTest
  @ValueSource(strings = {"01-run1.lo", "04-run4-libzt-patched.lo", "02-run2.lo", "00-stock-loopback-rejected.lo",
      "03-run3-libzt-stock.lo"})
  void verbsOrderAndPlaintextMatchTheReferenceDecode(String name) throws IOException {
    List<DecodedPacket> packets = new CaptureDecoder(identities())
        .decode(PcapReader.read(SharedData.capture("pcap/" + name + ".pcap")));
    List<JsonNode> reference = new ArrayList<>();
    JsonMapper json = JsonMapper.builder().build();
    for (String line : Files.readAllLines(SharedData.capture("decoded/" + name + ".jsonl"))) {
      JsonNode n = json.readTree(line);
      if (n.has("verb")) {
        reference.add(n);
      }
    }
    assertThat(packets).hasSameSizeAs(reference);
    HexFormat hex = HexFormat.of();
    for (int i = 0; i < packets.size(); i++) {
      DecodedPacket p = packets.get(i);
      JsonNode r = reference.get(i);
      String where = name + " #" + i + " " + p.toLine();
      List<Integer> frames = new ArrayList<>();
      r.get("frames").forEach(f -> frames.add(f.asInt()));
      assertThat(p.frames()).as(where).isEqualTo(frames);
      assertThat(Verb.nameOf(p.verbCode())).as(where).isEqualTo(r.get("verb").asString());
      assertThat(Address.toString(p.source())).as(where).isEqualTo(r.get("zt_src").asString());
      assertThat(Address.toString(p.destination())).as(where).isEqualTo(r.get("zt_dst").asString());
      assertThat(String.format("%016x", p.packetId())).as(where).isEqualTo(r.get("packet_id").asString());
      assertThat(p.hops()).as(where).isEqualTo(r.get("hops").asInt());
      assertThat(p.compressed()).as(where).isEqualTo(r.get("compressed").asBoolean());
      String payload = hex.formatHex(p.payload());
      if (p.verbCode() == Verb.HELLO.code()) {
        // the reference keeps HELLO's moon section encrypted; compare the clear part
        String ref = r.get("plaintext_payload_hex").asString();
        assertThat(payload.length()).as(where).isEqualTo(ref.length());
        assertThat(payload.substring(0, payload.length() - 4)).as(where).isEqualTo(ref.substring(0, ref.length() - 4));
        assertThat(payload).as("moon count decrypts to 0: " + where).endsWith("0000");
      } else {
        assertThat(payload).as(where).isEqualTo(r.get("plaintext_payload_hex").asString());
      }
    }
  }

  @Test
  void run1StartsWithTheDocumentedExchange() throws IOException {
    List<DecodedPacket> packets = new CaptureDecoder(identities())
        .decode(PcapReader.read(SharedData.capture("pcap/01-run1.lo.pcap")));
    assertThat(packets.subList(0, 5)).extracting(DecodedPacket::verbName)
        .containsExactly("HELLO", "OK(HELLO)", "HELLO", "OK(HELLO)", "WHOIS");
    assertThat(packets.subList(0, 4)).extracting(DecodedPacket::cipher).containsExactly(0, 1, 0, 3);
    // frame 63: ERROR(NETWORK_CONFIG_REQUEST) = NETWORK_ACCESS_DENIED
    DecodedPacket denied = packets.stream().filter(p -> p.frames().contains(63)).findFirst().orElseThrow();
    assertThat(denied.verbName()).isEqualTo("ERROR(NETWORK_CONFIG_REQUEST)");
    assertThat(denied.packet()[dev.ztjvm.vl1.Responses.IDX_ERROR_CODE]).isEqualTo((byte) 0x07);
    assertThat(denied.toLine()).contains(" ERROR(NETWORK_CONFIG_REQUEST) NETWORK_ACCESS_DENIED ")
        .endsWith(" authenticated");
  }
}
