package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A brand-new application configured exactly as the root README.md says (its {@code application.yml} block is read
 * from the README) runs against our self-hosted controller's Central-compatible API:
 *
 * <ul>
 *   <li>with a token and {@code authorize-self}, a fresh node (new identity in an empty storage directory) authorizes
 *       itself, and a second node gets {@code /hi} over ZeroTier on the first start;
 *   <li>without a token, the application starts all the same, health and readiness are DOWN with the reason, and once
 *       the node is authorized through the API the server answers over ZeroTier without a restart.
 * </ul>
 *
 * Both log the one line {@code ZeroTier: serving http://<ip>:<port> on network <nwid> (node <id>)}.
 */
@ExtendWith(OutputCaptureExtension.class)
class FirstRunSpringBootTest {

  private static final String TOKEN = "first-run-test-token";
  private static final Duration WAIT = Duration.ofSeconds(30);

  static LocalZeroTier zeroTier;
  static LoopResources apiLoops;
  static DisposableServer apiServer;
  static String centralApiUrl;
  static Path planet;
  @TempDir static Path dir;

  @SpringBootApplication
  static class App {
    /** The README's controller. */
    @RestController
    static class HiController {
      @GetMapping("/hi")
      String hi() {
        return "hi";
      }
    }
  }

  @BeforeAll
  static void startController() throws IOException {
    zeroTier = LocalZeroTier.start();
    // Its own loops: a Spring context closing disposes Reactor Netty's global ones.
    apiLoops = LoopResources.create("controller-api", 1, true);
    apiServer = HttpServer.create().runOn(apiLoops).host("127.0.0.1").port(0)
        .route(new ControllerApiServer(zeroTier.database(), TOKEN).routes()).bindNow();
    centralApiUrl = "http://127.0.0.1:" + apiServer.port() + "/api/v1";
    planet = dir.resolve("planet");
    Files.write(planet, zeroTier.planetBytes());
  }

  @AfterAll
  static void stopController() {
    apiServer.disposeNow();
    apiLoops.dispose();
    zeroTier.close();
  }

  @Test
  void freshAppAuthorizesItselfAndServesOnItsFirstStart(@TempDir Path storage, CapturedOutput output)
      throws Exception {
    long nwid = zeroTier.createPrivateNetwork("first-run", "10.147.30.0/24", "10.147.30.10", "10.147.30.250", false);
    assertThat(storage.resolve("identity.secret")).doesNotExist();
    Map<String, Object> overrides = localOverrides(nwid, storage);
    overrides.put("ZEROTIER_CENTRAL_TOKEN", TOKEN);
    overrides.put("zerotier.central.base-url", centralApiUrl);
    try (ConfigurableApplicationContext app = start(readmeYaml(), overrides)) {
      ZeroTierNode node = app.getBean(ZeroTierNode.class);
      assertThat(storage.resolve("identity.secret")).as("a new identity on first start").exists();
      // Authorized through the Central-compatible API by the app itself.
      assertThat(zeroTier.database().member(nwid, node.nodeId()).orElseThrow().get("authorized")).isEqualTo(true);

      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      NetworkDetails network = node.network(nwid);
      assertThat(network).isNotNull();
      InetAddress address = network.ipv4().orElseThrow();
      assertThat(hiFromSecondNode(nwid, address, port)).isEqualTo("hi");
      assertThat(output.getAll()).contains("ZeroTier: serving http://" + address.getHostAddress() + ":" + port
          + " on network " + String.format("%016x", nwid) + " (node " + node.nodeIdString() + ")");
      assertThat(output.getAll()).doesNotContain(TOKEN);
      assertThat(actuator(app, "/actuator/health").path("status").asString()).isEqualTo("UP");
    }
  }

  @Test
  void withoutTokenStartsDownAndServesOnceAuthorizedWithoutRestart(@TempDir Path storage, CapturedOutput output)
      throws Exception {
    long nwid = zeroTier.createPrivateNetwork("no-token", "10.147.31.0/24", "10.147.31.10", "10.147.31.250", false);
    Map<String, Object> yaml = readmeYaml();
    yaml.keySet().removeIf(key -> key.startsWith("zerotier.central."));
    Map<String, Object> overrides = localOverrides(nwid, storage);
    overrides.put("management.endpoint.health.show-details", "always");
    overrides.put("management.endpoint.health.probes.enabled", "true");
    try (ConfigurableApplicationContext app = start(yaml, overrides)) {
      ZeroTierNode node = app.getBean(ZeroTierNode.class);
      String nodeId = node.nodeIdString();
      String networkId = String.format("%016x", nwid);

      // Started although not authorized: health and readiness DOWN with the reason.
      String denied = "ACCESS_DENIED: authorize node " + nodeId + " on network " + networkId;
      JsonNode health = await(() -> health(app), h -> h.path("status").asString().equals("DOWN")
          && h.path("details").path("reasons").toString().contains(denied));
      assertThat(health.path("details").path("reasons").get(0).asString()).isEqualTo(denied);
      assertThat(readiness(app).path("status").asString()).isEqualTo("DOWN");
      assertThat(output.getAll()).doesNotContain("ZeroTier: serving");

      // Authorize through the Central-compatible API: the server answers over ZeroTier, no restart.
      ZeroTierCentralClient central = ZeroTierCentralClient.central().baseUrl(centralApiUrl).token(TOKEN)
          .build();
      long authorizedAt = System.nanoTime();
      central.authorizeMember(networkId, nodeId).block(WAIT);
      await(() -> output.getAll(), text -> text.contains("ZeroTier: serving http://"));
      long servingAfterMillis = (System.nanoTime() - authorizedAt) / 1_000_000;
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      InetAddress address = node.network(nwid).ipv4().orElseThrow();
      assertThat(output.getAll()).contains("ZeroTier: serving http://" + address.getHostAddress() + ":" + port
          + " on network " + networkId + " (node " + nodeId + ")");
      assertThat(hiFromSecondNode(nwid, address, port)).isEqualTo("hi");
      assertThat(health(app).path("status").asString()).isEqualTo("UP");
      assertThat(readiness(app).path("status").asString()).isEqualTo("UP");
      // Reported, not asserted (timing depends on the machine): how long serving took after the authorization.
      System.out.println("FirstRunSpringBootTest: serving " + servingAfterMillis + " ms after the authorization");
    }
  }

  /** The {@code yaml} block of the root README's "Use it in your app" section, flattened. */
  static Map<String, Object> readmeYaml() throws IOException {
    String readme = Files.readString(repoRoot().resolve("README.md"), StandardCharsets.UTF_8);
    int section = readme.indexOf("## Use it in your app");
    int start = readme.indexOf("```yaml\n", section) + "```yaml\n".length();
    int end = readme.indexOf("```", start);
    List<PropertySource<?>> sources = new YamlPropertySourceLoader()
        .load("README.md", new ByteArrayResource(readme.substring(start, end).getBytes(StandardCharsets.UTF_8)));
    Map<String, Object> properties = new LinkedHashMap<>();
    for (PropertySource<?> source : sources) {
      EnumerablePropertySource<?> e = (EnumerablePropertySource<?>) source;
      for (String name : e.getPropertyNames()) {
        properties.put(name, String.valueOf(e.getProperty(name)));
      }
    }
    assertThat(properties).containsKeys("zerotier.network-id", "zerotier.server.enabled");
    return properties;
  }

  private static Path repoRoot() {
    Path here = Path.of("").toAbsolutePath();
    return Files.exists(here.resolve("README.md")) && Files.exists(here.resolve("docs")) ? here : here.getParent();
  }

  /**
   * What differs from the README on this machine: our controller's network instead of 8056c2e21c000001, a fresh
   * storage directory, the in-process planet on loopback and free ports.
   */
  private static Map<String, Object> localOverrides(long nwid, Path storage) {
    Map<String, Object> overrides = new LinkedHashMap<>();
    overrides.put("zerotier.network-id", String.format("%016x", nwid));
    overrides.put("zerotier.storage", storage.toString());
    overrides.put("zerotier.planet", planet.toUri().toString());
    overrides.put("zerotier.allow-loopback-paths", "true");
    overrides.put("zerotier.bind-addresses", "127.0.0.1");
    overrides.put("zerotier.port", "0");
    overrides.put("server.port", "0");
    overrides.put("management.server.port", "0");
    return overrides;
  }

  private static ConfigurableApplicationContext start(Map<String, Object> yaml, Map<String, Object> overrides) {
    List<String> args = new ArrayList<>();
    overrides.forEach((k, v) -> args.add("--" + k + "=" + v));
    return new SpringApplicationBuilder(App.class).properties(yaml).run(args.toArray(String[]::new));
  }

  private static String hiFromSecondNode(long nwid, InetAddress address, int port) throws Exception {
    try (ZeroTierNode second = zeroTier.nodeBuilder().build()) {
      second.start();
      zeroTier.authorize(nwid, second.nodeId());
      second.awaitNetworkReady(nwid, Duration.ofSeconds(60));
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(second.netstack(), "second-node", 1);
      try {
        return WebClient.builder().clientConnector(new ReactorClientHttpConnector(HttpClient.create().runOn(loops)))
            .build().get().uri("http://" + address.getHostAddress() + ":" + port + "/hi").retrieve()
            .bodyToMono(String.class).block(WAIT);
      } finally {
        loops.dispose();
      }
    }
  }

  private static JsonNode health(ConfigurableApplicationContext app) {
    return actuator(app, "/actuator/health/zerotier");
  }

  private static JsonNode readiness(ConfigurableApplicationContext app) {
    return actuator(app, "/actuator/health/readiness");
  }

  private static JsonNode actuator(ConfigurableApplicationContext app, String path) {
    int port = Integer.parseInt(app.getEnvironment().getProperty("local.management.port"));
    try {
      String body = WebClient.create("http://127.0.0.1:" + port).get().uri(path).retrieve()
          .bodyToMono(String.class).block(WAIT);
      return JsonMapper.builder().build().readTree(body);
    } catch (WebClientResponseException e) {
      return JsonMapper.builder().build().readTree(e.getResponseBodyAsString()); // DOWN is 503 with a body
    }
  }

  /** Polls (bounded, 120 s) until {@code condition} holds; returns the last value. */
  private static <T> T await(Supplier<T> value, java.util.function.Predicate<T> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    T last = value.get();
    while (!condition.test(last) && System.nanoTime() < deadline) {
      Thread.sleep(20);
      last = value.get();
    }
    assertThat(condition.test(last)).as("condition never held; last value: %s", last).isTrue();
    return last;
  }
}
