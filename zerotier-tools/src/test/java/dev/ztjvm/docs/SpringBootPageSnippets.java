package dev.ztjvm.docs;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * The Java code shown in {@code docs/spring-boot.md}. Compiled only, never run: the {@code @SpringBootTest} class is
 * nested (surefire excludes nested classes, and this holder's name matches none of its includes).
 */
final class SpringBootPageSnippets {

  private SpringBootPageSnippets() {}

  static final class ActuatorSecurity {

    // region actuator-security
    @Bean
    SecurityWebFilterChain actuatorSecurity(ServerHttpSecurity http) {
      return http
          .securityMatcher(EndpointRequest.toAnyEndpoint())
          .authorizeExchange(exchanges -> exchanges
              .matchers(EndpointRequest.to("health")).permitAll()
              .matchers(EndpointRequest.to("zerotier", "zerotiercentral")).hasRole("NETWORK_ADMIN")
              .anyExchange().denyAll())
          .httpBasic(Customizer.withDefaults())
          .csrf(ServerHttpSecurity.CsrfSpec::disable)   // actuator POSTs come from scripts, not browsers
          .build();
    }
    // endregion
  }

  static final class Clients {

    // region webclient
    @Bean
    WebClient orders(WebClient.Builder builder) {
      return builder.baseUrl("http://10.147.17.12:8080").build();   // over ZeroTier; https://api.example.com stays normal
    }
    // endregion
  }

  static void secondNode(SelfHostedJoinDetails details) throws Exception {
    // region second-node
    long networkId = Long.parseUnsignedLong(details.networkId(), 16);
    try (ZeroTierNode second = ZeroTierNode.builder().planetFile(Path.of(details.planetFile()))
            .bindAddress(InetAddress.getLoopbackAddress()).allowLoopbackPaths(true).build()) {
      second.start();
      second.join(networkId);
      // authorize it: POST {centralApiUrl}/network/{networkId}/member/{nodeId} {"config":{"authorized":true}}
      second.awaitNetworkReady(networkId, Duration.ofSeconds(30));
    }
    // endregion
  }
}
