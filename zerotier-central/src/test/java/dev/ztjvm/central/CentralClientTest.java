package dev.ztjvm.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.central.TestHttpServer.Request;
import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberTag;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.Route;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.web.reactive.function.client.ClientRequest;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Every Central v1 operation over real HTTP against {@link FakeCentral}: paths, methods, headers, bodies, mapping. */
class CentralClientTest {
  private TestHttpServer server;
  private ZeroTierCentralClient client;
  private final JsonMapper json = JsonMapper.shared();

  @BeforeEach
  void start() throws Exception {
    server = TestHttpServer.start(new FakeCentral());
    client = ZeroTierCentralClient.central().baseUrl(server.baseUrl() + "/api/v1").token(FakeCentral.TOKEN)
        .build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void sendsTokenHeaderAndJsonAccept() {
    StepVerifier.create(client.status())
        .assertNext(s -> {
          assertThat(s.id()).isEqualTo("central_status");
          assertThat(s.user().displayName()).isEqualTo("Joe User");
        })
        .verifyComplete();
    Request r = server.lastRequest();
    assertThat(r.method()).isEqualTo("GET");
    assertThat(r.path()).isEqualTo("/api/v1/status");
    assertThat(r.header("Authorization")).isEqualTo("token " + FakeCentral.TOKEN);
    assertThat(r.header("Accept")).contains("application/json");
  }

  @Test
  void listsAndGetsNetworks() {
    StepVerifier.create(client.networks().map(Network::id))
        .expectNext(FakeCentral.NETWORK)
        .verifyComplete();
    StepVerifier.create(client.network(FakeCentral.NETWORK))
        .assertNext(n -> {
          assertThat(n.config().name()).isEqualTo("My ZeroTier Network");
          assertThat(n.totalMemberCount()).isEqualTo(250);
        })
        .verifyComplete();
    assertThat(server.lastRequest().path()).isEqualTo("/api/v1/network/" + FakeCentral.NETWORK);
  }

  @Test
  void createsNetworkWithInitialConfig() throws Exception {
    NetworkConfig config = NetworkConfig.builder().name("lab").isPrivate(true)
        .ipAssignmentPools(List.of(new IpRange("10.9.0.10", "10.9.0.250")))
        .routes(List.of(new Route("10.9.0.0/24", null))).build();
    StepVerifier.create(client.createNetwork(NetworkUpdate.of(config)))
        .assertNext(n -> {
          assertThat(n.id()).isEqualTo("8056c2e21c000002");
          assertThat(n.config().name()).isEqualTo("lab");
          assertThat(n.config().ipAssignmentPools()).containsExactly(new IpRange("10.9.0.10", "10.9.0.250"));
        })
        .verifyComplete();
    Request r = server.lastRequest();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/api/v1/network");
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(json.readTree(r.body())).isEqualTo(json.readTree("""
        {"config":{"name":"lab","private":true,
         "ipAssignmentPools":[{"ipRangeStart":"10.9.0.10","ipRangeEnd":"10.9.0.250"}],
         "routes":[{"target":"10.9.0.0/24"}]}}"""));
  }

  @Test
  void updatesAndDeletesNetwork() throws Exception {
    StepVerifier.create(client.updateNetwork(FakeCentral.NETWORK,
        NetworkUpdate.of(NetworkConfig.builder().multicastLimit(64).build()).withRulesSource("drop;")))
        .assertNext(n -> {
          assertThat(n.config().multicastLimit()).isEqualTo(64);
          assertThat(n.rulesSource()).isEqualTo("drop;");
          assertThat(n.config().name()).isEqualTo("My ZeroTier Network");
        })
        .verifyComplete();
    assertThat(json.readTree(server.lastRequest().body()))
        .isEqualTo(json.readTree("{\"rulesSource\":\"drop;\",\"config\":{\"multicastLimit\":64}}"));
    StepVerifier.create(client.deleteNetwork(FakeCentral.NETWORK)).verifyComplete();
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    StepVerifier.create(client.network(FakeCentral.NETWORK)).expectError(NotFoundException.class).verify();
  }

  @Test
  void membersAuthorizeDeauthorizeRenameAssignTagDelete() throws Exception {
    StepVerifier.create(client.members(FakeCentral.NETWORK).map(Member::nodeId))
        .expectNext(FakeCentral.MEMBER).verifyComplete();
    StepVerifier.create(client.member(FakeCentral.NETWORK, FakeCentral.MEMBER))
        .assertNext(m -> assertThat(m.config().ipAssignments()).containsExactly("10.0.0.3"))
        .verifyComplete();

    StepVerifier.create(client.deauthorizeMember(FakeCentral.NETWORK, FakeCentral.MEMBER))
        .assertNext(m -> assertThat(m.isAuthorized()).isFalse()).verifyComplete();
    assertThat(server.lastRequest().path())
        .isEqualTo("/api/v1/network/" + FakeCentral.NETWORK + "/member/" + FakeCentral.MEMBER);
    assertThat(json.readTree(server.lastRequest().body()))
        .isEqualTo(json.readTree("{\"config\":{\"authorized\":false}}"));

    StepVerifier.create(client.authorizeMember(FakeCentral.NETWORK, FakeCentral.MEMBER))
        .assertNext(m -> assertThat(m.isAuthorized()).isTrue()).verifyComplete();
    assertThat(json.readTree(server.lastRequest().body()))
        .isEqualTo(json.readTree("{\"config\":{\"authorized\":true}}"));

    StepVerifier.create(client.renameMember(FakeCentral.NETWORK, FakeCentral.MEMBER, "build-agent-7"))
        .assertNext(m -> assertThat(m.name()).isEqualTo("build-agent-7")).verifyComplete();
    assertThat(json.readTree(server.lastRequest().body())).isEqualTo(json.readTree("{\"name\":\"build-agent-7\"}"));

    StepVerifier.create(client.assignMemberIps(FakeCentral.NETWORK, FakeCentral.MEMBER, List.of("10.0.0.77")))
        .assertNext(m -> assertThat(m.config().ipAssignments()).containsExactly("10.0.0.77")).verifyComplete();
    assertThat(json.readTree(server.lastRequest().body()))
        .isEqualTo(json.readTree("{\"config\":{\"ipAssignments\":[\"10.0.0.77\"]}}"));

    StepVerifier.create(client.setMemberTags(FakeCentral.NETWORK, FakeCentral.MEMBER,
        List.of(new MemberTag(1000, 1), new MemberTag(1001, 42))))
        .assertNext(m -> assertThat(m.config().tags())
            .containsExactly(new MemberTag(1000, 1), new MemberTag(1001, 42)))
        .verifyComplete();
    assertThat(json.readTree(server.lastRequest().body()))
        .isEqualTo(json.readTree("{\"config\":{\"tags\":[[1000,1],[1001,42]]}}"));

    StepVerifier.create(client.deleteMember(FakeCentral.NETWORK, FakeCentral.MEMBER)).verifyComplete();
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    StepVerifier.create(client.member(FakeCentral.NETWORK, FakeCentral.MEMBER))
        .expectError(NotFoundException.class).verify();
  }

  @Test
  void userTokensAndRandomToken() throws Exception {
    StepVerifier.create(client.user(FakeCentral.USER))
        .assertNext(u -> assertThat(u.email()).isEqualTo("user@example.com")).verifyComplete();
    String secret = "k3Y-0123456789abcdef0123456789abcdef";
    StepVerifier.create(client.addApiToken(FakeCentral.USER, new ApiToken("ci", secret)))
        .assertNext(t -> {
          assertThat(t.tokenName()).isEqualTo("ci");
          assertThat(t.token()).isNull();
        })
        .verifyComplete();
    JsonNode body = json.readTree(server.lastRequest().body());
    assertThat(body.get("tokenName").asString()).isEqualTo("ci");
    assertThat(body.get("token").asString()).isEqualTo(secret);
    StepVerifier.create(client.deleteApiToken(FakeCentral.USER, "ci")).verifyComplete();
    assertThat(server.lastRequest().path()).isEqualTo("/api/v1/user/" + FakeCentral.USER + "/token/ci");
    StepVerifier.create(client.randomToken())
        .assertNext(t -> assertThat(t.token()).isEqualTo("wwrb66uUh18Fqc38rd8jMd5RFJzRsCn4"))
        .verifyComplete();
    assertThatThrownBy(() -> client.addApiToken(FakeCentral.USER, new ApiToken("short", "abc")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void blockingFacade() {
    BlockingZeroTierCentralClient blocking = client.blocking();
    assertThat(blocking.networks()).extracting(Network::id).containsExactly(FakeCentral.NETWORK);
    assertThat(blocking.authorizeMember(FakeCentral.NETWORK, FakeCentral.MEMBER).isAuthorized()).isTrue();
    assertThat(blocking.members(FakeCentral.NETWORK)).hasSize(1);
    blocking.deleteNetwork(FakeCentral.NETWORK);
    assertThatThrownBy(() -> blocking.network(FakeCentral.NETWORK)).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("GET /network/" + FakeCentral.NETWORK);
  }

  @Test
  void usesACallerSuppliedWebClientBuilder() {
    WebClient.Builder custom = WebClient.builder()
        .filter((request, next) -> next.exchange(ClientRequest.from(request)
            .header("X-Trace", "from-custom-builder").build()));
    ZeroTierCentralClient viaCustom = ZeroTierCentralClient.central().baseUrl(server.baseUrl() + "/api/v1")
        .token(FakeCentral.TOKEN).webClientBuilder(custom).build();
    StepVerifier.create(viaCustom.status()).expectNextCount(1).verifyComplete();
    assertThat(server.lastRequest().header("X-Trace")).isEqualTo("from-custom-builder");
    assertThat(server.lastRequest().header("Authorization")).isEqualTo("token " + FakeCentral.TOKEN);
  }

  @Test
  void builderValidatesInput() {
    assertThatThrownBy(() -> ZeroTierCentralClient.central().build()).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("token");
    assertThatThrownBy(() -> ZeroTierCentralClient.central().baseUrl("ftp://x")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ZeroTierCentralClient.central().token(" ")).isInstanceOf(
        IllegalArgumentException.class);
    assertThatThrownBy(() -> ZeroTierCentralClient.selfHosted().controllerNodeId("xyz")).isInstanceOf(
        IllegalArgumentException.class);
  }

  @Test
  void rejectsMalformedIdsBeforeSending() {
    assertThatThrownBy(() -> client.network("../user/x")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> client.member(FakeCentral.NETWORK, "zz")).isInstanceOf(IllegalArgumentException.class);
    assertThat(server.requests()).isEmpty();
  }
}
