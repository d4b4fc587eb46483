package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A self-hosted application with both endpoints exposed but no access granted: /actuator/zerotier reads work, its
 * join/leave are refused, the zerotiercentral admin endpoint does not exist, and the controller API token appears
 * neither in the log nor in the endpoint.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.self-hosted.enabled=true",
    "zerotier.port=0",
    "zerotier.bind-addresses=127.0.0.1",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true",
    "management.endpoints.web.exposure.include=health,zerotier,zerotiercentral"
})
@ExtendWith(OutputCaptureExtension.class)
class AdminEndpointsRefusedByDefaultSpringBootTest {

  @SpringBootApplication
  static class App {}

  @LocalServerPort int port;
  @Autowired SelfHostedJoinDetails details;
  @Autowired ZeroTierNode node;

  @Test
  void writesAndCentralAdminAreRefusedAndTheTokenIsNeverShown(CapturedOutput output) throws Exception {
    AdminEndpointsSupport http = new AdminEndpointsSupport(port);
    long nwid = Long.parseUnsignedLong(details.networkId(), 16);

    AdminEndpointsSupport.Reply read = http.get("/actuator/zerotier");
    assertThat(read.status()).isEqualTo(200);
    // Details are off for an anonymous caller by default: no paths, events or local file paths over HTTP.
    assertThat(read.json().path("details").asBoolean()).isFalse();
    assertThat(read.json().path("selfHosted").isNull() || read.json().path("selfHosted").isMissingNode()).isTrue();
    assertThat(read.json().path("recentEvents").isEmpty()).isTrue();
    assertThat(read.json().path("peers").isEmpty()).isFalse();
    read.json().path("peers").forEach(peer -> assertThat(peer.path("paths").isEmpty()).isTrue());
    assertThat(read.body()).doesNotContain(details.planetFile()).doesNotContain("127.0.0.1/");

    assertThat(http.post("/actuator/zerotier/8056c2e21c000099", null).status()).isBetween(400, 499);
    assertThat(node.network(0x8056c2e21c000099L)).isNull();
    assertThat(http.delete("/actuator/zerotier/" + details.networkId()).status()).isBetween(400, 499);
    assertThat(node.network(nwid)).isNotNull();

    assertThat(http.get("/actuator/zerotiercentral").status()).isEqualTo(404);
    assertThat(http.post("/actuator/zerotiercentral/" + details.networkId() + "/0123456789",
        Map.of("authorized", true)).status()).isBetween(400, 499);

    String token = Files.readString(Path.of(details.tokenFile())).strip();
    assertThat(token).hasSizeGreaterThanOrEqualTo(16);
    assertThat(read.body()).doesNotContain(token);
    assertThat(output.getAll()).contains(details.networkId()).doesNotContain(token);
  }
}
