package dev.ztjvm.sample;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.sockets.LocalZeroTier;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Boots {@code target/sample-app.jar} with {@code java -jar} (so the Boot fat jar itself is what is tested: nested
 * jars, no native code to extract) in a temporary directory, with free ports and nothing but loopback.
 */
class SampleAppJarIT {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final Pattern ROUND_TRIP = Pattern.compile("Demo round trip OK: (\\{.*})");
  private static final Pattern DEMO_NODE = Pattern.compile("Demo client node ([0-9a-f]{10}) started");
  private static final Pattern SELF_HOSTED_NETWORK =
      Pattern.compile("(?:Created|Found) self-hosted ZeroTier network ([0-9a-f]{16})");
  private static final Pattern URL = Pattern.compile(
      "ZeroTier: serving http://([0-9.]+):(\\d+) on network [0-9a-f]{16} \\(node ([0-9a-f]{10})\\)");

  /**
   * The default run, as the README tells: no configuration but a storage directory and free ports. Self-hosted
   * mode creates the network, the app joins it and serves /hello, the demo client's round trip is logged, and the
   * network is the one the endpoint reports as self-hosted.
   */
  @Test
  void selfHostedByDefault(@TempDir Path tmp) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("self-hosted"));
    try (SampleAppProcess app = SampleAppProcess.start(work, List.of(
        "--zerotier.storage=" + tmp.resolve("storage"),
        "--zerotier.port=0",
        "--zerotier.bind-addresses=127.0.0.1"))) {
      String nwidHex = app.awaitLog(SELF_HOSTED_NETWORK).group(1);
      JsonNode node = checkRunningApp(app, nwidHex);
      assertThat(node.path("selfHosted").path("networkId").asString()).isEqualTo(nwidHex);
      assertThat(Path.of(node.path("selfHosted").path("planetFile").asString()))
          .as("the planet a second node needs is kept in the storage directory").startsWith(tmp.resolve("storage"))
          .isRegularFile();
      assertThat(app.log()).doesNotContain("cannot come up");
    }
  }

  /**
   * Spring AOT on the JVM: the jar holds the AOT-processed bean definitions (the build runs {@code process-aot}), and
   * started with {@code -Dspring.aot.enabled=true} it uses them: the app serves /hello on its ZeroTier address and the
   * demo client's call over ZeroTier succeeds, as without AOT.
   */
  @Test
  void aotProcessedJarAnswersHelloOverZeroTier(@TempDir Path tmp) throws Exception {
    Path work = Files.createDirectories(tmp.resolve("aot"));
    try (SampleAppProcess app = SampleAppProcess.start(work, List.of("-Dspring.aot.enabled=true"), List.of(
        "--zerotier.storage=" + tmp.resolve("storage"),
        "--zerotier.port=0",
        "--zerotier.bind-addresses=127.0.0.1"))) {
      String nwidHex = app.awaitLog(SELF_HOSTED_NETWORK).group(1);
      checkRunningApp(app, nwidHex);
      assertThat(app.log()).contains("Starting AOT-processed SampleApplication");
    }
  }

  /**
   * The small profile exactly as README.md documents it (the JVM flags and {@code MALLOC_ARENA_MAX} of its
   * {@code MALLOC_ARENA_MAX=… java … -jar} line, read from the README so the docs cannot drift): the app serves
   * /hello over ZeroTier within those limits and the demo client's round trip works.
   */
  @Test
  void smallProfileFromTheReadmeAnswersHelloOverZeroTier(@TempDir Path tmp) throws Exception {
    SmallProfile profile = SmallProfile.fromReadme(Path.of("README.md"));
    assertThat(profile.jvmOptions()).as("the README's small profile").contains("-XX:+UseSerialGC")
        .anySatisfy(o -> assertThat(o).startsWith("-Xmx"));
    Path work = Files.createDirectories(tmp.resolve("small"));
    try (SampleAppProcess app = SampleAppProcess.start(work, profile.jvmOptions(), profile.environment(), List.of(
        "--zerotier.storage=" + tmp.resolve("storage"),
        "--zerotier.port=0",
        "--zerotier.bind-addresses=127.0.0.1"))) {
      String nwidHex = app.awaitLog(SELF_HOSTED_NETWORK).group(1);
      checkRunningApp(app, nwidHex);
      assertThat(app.log()).doesNotContain("OutOfMemoryError");
    }
  }

  /**
   * {@code zerotier.network-id} with a planet of one's own and the Central client pointed at a controller API: the
   * app's node authorizes itself on the private network ({@code zerotier.central.authorize-self}, turned on by
   * {@code SampleModeDefaults} when a token is given), the demo client gets authorized through the same client bean,
   * and the round trip works. A private ZeroTier (root + controller) runs in this test
   * JVM; the controller's Central-compatible API serves on loopback.
   */
  @Test
  void joinsAGivenPrivateNetworkAuthorizedThroughTheCentralClient(@TempDir Path tmp) throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start();
        ControllerApiServer api = new ControllerApiServer(zt.database(), "sample-it-token").start(0)) {
      long nwid = zt.createPrivateNetwork("sample", "10.242.0.0/16", "10.242.0.10", "10.242.0.250", false);
      String nwidHex = String.format("%016x", nwid);
      Path planet = tmp.resolve("planet");
      Files.write(planet, zt.planetBytes());
      Path work = Files.createDirectories(tmp.resolve("private-network"));
      try (SampleAppProcess app = SampleAppProcess.start(work, List.of(
          // no --zerotier.self-hosted.enabled=false: a network ID alone switches the sample out of self-hosted mode
          "--zerotier.network-id=" + nwidHex,
          "--zerotier.planet=file:" + planet,
          "--zerotier.allow-loopback-paths=true",
          "--zerotier.port=0",
          "--zerotier.bind-addresses=127.0.0.1",
          "--zerotier.storage=" + tmp.resolve("storage"),
          "--zerotier.central.token=sample-it-token",
          "--zerotier.central.base-url=" + api.centralApiUrl()))) {
        JsonNode node = checkRunningApp(app, nwidHex);
        assertThat(node.path("selfHosted").path("networkId").isMissingNode())
            .as("self-hosted mode off when a network ID is given: %s", node).isTrue();
        // Both members were authorized through the API (the app by authorize-self, the client by the demo).
        assertThat(zt.members(nwid)).hasSize(2);
      }
    }
  }

  /** What every run of the demo must show: the round trip in the log, health UP, the node in /actuator/zerotier. */
  static JsonNode checkRunningApp(SampleAppProcess app, String nwidHex) throws IOException, InterruptedException {
    Matcher roundTrip = app.awaitLog(ROUND_TRIP);
    JsonNode hello = JSON.readTree(roundTrip.group(1));
    Matcher demoNode = app.awaitLog(DEMO_NODE);
    Matcher url = app.awaitLog(URL);
    String serverNodeId = url.group(3);
    assertThat(hello.get("serverNodeId").asString()).isEqualTo(serverNodeId);
    assertThat(hello.get("callerNodeId").asString()).as("caller seen by /hello").isEqualTo(demoNode.group(1));
    assertThat(hello.get("callerAddress").asString()).isNotEqualTo(url.group(1)).doesNotStartWith("127.");

    JsonNode health = JSON.readTree(awaitOk(app, "/actuator/health").body());
    assertThat(health.get("status").asString()).isEqualTo("UP");
    JsonNode zerotierHealth = health.path("components").path("zerotier");
    assertThat(zerotierHealth.path("status").asString()).isEqualTo("UP");
    assertThat(zerotierHealth.path("details").path("nodeId").asString()).isEqualTo(serverNodeId);

    JsonNode node = JSON.readTree(awaitOk(app, "/actuator/zerotier").body());
    assertThat(node.get("nodeId").asString()).isEqualTo(serverNodeId);
    assertThat(node.get("online").asBoolean()).isTrue();
    JsonNode network = node.get("networks").valueStream()
        .filter(n -> n.get("id").asString().equals(nwidHex)).findFirst()
        .orElseThrow(() -> new AssertionError("network " + nwidHex + " not in " + node));
    assertThat(network.get("status").asString()).isEqualTo("OK");
    assertThat(network.get("addresses").valueStream().map(JsonNode::asString))
        .anySatisfy(a -> assertThat(a).startsWith(url.group(1) + "/"));
    assertThat(node.get("peers").valueStream().map(p -> p.get("address").asString()))
        .as("the demo client is a peer").contains(hello.get("callerNodeId").asString());
    assertThat(app.log()).doesNotContain("Demo round trip failed");
    return node;
  }

  static HttpResponse<String> awaitOk(SampleAppProcess app, String path) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + SampleAppProcess.PATIENCE.toNanos();
    while (true) {
      Optional<HttpResponse<String>> r = app.actuator(path);
      if (r.isPresent() && r.get().statusCode() == 200) {
        return r.get();
      }
      if (!app.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("GET " + path + " never answered 200 (last: "
            + r.map(x -> x.statusCode() + " " + x.body()).orElse("no answer") + "); app output:\n" + app.log());
      }
      Thread.sleep(250);
    }
  }
}
