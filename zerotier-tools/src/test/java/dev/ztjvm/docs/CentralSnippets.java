package dev.ztjvm.docs;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberTag;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.Route;
import dev.ztjvm.central.model.V4AssignMode;
import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.sockets.LocalZeroTier;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.web.reactive.function.client.WebClient;

/** The Java code shown in {@code docs/central.md}. */
final class CentralSnippets {

  private CentralSnippets() {}

  static void central(String userId) {
    // region central
    ZeroTierCentralClient central = ZeroTierCentralClient.central()   // https://api.zerotier.com/api/v1
            .token(System.getenv("ZT_CENTRAL_TOKEN"))                 // sent as "Authorization: token ..."
            .build();

    // reactive
    central.networks()
           .filter(n -> "lab".equals(n.name()))
           .flatMap(n -> central.members(n.id()))
           .filter(m -> !m.isAuthorized())
           .flatMap(m -> central.authorizeMember(m.networkId(), m.nodeId()))
           .subscribe(m -> System.out.println("authorized " + m.nodeId()));

    // blocking
    BlockingZeroTierCentralClient api = central.blocking();
    Network net = api.createNetwork(NetworkUpdate.of(NetworkConfig.builder()
            .name("lab").isPrivate(true)
            .ipAssignmentPools(List.of(new IpRange("10.147.20.10", "10.147.20.250")))
            .routes(List.of(new Route("10.147.20.0/24", null)))
            .v4AssignMode(new V4AssignMode(true))
            .build()));
    api.updateMember(net.id(), "c28cfc86ce", MemberUpdate.authorize()
            .withName("build-agent-7")
            .withIpAssignments(List.of("10.147.20.7"))
            .withTags(List.of(new MemberTag(1000, 1))));
    api.deauthorizeMember(net.id(), "c28cfc86ce");
    api.deleteMember(net.id(), "c28cfc86ce");   // deauthorize first: an online member comes back otherwise
    api.addApiToken(userId, new ApiToken("ci", api.randomToken().token()));
    api.deleteApiToken(userId, "ci");
    // endregion
  }

  static void selfHosted() {
    // region self-hosted
    ZeroTierCentralClient local = ZeroTierCentralClient.selfHosted()          // http://127.0.0.1:9993
            .tokenFile(Path.of("/var/lib/zerotier-one/authtoken.secret"))    // sent as "X-ZT1-Auth: ..."
            .controllerNodeId("ea7ca3b1d7")   // optional; read from GET /status when creating networks
            .build();

    Network net = local.createNetwork(NetworkUpdate.of(NetworkConfig.builder().name("lab").build())).block();
    local.authorizeMember(net.id(), "c28cfc86ce").block();
    List<Member> members = local.members(net.id()).collectList().block();
    // endregion
    System.out.println(members);
  }

  static ZeroTierCentralClient tuned(String token, WebClient.Builder springBootsWebClientBuilder) {
    return
    // region tuning
    ZeroTierCentralClient.central().token(token)
            .connectTimeout(Duration.ofSeconds(5))
            .responseTimeout(Duration.ofSeconds(10))
            .maxRateLimitRetries(5).maxServerErrorRetries(1)
            .backoff(Duration.ofMillis(200), Duration.ofSeconds(5))
            .maxRetryDelay(Duration.ofSeconds(30))
            .webClientBuilder(springBootsWebClientBuilder)   // optional; cloned, its connector and filters kept
            .build();
    // endregion
  }

  static void controllerApi(LocalZeroTier localZeroTier, Path dataDir) throws IOException {
    // region controller-api
    ControllerDatabase db = localZeroTier.database();            // or the database of your NetworkController
    ControllerApiServer api = ControllerApiServer
            .withTokenFile(db, dataDir.resolve(ControllerApiServer.TOKEN_FILE_NAME))   // "authtoken.secret"
            .start(9993);                                         // 127.0.0.1 by default; start(bindAddress, port)
    ZeroTierCentralClient asCentral = ZeroTierCentralClient.central()
            .baseUrl(api.centralApiUrl()).tokenFile(dataDir.resolve("authtoken.secret")).build();
    ZeroTierCentralClient asZeroTierOne = ZeroTierCentralClient.selfHosted()
            .baseUrl(api.localApiUrl()).tokenFile(dataDir.resolve("authtoken.secret")).build();
    // ... use the clients ...
    api.close();
    // endregion
    System.out.println(asCentral + " " + asZeroTierOne);
  }
}
