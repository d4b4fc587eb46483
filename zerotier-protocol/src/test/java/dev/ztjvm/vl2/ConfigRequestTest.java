package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.testing.SharedData;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ConfigRequestTest {

  @Test
  void capturedRequestsParseAndOurDefaultsReproduceThemByteForByte() {
    List<JsonNode> reqs = Vl2TestData.capturedPackets("01-run1.lo.jsonl", "NETWORK_CONFIG_REQUEST");
    assertThat(reqs).isNotEmpty();
    for (JsonNode r : reqs) {
      byte[] payload = SharedData.hex(r.get("plaintext_payload_hex").asString());
      ConfigRequest req = ConfigRequest.parse(payload, 0, payload.length);
      assertThat(req.networkId()).isEqualTo(0xea7ca3b1d7000001L);
      assertThat(req.metadata()).isEqualTo(ConfigRequest.Metadata.defaults("linux/x86_64"));
      assertThat(req.haveRevision()).isZero();
      ConfigRequest ours = new ConfigRequest(0xea7ca3b1d7000001L, ConfigRequest.Metadata.defaults("linux/x86_64"),
          0, 0);
      assertThat(SharedData.hex(ours.toBytes())).isEqualTo(SharedData.hex(payload));
    }
  }

  @Test
  void authTokenAndUnknownKeys() {
    Dictionary extra = new Dictionary().putString("custom", "x");
    ConfigRequest.Metadata md = ConfigRequest.Metadata.defaults("jvm/any").withAuthToken("s3cret");
    md = new ConfigRequest.Metadata(md.configVersion(), md.vendor(), md.protocolVersion(), md.majorVersion(),
        md.minorVersion(), md.revision(), md.maxRules(), md.maxCapabilities(), md.maxCapabilityRules(), md.maxTags(),
        md.flags(), md.rulesEngineRevision(), md.osArch(), md.authToken(), extra);
    ConfigRequest r = new ConfigRequest(1, md, 5, 6);
    ConfigRequest back = ConfigRequest.parse(r.toBytes(), 0, r.toBytes().length);
    assertThat(back).isEqualTo(r);
    assertThat(back.metadata().toDictionary().getString("a")).contains("token:s3cret");
    assertThat(back.metadata().extra().getString("custom")).contains("x");
    byte[] shortForm = new WireWriter().u64(1).u16(3).bytes("v=7".getBytes()).toByteArray();
    assertThat(ConfigRequest.parse(shortForm, 0, shortForm.length).metadata().configVersion()).isEqualTo(7);
    byte[] huge = new WireWriter().u64(1).u16(2000).zeros(2000).toByteArray();
    assertThatThrownBy(() -> ConfigRequest.parse(huge, 0, huge.length)).isInstanceOf(WireFormatException.class);
  }
}
