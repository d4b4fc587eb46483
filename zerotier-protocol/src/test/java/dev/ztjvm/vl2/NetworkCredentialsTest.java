package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class NetworkCredentialsTest {

  @Test
  void capturedCredentialsParseVerifyAndReserialise() {
    Identity controller = Vl2TestData.capturedIdentity("controller", false);
    List<JsonNode> pkts = Vl2TestData.capturedPackets("01-run1.lo.jsonl", "NETWORK_CREDENTIALS");
    assertThat(pkts).isNotEmpty();
    for (JsonNode p : pkts) {
      byte[] payload = SharedData.hex(p.get("plaintext_payload_hex").asString());
      NetworkCredentials nc = NetworkCredentials.parse(payload, 0, payload.length);
      long sender = Long.parseLong(p.get("zt_src").asString(), 16);
      assertThat(nc.coms()).hasSize(1);
      assertThat(nc.coms().get(0).verify(controller)).isTrue();
      assertThat(nc.coms().get(0).issuedTo()).isEqualTo(sender);
      assertThat(nc.certificatesOfOwnership()).hasSize(1);
      assertThat(nc.certificatesOfOwnership().get(0).verify(controller)).isTrue();
      assertThat(nc.capabilities()).isEmpty();
      assertThat(nc.tags()).isEmpty();
      assertThat(nc.revocations()).isEmpty();
      assertThat(nc.toBytes()).isEqualTo(payload);
    }
  }

  @Test
  void oldSendersMayStopAfterTheComsAndGarbageIsRejected() {
    Identity a = Vl2TestData.vectorIdentity("A");
    Identity b = Vl2TestData.vectorIdentity("B");
    CertificateOfMembership com = CertificateOfMembership.issue(0x4f3f5c640a000001L, 1, 2, b).sign(a);
    byte[] onlyCom = new WireWriter().bytes(com.toBytes()).u8(0).toByteArray();
    assertThat(NetworkCredentials.parse(onlyCom, 0, onlyCom.length).coms()).containsExactly(com);
    byte[] noTerminator = com.toBytes();
    assertThat(NetworkCredentials.parse(noTerminator, 0, noTerminator.length).coms()).containsExactly(com);
    Revocation r = Revocation.of(1, 0x4f3f5c640a000001L, 0, 5, 1, b.address(), Revocation.CREDENTIAL_COM).sign(a);
    NetworkCredentials all = new NetworkCredentials(List.of(com), List.of(), List.of(), List.of(r), List.of());
    byte[] bytes = all.toBytes();
    assertThat(NetworkCredentials.parse(bytes, 0, bytes.length)).isEqualTo(all);
    byte[] bad = new byte[] {0x02};
    assertThatThrownBy(() -> NetworkCredentials.parse(bad, 0, 1)).isInstanceOf(WireFormatException.class);
    byte[] lyingCount = new WireWriter().u8(0).u16(5).toByteArray();
    assertThatThrownBy(() -> NetworkCredentials.parse(lyingCount, 0, lyingCount.length))
        .isInstanceOf(WireFormatException.class);
  }

  @Test
  void subscriptionGroups() {
    List<MulticastGroup> g = MulticastGroup.subscriptionsFor(List.of(IpPrefix.parse("10.147.17.11/24"),
        IpPrefix.parse("fd80:56c2:e21c:0:199:9389:e92c:eee5/88")), true);
    assertThat(g).containsExactly(MulticastGroup.forArpTarget(0x0a93110b), new MulticastGroup(0x3333ff2ceee5L, 0),
        MulticastGroup.BROADCAST);
    assertThat(MulticastGroup.subscriptionsFor(List.of(IpPrefix.parse("10.0.0.1/8")), false))
        .containsExactly(MulticastGroup.forArpTarget(0x0a000001));
  }
}
