package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.ConfigChunk;
import dev.ztjvm.vl2.NetworkConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Our controller, given the network and member records zerotier-one 1.14.1's controller held during capture run 1,
 * issues the same config that 1.14.1 sent to member1 (captured NETWORK_CONFIG), except for timestamps and signatures.
 */
class ControllerMatchesZerotierOneTest {

  private static final long NWID = 0xea7ca3b1d7000001L;

  @TempDir Path tmp;

  private static NetworkConfig capturedConfigFor(String memberHex) throws Exception {
    JsonMapper mapper = JsonMapper.builder().build();
    for (String line : Files.readAllLines(SharedData.capture("decoded/01-run1.lo.jsonl"))) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode n = mapper.readTree(line);
      if (n.has("verb") && n.get("verb").asString().equals("NETWORK_CONFIG")
          && n.get("zt_dst").asString().equals(memberHex)) {
        byte[] payload = SharedData.hex(n.get("plaintext_payload_hex").asString());
        return NetworkConfig.parse(ConfigChunk.parse(payload, 0, payload.length).data());
      }
    }
    throw new AssertionError("no captured NETWORK_CONFIG for " + memberHex);
  }

  /** Everything but the issue time and the signed credentials (which embed it). */
  private static NetworkConfig comparable(NetworkConfig c) {
    return c.toBuilder().timestamp(0).com(null).certificatesOfOwnership(List.of()).build();
  }

  @Test
  void issuesTheConfigZerotierOneIssuedForTheSameRecords() throws Exception {
    Path snap = SharedData.capture("controller/api-snapshot-run1");
    Path db = tmp.resolve("controller.d");
    Path net = db.resolve("network");
    Files.createDirectories(net.resolve("ea7ca3b1d7000001/member"));
    Files.copy(snap.resolve("controller_network_ea7ca3b1d7000001.json"), net.resolve("ea7ca3b1d7000001.json"));
    Files.copy(snap.resolve("controller_network_ea7ca3b1d7000001_member_c28cfc86ce.json"),
        net.resolve("ea7ca3b1d7000001/member/c28cfc86ce.json"));
    NetworkConfig theirs = capturedConfigFor("c28cfc86ce");

    try (Vl2Lab lab = new Vl2Lab()) {
      NetworkController controller = lab.startController(db);
      Vl2Lab.Member m1 = lab.startMember("member1", "m1");
      m1.manager.join(NWID);
      await("member1 configured", () -> m1.info(NWID).status() == NetworkStatus.OK);
      NetworkConfig ours = m1.manager.config(NWID);

      assertThat(comparable(ours)).isEqualTo(comparable(theirs));
      assertThat(comparable(ours).toBytes()).isEqualTo(comparable(theirs).toBytes());
      assertThat(ours.credentialTimeMaxDelta()).isEqualTo(theirs.credentialTimeMaxDelta());
      // same COM qualifiers apart from the timestamp value
      CertificateOfMembership a = ours.com();
      CertificateOfMembership b = theirs.com();
      assertThat(a.qualifiers()).hasSameSizeAs(b.qualifiers());
      for (int i = 0; i < a.qualifiers().size(); i++) {
        var qa = a.qualifiers().get(i);
        var qb = b.qualifiers().get(i);
        assertThat(qa.id()).isEqualTo(qb.id());
        assertThat(qa.maxDelta()).isEqualTo(qb.maxDelta());
        if (qa.id() != CertificateOfMembership.QUALIFIER_TIMESTAMP) {
          assertThat(qa.value()).isEqualTo(qb.value());
        }
      }
      assertThat(a.signedBy()).isEqualTo(b.signedBy());
      // same certificate of ownership content (things, id, flags, holder)
      assertThat(ours.certificatesOfOwnership()).hasSize(theirs.certificatesOfOwnership().size());
      for (int i = 0; i < ours.certificatesOfOwnership().size(); i++) {
        var x = ours.certificatesOfOwnership().get(i);
        var y = theirs.certificatesOfOwnership().get(i);
        assertThat(x.things()).isEqualTo(y.things());
        assertThat(x.id()).isEqualTo(y.id());
        assertThat(x.flags()).isEqualTo(y.flags());
        assertThat(x.issuedTo()).isEqualTo(y.issuedTo());
      }
      assertThat(controller.configsSent()).isPositive();
    }
  }
}
