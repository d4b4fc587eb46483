package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.event.EventListener;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientResponseException;
import reactor.netty.http.client.HttpClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A WebFlux application with the starter's auto-configuration on an in-process ZeroTier: it joins the test network at
 * start-up, serves its controller on its ZeroTier address (a second node calls it over ZeroTier; actuator stays on the
 * OS stack on its own management port), health and /actuator/zerotier report its node ID, network status and address, write operations are
 * refused by default, and deauthorizing the node turns health DOWN with the reason until it is authorized again.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true",
    "zerotier.server.enabled=true",
    "management.server.port=0",
    "management.endpoints.web.exposure.include=health,zerotier",
    "management.endpoint.health.show-details=always"
})
@LocalZeroTierTest
class LocalZeroTierSpringBootTest {

  @SpringBootApplication
  static class App {
    @Bean
    EventRecorder eventRecorder() {
      return new EventRecorder();
    }

    @RestController
    static class Hello {
      @GetMapping("/hello")
      String hello() {
        return "hello";
      }
    }
  }

  static class EventRecorder {
    final List<ZeroTierEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(ZeroTierEvent event) {
      events.add(event);
    }
  }

  @LocalServerPort int port;
  @LocalManagementPort int managementPort;
  @Autowired LocalZeroTierNetwork zerotier;
  @Autowired ZeroTierNode node;
  @Autowired EventRecorder recorder;
  @Autowired MeterRegistry registry;

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void joinsReportsAndFollowsAuthorization() throws Exception {
    String nodeId = zerotier.applicationNodeIdString();
    String nwid = zerotier.networkIdString();
    assertThat(node.nodeIdString()).isEqualTo(nodeId);

    // Start-up waited for the network: health is UP at once.
    JsonNode health = get("/actuator/health/zerotier");
    assertThat(health.path("status").asString()).isEqualTo("UP");
    assertThat(health.path("details").path("nodeId").asString()).isEqualTo(nodeId);
    JsonNode network = health.path("details").path("networks").path(nwid);
    assertThat(network.path("status").asString()).isEqualTo("OK");
    assertThat(network.path("addresses").get(0).asString()).startsWith("10.147.17.");

    JsonNode endpoint = get("/actuator/zerotier");
    assertThat(endpoint.path("nodeId").asString()).isEqualTo(nodeId);
    assertThat(endpoint.path("online").asBoolean()).isTrue();
    assertThat(endpoint.path("networks").get(0).path("id").asString()).isEqualTo(nwid);
    assertThat(endpoint.path("networks").get(0).path("status").asString()).isEqualTo("OK");
    assertThat(endpoint.path("networks").get(0).path("addresses").get(0).asString()).startsWith("10.147.17.");
    assertThat(endpoint.path("peers").findValuesAsString("role")).contains("PLANET");
    assertThat(get("/actuator/zerotier/" + nwid).path("status").asString()).isEqualTo("OK");

    // The application's server listens on its ZeroTier address; a second node calls it over ZeroTier.
    String appAddress = endpoint.path("networks").get(0).path("addresses").get(0).asString().split("/")[0];
    try (ZeroTierNode client = zerotier.localZeroTier().nodeBuilder().build()) {
      zerotier.authorize(client.nodeId());
      client.start();
      client.awaitNetworkReady(zerotier.networkId(), Duration.ofSeconds(60));
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(client.netstack(), "test-client", 1);
      try {
        WebClient overZeroTier = WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().runOn(loops)))
            .build();
        String hello = overZeroTier.get().uri("http://" + appAddress + ":" + port + "/hello").retrieve()
            .bodyToMono(String.class).block(Duration.ofSeconds(30));
        assertThat(hello).isEqualTo("hello");
      } finally {
        loops.dispose();
      }
    }

    // The SDK's events arrived in order during start-up.
    List<Class<?>> types = new ArrayList<>();
    recorder.events.forEach(e -> types.add(e.getClass()));
    assertThat(types).containsSubsequence(ZeroTierEvent.NodeOnline.class, ZeroTierEvent.AddressAdded.class,
        ZeroTierEvent.NetworkReadyIpv4.class);

    assertThat(registry.get("zerotier.node.online").gauge().value()).isEqualTo(1);
    assertThat(registry.get("zerotier.network.ready").tag("network", nwid).gauge().value()).isEqualTo(1);
    // Real traffic is counted: packets by verb, UDP datagrams, and the second node's HTTP connection was accepted.
    assertThat(registry.get("zerotier.packets").tag("direction", "in").functionCounters().stream()
        .mapToDouble(c -> c.count()).sum()).isPositive();
    assertThat(registry.get("zerotier.packets").tags("direction", "out", "verb", "frame").functionCounter().count()
        + registry.get("zerotier.packets").tags("direction", "out", "verb", "ext_frame").functionCounter().count())
        .isPositive();
    assertThat(registry.get("zerotier.datagrams").tag("direction", "in").functionCounter().count()).isPositive();
    assertThat(registry.get("zerotier.tcp.connections.opened").tag("side", "passive").functionCounter().count())
        .isGreaterThanOrEqualTo(1);
    assertThat(registry.get("zerotier.tcp.bytes").tag("direction", "out").functionCounter().count()).isPositive();
    assertThat(registry.get("zerotier.mac.failures").functionCounter().count()).isZero();

    // Writes are refused without management.endpoint.zerotier.access=unrestricted.
    assertThat(postStatus("/actuator/zerotier/8056c2e21c000099")).isGreaterThanOrEqualTo(400);
    assertThat(node.network(0x8056c2e21c000099L)).isNull();

    // Deauthorize: DOWN with the reason, without restart; re-authorize: UP again.
    zerotier.deauthorizeApplication();
    JsonNode down = awaitHealth(h -> "DOWN".equals(h.path("status").asString()));
    assertThat(down.path("details").path("reasons").get(0).asString())
        .isEqualTo("ACCESS_DENIED: authorize node " + nodeId + " on network " + nwid);
    zerotier.authorizeApplication();
    JsonNode up = awaitHealth(h -> "UP".equals(h.path("status").asString()));
    assertThat(up.path("details").path("networks").path(nwid).path("status").asString()).isEqualTo("OK");
  }

  private JsonNode awaitHealth(Predicate<JsonNode> condition) throws Exception {
    // Bounded by the controller's config push and the node's config refresh; polled, not timed.
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get("/actuator/health/zerotier");
      if (condition.test(last)) {
        return last;
      }
      Thread.sleep(250);
    }
    throw new AssertionError("health never matched; last: " + last);
  }

  private JsonNode get(String path) {
    String body = WebClient.create("http://127.0.0.1:" + managementPort).get().uri(path).retrieve()
        .onStatus(s -> s.value() == 503, r -> reactor.core.publisher.Mono.empty()) // DOWN is 503 with a body
        .bodyToMono(String.class).block(Duration.ofSeconds(10));
    return json.readTree(body);
  }

  private int postStatus(String path) {
    try {
      WebClient.create("http://127.0.0.1:" + managementPort).post().uri(path).retrieve().toBodilessEntity()
          .block(Duration.ofSeconds(10));
      return 200;
    } catch (WebClientResponseException e) {
      return e.getStatusCode().value();
    }
  }
}
