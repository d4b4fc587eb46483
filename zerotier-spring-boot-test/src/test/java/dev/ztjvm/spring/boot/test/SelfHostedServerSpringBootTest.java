package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import java.net.InetAddress;
import java.nio.file.Path;
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
 * Self-hosted mode with the web server on ZeroTier (what a standalone demo app does): the app serves on its address
 * in its own network, and a second node built only from the join details (planet file, network ID), authorized
 * through the Central-compatible API, calls it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.self-hosted.enabled=true",
    "zerotier.server.enabled=true",
    "zerotier.port=0",
    "zerotier.bind-addresses=127.0.0.1",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
class SelfHostedServerSpringBootTest {

  @SpringBootApplication
  static class App {
    @RestController
    static class Hello {
      @GetMapping("/hello")
      String hello() {
        return "hello from the self-hosted app";
      }
    }
  }

  @LocalServerPort int port;
  @Autowired SelfHostedJoinDetails details;
  @Autowired SelfHostedZeroTier selfHosted;
  @Autowired ZeroTierNode node;
  @Autowired dev.ztjvm.central.ZeroTierCentralClient central;

  @Test
  void secondNodeJoinsFromTheJoinDetailsAndCallsTheApp() throws Exception {
    long nwid = Long.parseUnsignedLong(details.networkId(), 16);
    InetAddress appAddress = node.network(nwid).addresses().get(0).address();
    try (ZeroTierNode second = ZeroTierNode.builder().planetFile(Path.of(details.planetFile()))
        .bindAddress(InetAddress.getLoopbackAddress()).allowLoopbackPaths(true).build()) {
      second.start();
      second.join(nwid);
      central.authorizeMember(details.networkId(), second.nodeIdString()).block(Duration.ofSeconds(30));
      second.awaitNetworkReady(nwid, Duration.ofSeconds(60));
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(second.netstack(), "second-client", 1);
      try {
        String hello = WebClient.builder()
            .clientConnector(new ReactorClientHttpConnector(HttpClient.create().runOn(loops))).build()
            .get().uri("http://" + appAddress.getHostAddress() + ":" + port + "/hello").retrieve()
            .bodyToMono(String.class).block(Duration.ofSeconds(30));
        assertThat(hello).isEqualTo("hello from the self-hosted app");
      } finally {
        loops.dispose();
      }
    }
  }
}
