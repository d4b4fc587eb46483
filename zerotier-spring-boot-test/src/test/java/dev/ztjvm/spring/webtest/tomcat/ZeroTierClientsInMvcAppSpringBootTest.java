package dev.ztjvm.spring.webtest.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.test.LocalZeroTierNetwork;
import dev.ztjvm.spring.boot.test.LocalZeroTierTest;
import dev.ztjvm.spring.webtest.support.PeerHttpServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.support.RestClientAdapter;
import org.springframework.web.client.support.RestClientHttpServiceGroupConfigurer;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.service.annotation.GetExchange;
import org.springframework.web.service.invoker.HttpServiceProxyFactory;
import org.springframework.web.service.registry.HttpServiceGroupConfigurer;
import org.springframework.web.service.registry.ImportHttpServices;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@code zerotier.client.enabled=true} in a Spring MVC application whose only ZeroTier dependency is the starter (this
 * execution's class path: the starter, spring-boot-starter-webmvc, test libraries): {@code RestClient}, HTTP interface
 * clients ({@code @ImportHttpServices} groups and proxies built by hand on Boot's builder) and {@code WebClient}, all
 * from Boot's auto-configured builders, reach a second node's server over ZeroTier — the server sees the application's
 * ZeroTier address — while other destinations keep the normal network stack.
 */
@SpringBootTest(classes = ZeroTierClientsInMvcAppSpringBootTest.ClientsApp.class, webEnvironment = WebEnvironment.NONE, properties = {
    "zerotier.client.enabled=true",
    "zerotier.startup.timeout=60s",
    "zerotier.startup.fail-on-timeout=true"
})
@LocalZeroTierTest
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ZeroTierClientsInMvcAppSpringBootTest {

  private static final Duration WAIT = Duration.ofSeconds(30);

  /** An HTTP interface as an application declares it. */
  interface WhoApi {
    @GetExchange("/who")
    String who();
  }

  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  @ImportHttpServices(group = "peer", types = WhoApi.class)
  static class ClientsApp {

    @Bean(destroyMethod = "close")
    PeerHttpServer peerHttpServer(LocalZeroTierNetwork zerotier) throws Exception {
      return PeerHttpServer.start(zerotier);
    }

    /** The group's base URL is the peer's, known only once it has joined. */
    @Bean
    RestClientHttpServiceGroupConfigurer peerBaseUrl(PeerHttpServer peer) {
      return groups -> groups.filterByName("peer").forEachClient(
          (HttpServiceGroupConfigurer.ClientCallback<RestClient.Builder>) (group, builder) -> builder.baseUrl(peer
              .url()));
    }
  }

  @Autowired RestClient.Builder restClientBuilder;
  @Autowired WebClient.Builder webClientBuilder;
  @Autowired WhoApi whoApi;
  @Autowired PeerHttpServer peer;
  @Autowired ZeroTierNode node;
  @Autowired LocalZeroTierNetwork zerotier;

  private String appAddress;
  private DisposableServer plain;

  @BeforeAll
  void plainServerAndAppAddress() {
    appAddress = node.network(zerotier.networkId()).ipv4().orElseThrow().getHostAddress();
    plain = HttpServer.create().host("127.0.0.1").port(0)
        .route(r -> r.get("/who", (req, res) -> res.sendString(
            Mono.just("plain " + req.remoteAddress().getAddress().getHostAddress()))))
        .bindNow();
  }

  @AfterAll
  void stopPlainServer() {
    plain.disposeNow();
  }

  @Test
  void restClientFromBootsBuilder() {
    RestClient client = restClientBuilder.build();
    assertThat(client.get().uri(peer.url() + "/who").retrieve().body(String.class))
        .isEqualTo("zerotier " + appAddress);
    assertThat(client.get().uri("http://127.0.0.1:" + plain.port() + "/who").retrieve().body(String.class))
        .isEqualTo("plain 127.0.0.1");
  }

  @Test
  void httpInterfaceClients() {
    assertThat(whoApi.who()).as("@ImportHttpServices group").isEqualTo("zerotier " + appAddress);
    WhoApi byHand = HttpServiceProxyFactory
        .builderFor(RestClientAdapter.create(restClientBuilder.baseUrl(peer.url()).build())).build()
        .createClient(WhoApi.class);
    assertThat(byHand.who()).as("proxy on Boot's RestClient.Builder").isEqualTo("zerotier " + appAddress);
  }

  @Test
  void webClientFromBootsBuilderInAnMvcApp() {
    WebClient client = webClientBuilder.build();
    assertThat(client.get().uri(peer.url() + "/who").retrieve().bodyToMono(String.class).block(WAIT))
        .isEqualTo("zerotier " + appAddress);
    assertThat(client.get().uri("http://127.0.0.1:" + plain.port() + "/who").retrieve().bodyToMono(String.class)
        .block(WAIT)).isEqualTo("plain 127.0.0.1");
  }
}
