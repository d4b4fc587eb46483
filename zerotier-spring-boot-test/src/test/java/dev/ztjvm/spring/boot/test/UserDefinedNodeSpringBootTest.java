package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.spring.boot.health.ZeroTierHealthIndicator;
import dev.ztjvm.spring.boot.metrics.ZeroTierMetrics;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.health.contributor.Status;
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
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The application defines its own {@link ZeroTierNode} bean (the SDK class, built by hand) instead of letting the
 * starter build one from properties: every feature still works on it — start-up and joining, the web server on its
 * ZeroTier address, WebClient routing to ZeroTier destinations, SDK events as Spring events, health and metrics.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.server.enabled=true",
    "zerotier.client.enabled=true",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
class UserDefinedNodeSpringBootTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @SpringBootApplication
  static class App {

    /** The user's node: built from the in-process ZeroTier's builder with the identity the test authorized. */
    @Bean
    ZeroTierNode myNode(LocalZeroTierNetwork zerotier, @Value("${zerotier.identity}") String identity) {
      return zerotier.localZeroTier().nodeBuilder().identity(identity).build();
    }

    @Bean
    Recorder recorder() {
      return new Recorder();
    }

    @RestController
    static class Hello {
      @GetMapping("/hi")
      String hi() {
        return "hi";
      }
    }
  }

  static class Recorder {
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
  @Autowired Recorder recorder;
  @Autowired WebClient.Builder webClientBuilder;
  @Autowired ZeroTierHealthIndicator health;
  @Autowired ZeroTierMetrics metrics;

  @Test
  void theUsersNodeBeanKeepsServerBindingClientRoutingEventsHealthAndMetrics() throws Exception {
    assertThat(node.nodeId()).isEqualTo(zerotier.applicationNodeId());
    NetworkDetails network = node.network(zerotier.networkId());
    assertThat(network).isNotNull();
    InetAddress appAddress = network.ipv4().orElseThrow();
    assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

    DisposableServer plain = HttpServer.create().host("127.0.0.1").port(0)
        .route(r -> r.get("/who", (req, res) -> res.sendString(Mono.just("plain"))))
        .bindNow();
    try (ZeroTierNode peer = zerotier.localZeroTier().nodeBuilder().build()) {
      zerotier.authorize(peer.nodeId());
      peer.start();
      InetAddress peerAddress =
          peer.awaitNetworkReady(zerotier.networkId(), Duration.ofSeconds(60)).ipv4().orElseThrow();
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(peer.netstack(), "peer", 1);
      DisposableServer peerServer = HttpServer.create().runOn(loops)
          .bindAddress(() -> new InetSocketAddress(peerAddress, 8080))
          .route(r -> r.get("/who", (req, res) -> res.sendString(
              Mono.just("zerotier " + req.remoteAddress().getAddress().getHostAddress()))))
          .bindNow();
      try {
        // Server binding: the peer reaches the app's server on the app's ZeroTier address.
        WebClient fromPeer = WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().runOn(loops))).build();
        assertThat(fromPeer.get().uri("http://" + appAddress.getHostAddress() + ":" + port + "/hi").retrieve()
            .bodyToMono(String.class).block(WAIT)).isEqualTo("hi");
        // Actuator is not on ZeroTier: by default it has its own server on loopback (ZeroTierManagementServerDefaults).
        assertThat(fromPeer.get().uri("http://" + appAddress.getHostAddress() + ":" + port + "/actuator/health")
            .exchangeToMono(r -> Mono.just(r.statusCode().value())).block(WAIT)).isEqualTo(404);
        assertThat(managementPort).isPositive().isNotEqualTo(port);
        assertThat(WebClient.create("http://127.0.0.1:" + managementPort).get().uri("/actuator/health").retrieve()
            .bodyToMono(String.class).block(WAIT)).contains("UP");

        // Client routing: the app's WebClient reaches the peer over ZeroTier, and loopback over the OS stack.
        WebClient client = webClientBuilder.build();
        assertThat(client.get().uri("http://" + peerAddress.getHostAddress() + ":8080/who").retrieve()
            .bodyToMono(String.class).block(WAIT)).isEqualTo("zerotier " + appAddress.getHostAddress());
        assertThat(client.get().uri("http://127.0.0.1:" + plain.port() + "/who").retrieve()
            .bodyToMono(String.class).block(WAIT)).isEqualTo("plain");
      } finally {
        peerServer.disposeNow();
        loops.dispose();
      }
    } finally {
      plain.disposeNow();
    }

    // Events: the SDK's records of the user's node arrived as Spring events.
    assertThat(recorder.events).extracting(e -> (Object) e.getClass()).containsSubsequence(
        ZeroTierEvent.NodeUp.class, ZeroTierEvent.NetworkOk.class, ZeroTierEvent.NetworkReadyIpv4.class);
    assertThat(recorder.events).filteredOn(ZeroTierEvent.NodeUp.class::isInstance).first()
        .satisfies(up -> assertThat(((ZeroTierEvent.NodeUp) up).nodeId()).isEqualTo(node.nodeId()));
    var registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
    metrics.bindTo(registry);
    assertThat(registry.get("zerotier.node.online").gauge().value()).isEqualTo(1);
  }
}
