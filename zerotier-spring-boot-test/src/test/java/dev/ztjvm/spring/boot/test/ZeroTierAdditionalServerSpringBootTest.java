package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.web.ZeroTierAdditionalWebServer;
import java.net.InetAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * {@code zerotier.server.mode=additional}: the same WebFlux handler answers on loopback (normal server, OS stack) and
 * on the node's ZeroTier address (second server, same port), each seeing its own kind of caller.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.server.enabled=true",
    "zerotier.server.mode=additional",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
class ZeroTierAdditionalServerSpringBootTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @SpringBootApplication
  static class App {
    @RestController
    static class Who {
      @GetMapping("/who")
      String who(org.springframework.http.server.reactive.ServerHttpRequest request) {
        return "hello " + request.getRemoteAddress().getAddress().getHostAddress();
      }
    }
  }

  @LocalServerPort int port;
  @Autowired LocalZeroTierNetwork zerotier;
  @Autowired ZeroTierNode node;
  @Autowired ZeroTierAdditionalWebServer additional;

  @Test
  void sameHandlerOnTheOsStackAndOnZeroTier() throws Exception {
    InetAddress appAddress = node.network(zerotier.networkId()).addresses().get(0).address();
    // It listens on the node's own stack (its wildcard: the network's address, also before it is assigned), at the
    // normal server's port; the peer below reaches it at appAddress.
    assertThat(additional.address()).isNotNull();
    assertThat(additional.address().getAddress().isAnyLocalAddress()).isTrue();
    assertThat(additional.address().getPort()).isEqualTo(port);

    String local = WebClient.create("http://127.0.0.1:" + port).get().uri("/who").retrieve()
        .bodyToMono(String.class).block(WAIT);
    assertThat(local).isEqualTo("hello 127.0.0.1");

    try (ZeroTierNode peer = zerotier.localZeroTier().nodeBuilder().build()) {
      zerotier.authorize(peer.nodeId());
      peer.start();
      InetAddress peerAddress = peer.awaitNetworkReady(zerotier.networkId(), Duration.ofSeconds(60)).ipv4()
          .orElseThrow();
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(peer.netstack(), "peer-client", 1);
      try {
        String overZeroTier = WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().runOn(loops))).build()
            .get().uri("http://" + appAddress.getHostAddress() + ":" + port + "/who").retrieve()
            .bodyToMono(String.class).block(WAIT);
        assertThat(overZeroTier).isEqualTo("hello " + peerAddress.getHostAddress());
      } finally {
        loops.dispose();
      }
    }
  }
}
