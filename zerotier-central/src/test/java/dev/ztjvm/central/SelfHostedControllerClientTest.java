package dev.ztjvm.central;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.TestHttpServer.Request;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberTag;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.Route;
import dev.ztjvm.central.model.V4AssignMode;
import dev.ztjvm.central.model.V6AssignMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.test.StepVerifier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The same client interface against a self-hosted controller's local API, over real HTTP against
 * {@link FakeController} serving the JSON a real zerotier-one 1.14.1 controller returned.
 */
class SelfHostedControllerClientTest {
  private static final String M1 = "c28cfc86ce";
  private static final String M2 = "13eb7fc337";

  private TestHttpServer server;
  private FakeController controller;
  private ZeroTierCentralClient client;
  private final JsonMapper json = JsonMapper.shared();

  @BeforeEach
  void start() throws Exception {
    controller = new FakeController();
    server = TestHttpServer.start(controller);
    client = ZeroTierCentralClient.selfHosted().baseUrl(server.baseUrl()).token(FakeController.AUTH).build();
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void statusFromControllerEndpointWithZt1AuthHeader() {
    StepVerifier.create(client.status())
        .assertNext(s -> {
          assertThat(s.id()).isEqualTo("controller");
          assertThat(s.type()).isEqualTo("ControllerStatus");
          assertThat(s.apiVersion()).isEqualTo("4");
          assertThat(s.clock()).isEqualTo(1795539776721L);
          assertThat(s.user()).isNull();
        })
        .verifyComplete();
    Request r = server.lastRequest();
    assertThat(r.path()).isEqualTo("/controller");
    assertThat(r.header("X-ZT1-Auth")).isEqualTo(FakeController.AUTH);
    assertThat(r.header("Authorization")).isNull();
  }

  @Test
  void wrongTokenIsNotAuthorized() {
    ZeroTierCentralClient wrong = ZeroTierCentralClient.selfHosted().baseUrl(server.baseUrl()).token("nope")
        .build();
    StepVerifier.create(wrong.networks()).expectError(NotAuthorizedException.class).verify();
  }

  @Test
  void networkMapsTheCapturedControllerJson() {
    StepVerifier.create(client.network(FakeController.NETWORK))
        .assertNext(n -> {
          assertThat(n.id()).isEqualTo(FakeController.NETWORK);
          assertThat(n.rulesSource()).isEmpty();
          assertThat(n.ownerId()).isNull();
          NetworkConfig c = n.config();
          assertThat(c.id()).isEqualTo(FakeController.NETWORK);
          assertThat(c.name()).isEqualTo("ztlab-net");
          assertThat(c.creationTime()).isEqualTo(1795539706510L);
          assertThat(c.isPrivate()).isTrue();
          assertThat(c.enableBroadcast()).isTrue();
          assertThat(c.mtu()).isEqualTo(2800);
          assertThat(c.multicastLimit()).isEqualTo(32);
          assertThat(c.ipAssignmentPools())
              .containsExactly(new IpRange("10.147.17.100", "10.147.17.200"));
          assertThat(c.routes()).containsExactly(new Route("10.147.17.0/24", null));
          assertThat(c.rules()).hasSize(1);
          assertThat(c.rules().get(0).get("type").asString()).isEqualTo("ACTION_ACCEPT");
          assertThat(c.dns()).as("controller sends dns: [] when unset").isNull();
          assertThat(c.ssoConfig()).isNull();
          assertThat(c.tags()).isEmpty();
          assertThat(c.capabilities()).isEmpty();
          assertThat(c.v4AssignMode()).isEqualTo(new V4AssignMode(true));
          assertThat(c.v6AssignMode()).isEqualTo(new V6AssignMode(false, false, false));
        })
        .verifyComplete();
    assertThat(server.lastRequest().path()).isEqualTo("/controller/network/" + FakeController.NETWORK);
  }

  @Test
  void networksListFollowsTheIdArray() {
    StepVerifier.create(client.networks().map(Network::name))
        .expectNext("ztlab-net")
        .verifyComplete();
    assertThat(server.requests()).extracting(Request::path)
        .containsExactly("/controller/network", "/controller/network/" + FakeController.NETWORK);
  }

  @Test
  void membersListFollowsTheRevisionMapAndMapsFlatObjects() {
    StepVerifier.create(client.members(FakeController.NETWORK).collectList())
        .assertNext(list -> {
          assertThat(list).extracting(Member::nodeId).containsExactlyInAnyOrder(M1, M2);
          Member m1 = list.stream().filter(m -> m.nodeId().equals(M1)).findFirst().orElseThrow();
          assertThat(m1.id()).isEqualTo(FakeController.NETWORK + "-" + M1);
          assertThat(m1.networkId()).isEqualTo(FakeController.NETWORK);
          assertThat(m1.controllerId()).isEqualTo(FakeController.CONTROLLER);
          assertThat(m1.name()).isEqualTo("m1");
          assertThat(m1.isAuthorized()).isTrue();
          assertThat(m1.clientVersion()).isEqualTo("1.14.1");
          assertThat(m1.protocolVersion()).isEqualTo(12);
          assertThat(m1.supportsRulesEngine()).isTrue();
          assertThat(m1.lastSeen()).isNull();
          assertThat(m1.config().id()).isEqualTo(M1);
          assertThat(m1.config().ipAssignments()).containsExactly("10.147.17.11");
          assertThat(m1.config().identity()).startsWith(M1 + ":0:");
          assertThat(m1.config().revision()).isEqualTo(3L);
          assertThat(m1.config().creationTime()).isEqualTo(1795539728596L);
          assertThat(m1.config().lastAuthorizedTime()).isEqualTo(1795539742961L);
          assertThat(m1.config().noAutoAssignIps()).isFalse();
          assertThat(m1.config().activeBridge()).isFalse();
          assertThat(m1.config().vMajor()).isEqualTo(1);
          assertThat(m1.config().vMinor()).isEqualTo(14);
        })
        .verifyComplete();
    assertThat(server.requests()).extracting(Request::path).containsExactlyInAnyOrder(
        "/controller/network/" + FakeController.NETWORK + "/member",
        "/controller/network/" + FakeController.NETWORK + "/member/" + M1,
        "/controller/network/" + FakeController.NETWORK + "/member/" + M2);
  }

  @Test
  void memberUpdatesAreSentFlat() throws Exception {
    StepVerifier.create(client.deauthorizeMember(FakeController.NETWORK, M2))
        .assertNext(m -> {
          assertThat(m.isAuthorized()).isFalse();
          assertThat(m.config().revision()).isEqualTo(4L);
        })
        .verifyComplete();
    Request r = server.lastRequest();
    assertThat(r.method()).isEqualTo("POST");
    assertThat(r.path()).isEqualTo("/controller/network/" + FakeController.NETWORK + "/member/" + M2);
    assertThat(r.header("Content-Type")).startsWith("application/json");
    assertThat(json.readTree(r.body())).isEqualTo(json.readTree("{\"authorized\":false}"));

    StepVerifier.create(client.updateMember(FakeController.NETWORK, M2, MemberUpdate.authorize()
        .withName("worker").withIpAssignments(List.of("10.147.17.50"))
        .withTags(List.of(new MemberTag(7, 3))).withDescription("Central only")))
        .assertNext(m -> {
          assertThat(m.isAuthorized()).isTrue();
          assertThat(m.name()).isEqualTo("worker");
          assertThat(m.config().ipAssignments()).containsExactly("10.147.17.50");
          assertThat(m.config().tags()).containsExactly(new MemberTag(7, 3));
        })
        .verifyComplete();
    assertThat(json.readTree(server.lastRequest().body())).isEqualTo(json.readTree(
        "{\"name\":\"worker\",\"authorized\":true,\"ipAssignments\":[\"10.147.17.50\"],\"tags\":[[7,3]]}"));
  }

  @Test
  void preAuthorizeUnknownNodeThenDelete() {
    String node = "70c9bc013a";
    StepVerifier.create(client.authorizeMember(FakeController.NETWORK, node))
        .assertNext(m -> {
          assertThat(m.nodeId()).isEqualTo(node);
          assertThat(m.isAuthorized()).isTrue();
          assertThat(m.clientVersion()).as("vMajor -1: never seen").isNull();
          assertThat(m.protocolVersion()).isNull();
        })
        .verifyComplete();
    StepVerifier.create(client.members(FakeController.NETWORK).map(Member::nodeId).collectList())
        .assertNext(ids -> assertThat(ids).contains(node))
        .verifyComplete();
    StepVerifier.create(client.deleteMember(FakeController.NETWORK, node)).verifyComplete();
    assertThat(server.lastRequest().method()).isEqualTo("DELETE");
    StepVerifier.create(client.member(FakeController.NETWORK, node)).expectError(NotFoundException.class).verify();
  }

  @Test
  void createNetworkPostsToNodeIdWithUnderscoresAfterReadingStatus() throws Exception {
    NetworkConfig config = NetworkConfig.builder().name("created").isPrivate(false).mtu(1400)
        .ipAssignmentPools(List.of(new IpRange("10.20.0.1", "10.20.0.99")))
        .routes(List.of(new Route("10.20.0.0/24", null))).build();
    StepVerifier.create(client.createNetwork(NetworkUpdate.of(config).withDescription("dropped")))
        .assertNext(n -> {
          assertThat(n.id()).startsWith(FakeController.CONTROLLER).hasSize(16)
              .isNotEqualTo(FakeController.NETWORK);
          assertThat(n.config().name()).isEqualTo("created");
          assertThat(n.config().isPrivate()).isFalse();
          assertThat(n.config().mtu()).isEqualTo(1400);
        })
        .verifyComplete();
    List<Request> requests = server.requests();
    assertThat(requests).extracting(Request::path)
        .containsExactly("/status", "/controller/network/" + FakeController.CONTROLLER + "______");
    JsonNode body = json.readTree(server.lastRequest().body());
    assertThat(body).isEqualTo(json.readTree("""
        {"name":"created","private":false,"mtu":1400,
         "ipAssignmentPools":[{"ipRangeStart":"10.20.0.1","ipRangeEnd":"10.20.0.99"}],
         "routes":[{"target":"10.20.0.0/24"}]}"""));
    StepVerifier.create(client.networks().count()).expectNext(2L).verifyComplete();
  }

  @Test
  void createNetworkWithConfiguredNodeIdSkipsStatus(@TempDir Path dir) throws Exception {
    Path tokenFile = dir.resolve("authtoken.secret");
    Files.writeString(tokenFile, FakeController.AUTH + "\n");
    ZeroTierCentralClient c = ZeroTierCentralClient.selfHosted().baseUrl(server.baseUrl() + "/")
        .tokenFile(tokenFile).controllerNodeId(FakeController.CONTROLLER).build();
    StepVerifier.create(c.createNetwork(NetworkUpdate.empty())).expectNextCount(1).verifyComplete();
    assertThat(server.requests()).extracting(Request::path)
        .containsExactly("/controller/network/" + FakeController.CONTROLLER + "______");
    assertThat(server.lastRequest().body()).isEqualTo("{}");
  }

  @Test
  void updateAndDeleteNetwork() throws Exception {
    StepVerifier.create(client.updateNetwork(FakeController.NETWORK,
        NetworkUpdate.of(NetworkConfig.builder().multicastLimit(16).enableBroadcast(false).build())))
        .assertNext(n -> {
          assertThat(n.config().multicastLimit()).isEqualTo(16);
          assertThat(n.config().enableBroadcast()).isFalse();
          assertThat(n.config().name()).isEqualTo("ztlab-net");
        })
        .verifyComplete();
    assertThat(json.readTree(server.lastRequest().body()))
        .isEqualTo(json.readTree("{\"enableBroadcast\":false,\"multicastLimit\":16}"));
    StepVerifier.create(client.deleteNetwork(FakeController.NETWORK)).verifyComplete();
    StepVerifier.create(client.network(FakeController.NETWORK)).expectError(NotFoundException.class).verify();
    StepVerifier.create(client.networks()).verifyComplete();
  }

  @Test
  void centralOnlyOperations() {
    StepVerifier.create(client.user("me")).expectError(UnsupportedOperationException.class).verify();
    StepVerifier.create(client.deleteApiToken("me", "x")).expectError(UnsupportedOperationException.class)
        .verify();
    StepVerifier.create(client.randomToken())
        .assertNext(t -> {
          assertThat(t.token()).hasSize(32).matches("[A-Za-z0-9]{32}");
          assertThat(t.hex()).hasSize(64).matches("[0-9a-f]{64}");
        })
        .verifyComplete();
    String a = client.randomToken().block().token();
    String b = client.randomToken().block().token();
    assertThat(a).isNotEqualTo(b);
  }

  @Test
  void blockingFacadeOverSelfHosted() {
    BlockingZeroTierCentralClient blocking = client.blocking();
    assertThat(blocking.members(FakeController.NETWORK)).hasSize(2);
    assertThat(blocking.renameMember(FakeController.NETWORK, M1, "renamed").name()).isEqualTo("renamed");
    assertThat(blocking.member(FakeController.NETWORK, M1).name()).isEqualTo("renamed");
  }
}
