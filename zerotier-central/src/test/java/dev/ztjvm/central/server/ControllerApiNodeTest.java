package dev.ztjvm.central.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.IpRange;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.Route;
import dev.ztjvm.central.model.V4AssignMode;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * The API on a running in-process ZeroTier ({@link LocalZeroTier}): a node waiting with ACCESS_DENIED comes up after
 * {@code authorizeMember} through either API, and the JSON our local API serves has the structure of zerotier-one's
 * (the captured {@code api-snapshot-run1} files).
 */
class ControllerApiNodeTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private static LocalZeroTier zt;
  private static ControllerApiServer server;
  private static String token;

  @BeforeAll
  static void start() throws Exception {
    zt = LocalZeroTier.start();
    Path tokenFile = zt.home().resolve(ControllerApiServer.TOKEN_FILE_NAME);
    server = ControllerApiServer.withTokenFile(zt.database(), tokenFile).start(0);
    token = Files.readString(tokenFile);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
    if (zt != null) {
      zt.close();
    }
  }

  @Test
  void waitingNodeComesUpAfterAuthorizeThroughCentralApi() throws Exception {
    authorizeLetsWaitingNodeUp(ZeroTierCentralClient.central().baseUrl(server.centralApiUrl()).token(token).build()
        .blocking(), "10.147.17");
  }

  @Test
  void waitingNodeComesUpAfterAuthorizeThroughLocalApi() throws Exception {
    authorizeLetsWaitingNodeUp(ZeroTierCentralClient.selfHosted().baseUrl(server.localApiUrl()).token(token).build()
        .blocking(), "10.147.18");
  }

  /** A private network "ztlab-net" auto-assigning IPv4 from {@code net24}.100-200, routed as {@code net24}.0/24. */
  private static String createLabNetwork(BlockingZeroTierCentralClient api, String net24) {
    return api.createNetwork(NetworkUpdate.of(NetworkConfig.builder()
        .name("ztlab-net").isPrivate(true)
        .ipAssignmentPools(List.of(new IpRange(net24 + ".100", net24 + ".200")))
        .routes(List.of(new Route(net24 + ".0/24", null)))
        .v4AssignMode(new V4AssignMode(true))
        .build())).id();
  }

  private void authorizeLetsWaitingNodeUp(BlockingZeroTierCentralClient api, String net24) throws Exception {
    String nwid = createLabNetwork(api, net24);
    long id = Long.parseUnsignedLong(nwid, 16);
    ZeroTierNode node = zt.nodeBuilder().build();
    try {
      NetworkDetails denied = joinUnauthorized(node, id);
      assertThat(denied.ipv4()).isEmpty();

      // the controller recorded the request: the member is listed, not authorized, with its identity
      Member waiting = api.member(nwid, node.nodeIdString());
      assertThat(waiting.isAuthorized()).isFalse();
      assertThat(waiting.config().identity()).startsWith(node.nodeIdString() + ":0:");
      assertThat(api.members(nwid)).extracting(Member::nodeId).contains(node.nodeIdString());

      Member authorized = api.authorizeMember(nwid, node.nodeIdString());
      assertThat(authorized.isAuthorized()).isTrue();
      NetworkDetails ready = node.awaitNetworkReady(id, WAIT);
      assertThat(ready.status()).isEqualTo(NetworkStatus.OK);
      InetAddress v4 = ready.ipv4().orElseThrow();
      assertThat(v4.getHostAddress()).startsWith(net24 + ".");
      assertThat(ready.name()).isEqualTo("ztlab-net");

      Member after = api.member(nwid, node.nodeIdString());
      assertThat(after.config().ipAssignments()).contains(v4.getHostAddress());
      assertThat(after.clientVersion()).isNotNull();
    } finally {
      node.stop();
    }
  }

  // ------------------------------------------------------------------------------------------------ JSON shapes

  @Test
  void localApiJsonHasZeroTierOnesStructure() throws Exception {
    BlockingZeroTierCentralClient api =
        ZeroTierCentralClient.selfHosted().baseUrl(server.localApiUrl()).token(token).build().blocking();
    String nwid = createLabNetwork(api, "10.147.19");
    long id = Long.parseUnsignedLong(nwid, 16);
    ZeroTierNode node = zt.nodeBuilder().build();
    try {
      joinUnauthorized(node, id);
      api.authorizeMember(nwid, node.nodeIdString());
      api.renameMember(nwid, node.nodeIdString(), "m1");
      node.awaitNetworkReady(id, WAIT);

      Path snap = Path.of(System.getProperty("zt.shared.dir"), "zt-captures/controller/api-snapshot-run1");
      String n = node.nodeIdString();
      assertSameStructure(get("/controller"), read(snap.resolve("controller.json")), "controller");
      assertSameStructure(get("/controller/network"), read(snap.resolve("controller_network.json")), "network list");
      assertSameStructure(get("/controller/network/" + nwid),
          read(snap.resolve("controller_network_ea7ca3b1d7000001.json")), "network");
      assertSameStructure(get("/controller/network/" + nwid + "/member"),
          read(snap.resolve("controller_network_ea7ca3b1d7000001_member.json")), "member list");
      assertSameStructure(get("/controller/network/" + nwid + "/member/" + n),
          read(snap.resolve("controller_network_ea7ca3b1d7000001_member_c28cfc86ce.json")), "member");
      // the member map is keyed by node ID with revision numbers
      JsonNode revisions = get("/controller/network/" + nwid + "/member");
      assertThat(revisions.get(n).isIntegralNumber()).isTrue();
      assertThat(revisions.get(n).asLong()).isEqualTo(get("/controller/network/" + nwid + "/member/" + n)
          .get("revision").asLong());
    } finally {
      node.stop();
    }
  }

  private static JsonNode get(String path) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create(server.localApiUrl() + path)).header("X-ZT1-Auth", token).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(path).isEqualTo(200);
    assertThat(r.headers().firstValue("Content-Type")).contains("application/json");
    return JSON.readTree(r.body());
  }

  private static JsonNode read(Path p) throws Exception {
    return JSON.readTree(Files.readString(p));
  }

  /**
   * Same keys, and at every key the same kind of value (object, array, string, number, boolean, null), recursively;
   * arrays compare the kinds of their elements. Map-like objects (member list) compare one entry's value.
   */
  static void assertSameStructure(JsonNode ours, JsonNode theirs, String where) {
    assertThat(kind(ours)).as(where).isEqualTo(kind(theirs));
    if (ours.isObject()) {
      if (where.endsWith("member list")) {
        assertThat(ours.size()).as(where).isPositive();
        assertSameStructure(ours.iterator().next(), theirs.iterator().next(), where + ".*");
        return;
      }
      assertThat(names(ours)).as(where + " keys").isEqualTo(names(theirs));
      for (String k : names(theirs)) {
        assertSameStructure(ours.get(k), theirs.get(k), where + "." + k);
      }
    } else if (ours.isArray() && !ours.isEmpty() && !theirs.isEmpty()) {
      assertSameStructure(ours.get(0), theirs.get(0), where + "[0]");
    }
  }

  private static TreeSet<String> names(JsonNode o) {
    TreeSet<String> s = new TreeSet<>();
    for (Map.Entry<String, JsonNode> e : o.properties()) {
      s.add(e.getKey());
    }
    return s;
  }

  private static String kind(JsonNode n) {
    if (n.isObject()) {
      return "object";
    }
    if (n.isArray()) {
      return "array";
    }
    if (n.isString()) {
      return "string";
    }
    if (n.isNumber()) {
      return "number";
    }
    if (n.isBoolean()) {
      return "boolean";
    }
    return n.isNull() ? "null" : n.getNodeType().toString();
  }

  /** Starts {@code node} and joins network {@code id}, which refuses it (not authorized yet). */
  private static NetworkDetails joinUnauthorized(ZeroTierNode node, long id) throws Exception {
    node.start();
    node.awaitOnline(WAIT);
    node.join(id);
    return awaitStatus(node, id, NetworkStatus.ACCESS_DENIED);
  }

  private static NetworkDetails awaitStatus(ZeroTierNode node, long id, NetworkStatus want) throws Exception {
    long deadline = System.nanoTime() + WAIT.toNanos();
    List<NetworkStatus> seen = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      NetworkDetails d = node.network(id);
      if (d != null) {
        if (seen.isEmpty() || seen.get(seen.size() - 1) != d.status()) {
          seen.add(d.status());
        }
        if (d.status() == want) {
          return d;
        }
      }
      Thread.sleep(20);
    }
    throw new AssertionError("network never reached " + want + "; saw " + seen);
  }
}
