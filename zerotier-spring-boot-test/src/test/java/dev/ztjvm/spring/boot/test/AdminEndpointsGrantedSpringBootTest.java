package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import tools.jackson.databind.JsonNode;

/**
 * A self-hosted application that grants access: join/leave through /actuator/zerotier work, and the zerotiercentral
 * endpoint lists the network and authorizes a waiting second node (which then comes up) through our controller's
 * Central-compatible API, over real HTTP; the token stays out of the log.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.self-hosted.enabled=true",
    "zerotier.port=0",
    "zerotier.bind-addresses=127.0.0.1",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true",
    "management.endpoints.web.exposure.include=health,zerotier,zerotiercentral",
    "management.endpoint.zerotier.access=unrestricted",
    "management.endpoint.zerotiercentral.access=unrestricted"
})
@ExtendWith(OutputCaptureExtension.class)
class AdminEndpointsGrantedSpringBootTest {

  @SpringBootApplication
  static class App {}

  @LocalServerPort int port;
  @Autowired SelfHostedJoinDetails details;
  @Autowired SelfHostedZeroTier selfHosted;
  @Autowired ZeroTierNode node;

  @Test
  void joinLeaveAndCentralAdministrationWork(CapturedOutput output) throws Exception {
    AdminEndpointsSupport http = new AdminEndpointsSupport(port);
    String nwid = details.networkId();
    String appNode = node.nodeIdString();

    // /actuator/zerotier writes: join another network, then leave it.
    AdminEndpointsSupport.Reply joined = http.post("/actuator/zerotier/8056c2e21c000099", null);
    assertThat(joined.status()).isEqualTo(200);
    assertThat(joined.json().path("id").asString()).isEqualTo("8056c2e21c000099");
    assertThat(node.network(0x8056c2e21c000099L)).isNotNull();
    assertThat(http.delete("/actuator/zerotier/8056c2e21c000099").status()).isBetween(200, 204);
    assertThat(node.network(0x8056c2e21c000099L)).isNull();

    // Central admin: the self-hosted network and the app's own authorized member.
    AdminEndpointsSupport.Reply networks = http.get("/actuator/zerotiercentral");
    assertThat(networks.status()).isEqualTo(200);
    assertThat(networks.json().findValuesAsString("id")).containsExactly(nwid);
    AdminEndpointsSupport.Reply self = http.get("/actuator/zerotiercentral/" + nwid + "/" + appNode);
    assertThat(self.json().path("authorized").asBoolean()).isTrue();
    assertThat(http.get("/actuator/zerotiercentral/" + nwid + "/0000000001").status()).isEqualTo(404);
    assertThat(http.get("/actuator/zerotiercentral/not-a-network").status()).isEqualTo(400);
    // A bad selector of /actuator/zerotier is the caller's error: 400 with the reason, no stack trace in the log.
    assertThat(http.get("/actuator/zerotier/not-a-network").status()).isEqualTo(400);
    assertThat(output.getAll()).doesNotContain("network ID must be sixteen hex digits: not-a-network\n\tat")
        .doesNotContain("IllegalArgumentException: network ID");

    // A second node waits for authorization; the endpoint authorizes it and it comes up.
    try (ZeroTierNode second = selfHosted.localZeroTier().nodeBuilder().build()) {
      second.start();
      second.join(selfHosted.networkId());
      AdminEndpointsSupport.Reply authorized = http.post("/actuator/zerotiercentral/" + nwid + "/"
          + second.nodeIdString(), Map.of("authorized", true));
      assertThat(authorized.status()).isEqualTo(200);
      assertThat(authorized.json().path("authorized").asBoolean()).isTrue();
      assertThat(second.awaitNetworkReady(selfHosted.networkId(), Duration.ofSeconds(60)).addresses()).isNotEmpty();

      JsonNode members = http.get("/actuator/zerotiercentral/" + nwid).json().path("members");
      assertThat(members.findValuesAsString("nodeId")).contains(appNode, second.nodeIdString());

      AdminEndpointsSupport.Reply deauthorized = http.post("/actuator/zerotiercentral/" + nwid + "/"
          + second.nodeIdString(), Map.of("authorized", false));
      assertThat(deauthorized.json().path("authorized").asBoolean()).isFalse();
    }

    String token = Files.readString(Path.of(details.tokenFile())).strip();
    assertThat(output.getAll()).doesNotContain(token);
  }
}
