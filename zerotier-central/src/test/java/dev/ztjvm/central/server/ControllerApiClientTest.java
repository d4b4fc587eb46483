package dev.ztjvm.central.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.central.NotAuthorizedException;
import dev.ztjvm.central.NotFoundException;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralException;
import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.Dns;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberTag;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.RandomToken;
import dev.ztjvm.central.model.Route;
import dev.ztjvm.central.model.Status;
import dev.ztjvm.central.model.User;
import dev.ztjvm.central.model.V4AssignMode;
import dev.ztjvm.central.model.V6AssignMode;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.ControllerJson;
import dev.ztjvm.controller.FileControllerStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@link ZeroTierCentralClient} operation, in both its Central and its self-hosted variant, over real HTTP
 * against {@link ControllerApiServer} serving a file-backed controller database; results are checked in the database.
 */
class ControllerApiClientTest {

  static final long CONTROLLER = 0xea7ca3b1d7L;
  static final String TOKEN = "s3cr3t-test-token-0123456789";

  @TempDir Path dir;
  ControllerDatabase db;
  ControllerApiServer server;

  @BeforeEach
  void start() {
    db = new ControllerDatabase(new FileControllerStore(dir.resolve("controller.d")), CONTROLLER);
    server = new ControllerApiServer(db, TOKEN).start(0);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  BlockingZeroTierCentralClient central() {
    return ZeroTierCentralClient.central().baseUrl(server.centralApiUrl()).token(TOKEN).build().blocking();
  }

  BlockingZeroTierCentralClient selfHosted() {
    // no controllerNodeId: createNetwork must learn it from GET /status
    return ZeroTierCentralClient.selfHosted().baseUrl(server.localApiUrl()).token(TOKEN).build().blocking();
  }

  static final String USER = "ea7ca3b1d7"; // the controller's one user is named by the controller's address

  @Test
  void centralVariantEveryOperation() throws Exception {
    BlockingZeroTierCentralClient c = central();
    everyOperation(c);

    Status s = c.status();
    assertThat(s.type()).isEqualTo("CentralStatus");
    RandomToken random = c.randomToken();
    assertThat(random.token()).hasSize(32);

    User u = c.user(USER);
    assertThat(u.id()).isEqualTo(USER);
    assertThat(u.tokens()).isEmpty();
    assertThat(c.user("self").id()).isEqualTo(USER);

    ApiToken added = c.addApiToken(USER, new ApiToken("ci", random.token()));
    assertThat(added.tokenName()).isEqualTo("ci");
    assertThat(added.token()).isNull(); // write-only
    assertThat(c.user(USER).tokens()).containsExactly("ci");

    // the new token is a Central API credential of its own
    BlockingZeroTierCentralClient viaNew = ZeroTierCentralClient.central().baseUrl(server.centralApiUrl())
        .token(random.token()).build().blocking();
    Network n = viaNew.createNetwork(NetworkUpdate.of(NetworkConfig.builder().name("by-ci").build()));
    assertThat(db.network(Long.parseUnsignedLong(n.id(), 16)).orElseThrow().get("name")).isEqualTo("by-ci");
    assertThat(viaNew.user("self").tokens()).containsExactly("ci");
    // ...but not one of zerotier-one's local API
    assertThatThrownBy(() -> ZeroTierCentralClient.selfHosted().baseUrl(server.localApiUrl())
        .token(random.token()).build().blocking().networks()).isInstanceOf(NotAuthorizedException.class);

    c.deleteApiToken(USER, "ci");
    assertThat(c.user(USER).tokens()).isEmpty();
    assertThatThrownBy(viaNew::networks).isInstanceOf(NotAuthorizedException.class);
    assertThatThrownBy(() -> c.deleteApiToken(USER, "ci")).isInstanceOf(NotFoundException.class);
    assertThat(c.networks()).extracting(Network::id).containsExactly(n.id()); // the main token still works
  }

  @Test
  void userTokensAreValidated() {
    BlockingZeroTierCentralClient c = central();
    String t = "t".repeat(32);
    c.addApiToken("self", new ApiToken("ci", t));
    assertThatThrownBy(() -> c.addApiToken("self", new ApiToken("ci", "u".repeat(32))))
        .isInstanceOf(ZeroTierCentralException.class).isNotInstanceOf(NotFoundException.class)
        .hasMessageContaining("already exists");
    assertThatThrownBy(() -> c.addApiToken("self", new ApiToken("bad/name", "u".repeat(32))))
        .isInstanceOf(ZeroTierCentralException.class).hasMessageContaining("tokenName");
    assertThatThrownBy(() -> c.addApiToken("someone-else", new ApiToken("x", "u".repeat(32))))
        .isInstanceOf(NotFoundException.class);
    assertThat(c.user("self").tokens()).containsExactly("ci");
  }

  @Test
  void userTokensPersistNextToTheTokenFileOwnerOnly() throws Exception {
    server.close();
    Path tokenFile = dir.resolve(ControllerApiServer.TOKEN_FILE_NAME);
    String main;
    String added = "p".repeat(40);
    try (ControllerApiServer s = ControllerApiServer.withTokenFile(db, tokenFile).start(0)) {
      main = ControllerApiServer.loadOrCreateToken(tokenFile);
      ZeroTierCentralClient.central().baseUrl(s.centralApiUrl()).token(main).build().blocking()
          .addApiToken("self", new ApiToken("kept", added));
    }
    Path file = ControllerApiServer.userTokenFile(tokenFile);
    assertThat(file.getParent()).isEqualTo(tokenFile.getParent());
    assertThat(Files.readString(file)).contains("kept").contains(added);
    if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
      assertThat(Files.getPosixFilePermissions(file))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
    try (ControllerApiServer s = ControllerApiServer.withTokenFile(db, tokenFile).start(0)) {
      BlockingZeroTierCentralClient viaAdded = ZeroTierCentralClient.central().baseUrl(s.centralApiUrl())
          .token(added).build().blocking();
      assertThat(viaAdded.user("self").tokens()).containsExactly("kept"); // survived the restart
      viaAdded.deleteApiToken("self", "kept");
      assertThatThrownBy(viaAdded::networks).isInstanceOf(NotAuthorizedException.class);
    }
    assertThat(Files.readString(file)).doesNotContain(added);
    try (ControllerApiServer s = ControllerApiServer.withTokenFile(db, tokenFile).start(0)) {
      assertThatThrownBy(() -> ZeroTierCentralClient.central().baseUrl(s.centralApiUrl()).token(added).build()
          .blocking().networks()).isInstanceOf(NotAuthorizedException.class);
    }
  }

  @Test
  void selfHostedVariantEveryOperation() throws Exception {
    everyOperation(selfHosted());
  }

  @Test
  void centralOnlyOperations() {
    BlockingZeroTierCentralClient c = central();
    RandomToken t = c.randomToken();
    assertThat(t.token()).hasSize(32);
    assertThat(t.hex()).hasSize(64);
    assertThat(c.randomToken().token()).isNotEqualTo(t.token());
    // our controller has one user only: others are not found
    assertThatThrownBy(() -> c.user("u1")).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> c.addApiToken("u1", new ApiToken("ci", "x".repeat(32))))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> c.deleteApiToken("u1", "ci")).isInstanceOf(NotFoundException.class);
    Status s = c.status();
    assertThat(s.type()).isEqualTo("CentralStatus");
    assertThat(s.apiVersion()).isEqualTo("4");
  }

  @Test
  void selfHostedOnlyOperations() {
    BlockingZeroTierCentralClient c = selfHosted();
    Status s = c.status();
    assertThat(s.apiVersion()).isEqualTo("4");
    assertThat(s.clock()).isPositive();
    assertThat(c.randomToken().token()).hasSize(32);
    assertThatThrownBy(() -> c.user("u1")).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void bothVariantsSeeTheSameNetworkAndMember() throws Exception {
    BlockingZeroTierCentralClient c = central();
    BlockingZeroTierCentralClient l = selfHosted();
    Network n = c.createNetwork(NetworkUpdate.of(NetworkConfig.builder().name("shared").build()));
    l.updateMember(n.id(), "c28cfc86ce", MemberUpdate.authorize().withName("m1"));
    assertThat(c.network(n.id()).name()).isEqualTo("shared");
    assertThat(l.network(n.id()).name()).isEqualTo("shared");
    Member viaCentral = c.member(n.id(), "c28cfc86ce");
    Member viaLocal = l.member(n.id(), "c28cfc86ce");
    assertThat(viaCentral.isAuthorized()).isTrue();
    assertThat(viaLocal.isAuthorized()).isTrue();
    assertThat(viaCentral.name()).isEqualTo(viaLocal.name()).isEqualTo("m1");
    assertThat(viaCentral.config().revision()).isEqualTo(viaLocal.config().revision());
    assertThat(viaCentral.config().lastAuthorizedTime()).isEqualTo(viaLocal.config().lastAuthorizedTime())
        .isPositive();
  }

  void everyOperation(BlockingZeroTierCentralClient c) throws Exception {
    assertThat(c.networks()).isEmpty();

    Network created = c.createNetwork(NetworkUpdate.of(NetworkConfig.builder()
        .name("lab").isPrivate(true)
        .ipAssignmentPools(List.of(new IpRange("10.147.20.10", "10.147.20.250")))
        .routes(List.of(new Route("10.147.20.0/24", null)))
        .v4AssignMode(new V4AssignMode(true))
        .v6AssignMode(new V6AssignMode(false, true, false))
        .build()));
    String nwid = created.id();
    assertThat(nwid).hasSize(16).startsWith("ea7ca3b1d7");
    long id = Long.parseUnsignedLong(nwid, 16);
    Map<String, Object> stored = db.network(id).orElseThrow();
    assertThat(stored.get("name")).isEqualTo("lab");
    assertThat(stored.get("private")).isEqualTo(true);
    assertThat(ControllerJson.write(stored.get("ipAssignmentPools")))
        .isEqualTo("[{\"ipRangeEnd\":\"10.147.20.250\",\"ipRangeStart\":\"10.147.20.10\"}]");
    assertThat(ControllerJson.write(stored.get("routes"))).isEqualTo("[{\"target\":\"10.147.20.0/24\",\"via\":null}]");
    assertThat(ControllerJson.write(stored.get("v6AssignMode")))
        .isEqualTo("{\"6plane\":false,\"rfc4193\":true,\"zt\":false}");
    assertThat(created.config().name()).isEqualTo("lab");
    assertThat(created.config().isPrivate()).isTrue();
    assertThat(created.config().v4AssignMode().zt()).isTrue();
    assertThat(created.config().routes()).containsExactly(new Route("10.147.20.0/24", null));

    assertThat(c.networks()).extracting(Network::id).containsExactly(nwid);
    Network got = c.network(nwid);
    assertThat(got.config().ipAssignmentPools()).containsExactly(new IpRange("10.147.20.10", "10.147.20.250"));
    assertThat(got.config().mtu()).isEqualTo(2800);

    Network updated = c.updateNetwork(nwid, NetworkUpdate.of(NetworkConfig.builder()
        .name("lab2").mtu(1400).enableBroadcast(false)
        .dns(new Dns("lab.example", List.of("10.147.20.1")))
        .build()));
    assertThat(updated.name()).isEqualTo("lab2");
    assertThat(updated.config().mtu()).isEqualTo(1400);
    assertThat(updated.config().enableBroadcast()).isFalse();
    assertThat(updated.config().dns()).isEqualTo(new Dns("lab.example", List.of("10.147.20.1")));
    assertThat(updated.config().ipAssignmentPools()).hasSize(1); // fields not sent stay unchanged
    assertThat(db.network(id).orElseThrow().get("mtu")).isEqualTo(1400L);
    assertThat(ControllerJson.num(db.network(id).orElseThrow(), "revision", 0)).isEqualTo(2);

    assertThat(c.members(nwid)).isEmpty();
    assertThatThrownBy(() -> c.member(nwid, "c28cfc86ce")).isInstanceOf(NotFoundException.class);

    Member m = c.authorizeMember(nwid, "c28cfc86ce");
    assertThat(m.isAuthorized()).isTrue();
    assertThat(m.nodeId()).isEqualTo("c28cfc86ce");
    assertThat(m.networkId()).isEqualTo(nwid);
    assertThat(db.member(id, 0xc28cfc86ceL).orElseThrow().get("authorized")).isEqualTo(true);
    assertThat(db.member(id, 0xc28cfc86ceL).orElseThrow().get("lastAuthorizedCredentialType")).isEqualTo("api");

    c.updateMember(nwid, "13eb7fc337", MemberUpdate.empty().withName("m2"));
    assertThat(c.members(nwid)).extracting(Member::nodeId).containsExactly("13eb7fc337", "c28cfc86ce");
    assertThat(c.member(nwid, "13eb7fc337").isAuthorized()).isFalse();

    assertThat(c.renameMember(nwid, "c28cfc86ce", "build-agent-7").name()).isEqualTo("build-agent-7");
    assertThat(c.assignMemberIps(nwid, "c28cfc86ce", List.of("10.147.20.7")).config().ipAssignments())
        .containsExactly("10.147.20.7");
    assertThat(c.setMemberTags(nwid, "c28cfc86ce", List.of(new MemberTag(1000, 1))).config().tags())
        .containsExactly(new MemberTag(1000, 1));
    Member full = c.member(nwid, "c28cfc86ce");
    assertThat(full.name()).isEqualTo("build-agent-7");
    assertThat(full.config().ipAssignments()).containsExactly("10.147.20.7");
    assertThat(full.config().tags()).containsExactly(new MemberTag(1000, 1));
    assertThat(ControllerJson.write(db.member(id, 0xc28cfc86ceL).orElseThrow().get("tags"))).isEqualTo("[[1000,1]]");

    Member deauth = c.deauthorizeMember(nwid, "c28cfc86ce");
    assertThat(deauth.isAuthorized()).isFalse();
    assertThat(deauth.config().lastDeauthorizedTime()).isPositive();

    c.deleteMember(nwid, "c28cfc86ce");
    assertThat(db.member(id, 0xc28cfc86ceL)).isEmpty();
    assertThat(c.members(nwid)).extracting(Member::nodeId).containsExactly("13eb7fc337");
    assertThatThrownBy(() -> c.deleteMember(nwid, "c28cfc86ce")).isInstanceOf(NotFoundException.class);

    c.deleteNetwork(nwid);
    assertThat(db.network(id)).isEmpty();
    assertThat(c.networks()).isEmpty();
    assertThatThrownBy(() -> c.network(nwid)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> c.deleteNetwork(nwid)).isInstanceOf(NotFoundException.class);
  }
}
