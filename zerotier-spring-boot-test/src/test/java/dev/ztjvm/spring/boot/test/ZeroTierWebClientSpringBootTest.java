package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.web.ZeroTierRoutingClientHttpConnector;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@code zerotier.client.enabled=true}: the application's auto-configured {@code WebClient.Builder} reaches a second
 * node's server over ZeroTier (the server sees the application's ZeroTier address) and a plain loopback server over
 * the normal stack (it sees loopback).
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = {
    "zerotier.client.enabled=true",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
class ZeroTierWebClientSpringBootTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  @SpringBootApplication
  static class App {}

  @Autowired WebClient.Builder webClientBuilder;
  @Autowired ClientHttpConnector connector;
  @Autowired LocalZeroTierNetwork zerotier;
  @Autowired ZeroTierNode node;

  @Test
  void webClientRoutesZeroTierDestinationsOverTheNodeAndOthersOverTheNormalStack() throws Exception {
    assertThat(connector).isInstanceOf(ZeroTierRoutingClientHttpConnector.class);
    InetAddress appAddress = node.network(zerotier.networkId()).addresses().get(0).address();
    WebClient client = webClientBuilder.build();

    DisposableServer plain = HttpServer.create().host("127.0.0.1").port(0)
        .route(r -> r.get("/who", (req, res) -> res.sendString(
            Mono.just("plain " + req.remoteAddress().getAddress().getHostAddress()))))
        .bindNow();
    try (ZeroTierNode peer = zerotier.localZeroTier().nodeBuilder().build()) {
      zerotier.authorize(peer.nodeId());
      peer.start();
      NetworkDetails network = peer.awaitNetworkReady(zerotier.networkId(), Duration.ofSeconds(60));
      InetAddress peerAddress = network.ipv4().orElseThrow();
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(peer.netstack(), "peer-server", 1);
      DisposableServer overZeroTier = HttpServer.create().runOn(loops)
          .bindAddress(() -> new InetSocketAddress(peerAddress, 8080))
          .route(r -> r.get("/who", (req, res) -> res.sendString(
              Mono.just("zerotier " + req.remoteAddress().getAddress().getHostAddress()))))
          .bindNow();
      try {
        String viaZeroTier = client.get().uri("http://" + peerAddress.getHostAddress() + ":8080/who").retrieve()
            .bodyToMono(String.class).block(WAIT);
        assertThat(viaZeroTier).isEqualTo("zerotier " + appAddress.getHostAddress());

        String viaNormalStack = client.get().uri("http://127.0.0.1:" + plain.port() + "/who").retrieve()
            .bodyToMono(String.class).block(WAIT);
        assertThat(viaNormalStack).isEqualTo("plain 127.0.0.1");
      } finally {
        overZeroTier.disposeNow();
        loops.dispose();
      }
    } finally {
      plain.disposeNow();
    }
  }
}
