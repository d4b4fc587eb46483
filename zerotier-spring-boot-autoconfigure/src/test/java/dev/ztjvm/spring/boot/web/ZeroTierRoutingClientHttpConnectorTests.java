package dev.ztjvm.spring.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import java.net.InetAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import reactor.core.publisher.Mono;

/** The routing decision for names and literals, and that each request goes to exactly one connector. */
class ZeroTierRoutingClientHttpConnectorTests {

  private final ZeroTierNode node = ZeroTierNode.builder().build(); // not started: no networks, no routes
  private final List<String> zeroTierCalls = new ArrayList<>();
  private final List<String> normalCalls = new ArrayList<>();
  private final ClientHttpConnector zeroTier = (m, uri, cb) -> {
    zeroTierCalls.add(uri.getHost());
    return Mono.empty();
  };
  private final ClientHttpConnector normal = (m, uri, cb) -> {
    normalCalls.add(uri.getHost());
    return Mono.empty();
  };
  private final ZeroTierRoutingClientHttpConnector connector = new ZeroTierRoutingClientHttpConnector(
      node, zeroTier, normal, Set.of("Orders.ZT"), List.of("corp.zt", ".lab.example"));

  @Test
  void namesFromTheHostsTableAndDomainsGoOverZeroTier() {
    assertThat(connector.routesOverZeroTier("orders.zt")).isTrue();
    assertThat(connector.routesOverZeroTier("ORDERS.zt.")).isTrue();
    assertThat(connector.routesOverZeroTier("billing.corp.zt")).isTrue();
    assertThat(connector.routesOverZeroTier("corp.zt")).isTrue();
    assertThat(connector.routesOverZeroTier("db.lab.example")).isTrue();
    assertThat(connector.routesOverZeroTier("notcorp.zt")).isFalse();
    assertThat(connector.routesOverZeroTier("example.com")).isFalse();
    assertThat(connector.routesOverZeroTier(null)).isFalse();
  }

  @Test
  void literalsOutsideEveryManagedRouteUseTheNormalStack() {
    // without a joined network no address is a ZeroTier destination
    assertThat(connector.routesOverZeroTier("10.147.17.5")).isFalse();
    assertThat(connector.routesOverZeroTier("[fd00::1]")).isFalse();
    assertThat(connector.routesOverZeroTier("127.0.0.1")).isFalse();
  }

  @Test
  void eachRequestGoesToOneConnector() {
    connector.connect(HttpMethod.GET, URI.create("http://billing.corp.zt/x"), r -> Mono.empty()).block();
    connector.connect(HttpMethod.GET, URI.create("http://127.0.0.1:8080/x"), r -> Mono.empty()).block();
    assertThat(zeroTierCalls).containsExactly("billing.corp.zt");
    assertThat(normalCalls).containsExactly("127.0.0.1");
  }

  @Test
  void createBuildsAZeroTierSideAndCloseReleasesIt() throws Exception {
    try (ZeroTierRoutingClientHttpConnector created = ZeroTierRoutingClientHttpConnector.create(
        node, normal, Map.of("orders.zt", InetAddress.getByName("10.147.17.12")), List.of())) {
      assertThat(created.routesOverZeroTier("orders.zt")).isTrue();
      assertThat(created.routesOverZeroTier("billing.zt")).isFalse();
    }
  }
}
