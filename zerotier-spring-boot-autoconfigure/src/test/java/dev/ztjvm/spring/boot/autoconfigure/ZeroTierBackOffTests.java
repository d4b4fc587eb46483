package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.ZeroTierNodeLifecycle;
import dev.ztjvm.spring.boot.autoconfigure.central.ZeroTierCentralAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.endpoint.ZeroTierEndpointAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.health.ZeroTierHealthContributorAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.metrics.ZeroTierMetricsAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.selfhosted.ZeroTierSelfHostedAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.web.ZeroTierClientAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.web.ZeroTierReactiveWebServerAutoConfiguration;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint;
import dev.ztjvm.spring.boot.event.ZeroTierEventPublisher;
import dev.ztjvm.spring.boot.health.ZeroTierHealthIndicator;
import dev.ztjvm.spring.boot.metrics.ZeroTierMetrics;
import dev.ztjvm.spring.boot.web.ZeroTierRoutingClientHttpConnector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Every auto-configuration together: with WebFlux/WebClient, actuator, health and Micrometer absent the node is still
 * managed and the optional parts back off without errors.
 */
class ZeroTierBackOffTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierHealthContributorAutoConfiguration.class, ZeroTierEndpointAutoConfiguration.class,
          ZeroTierMetricsAutoConfiguration.class, ZeroTierCentralAutoConfiguration.class,
          ZeroTierReactiveWebServerAutoConfiguration.class, ZeroTierClientAutoConfiguration.class,
          ZeroTierSelfHostedAutoConfiguration.class))
      .withBean(ZeroTierNode.class, () -> TestZeroTier.get().nodeBuilder().build())
      .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0",
          "zerotier.client.enabled=true", "zerotier.server.enabled=true",
          "management.endpoints.web.exposure.include=zerotier");

  @Test
  void withEverythingPresentTheOptionalPartsAreThere() {
    runner.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(ZeroTierHealthIndicator.class).hasSingleBean(ZeroTierEndpoint.class)
          .hasSingleBean(ZeroTierMetrics.class);
    });
  }

  @Test
  void withoutWebFluxActuatorHealthAndMicrometerOnlyTheNodeIsManaged() {
    // Client routing is off here: enabled without Reactor Netty it fails start-up naming the module (see
    // ZeroTierClientAutoConfigurationTests).
    runner.withPropertyValues("zerotier.client.enabled=false").withClassLoader(new FilteredClassLoader(
        "org.springframework.web.reactive",
        "org.springframework.http.client.reactive", "org.springframework.boot.actuate",
        "org.springframework.boot.health", "io.micrometer", "reactor.netty"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(ZeroTierNodeLifecycle.class).hasSingleBean(ZeroTierEventPublisher.class);
          assertThat(context).doesNotHaveBean(ZeroTierHealthIndicator.class).doesNotHaveBean(ZeroTierEndpoint.class)
              .doesNotHaveBean(ZeroTierMetrics.class).doesNotHaveBean(ZeroTierRoutingClientHttpConnector.class);
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          assertThat(node.isRunning()).isTrue();
          assertThat(node.network(0x8056c2e21c000001L)).isNotNull();
        });
  }

  @Test
  void withoutWebFluxClientTheConnectorBacksOff() {
    runner.withClassLoader(new FilteredClassLoader("org.springframework.http.client.reactive"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(ZeroTierRoutingClientHttpConnector.class)
              .hasSingleBean(ZeroTierEndpoint.class);
        });
  }
}
