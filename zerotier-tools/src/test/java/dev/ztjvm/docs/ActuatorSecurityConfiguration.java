package dev.ztjvm.docs;

// The actuator security shown in docs/spring-boot.md, imports included (compiled only).
// region actuator-security
import org.springframework.boot.security.autoconfigure.actuate.web.reactive.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;

@Configuration
class ActuatorSecurityConfiguration {

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
}
// endregion
