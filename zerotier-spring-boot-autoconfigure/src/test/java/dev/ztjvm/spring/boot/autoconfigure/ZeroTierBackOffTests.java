package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.spring.boot.TestZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierNodeLifecycle;
import dev.ztjvm.spring.boot.autoconfigure.central.ZeroTierCentralAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.endpoint.ZeroTierEndpointAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.health.ZeroTierHealthContributorAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.metrics.ZeroTierMetricsAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.selfhosted.ZeroTierSelfHostedAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.web.ZeroTierClientAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.web.ZeroTierReactiveWebServerAutoConfiguration;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint;
import dev.ztjvm.spring.boot.event.ZeroTierEventBridge;
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
      .withBean(TestZeroTierNode.class, () -> new TestZeroTierNode(0x89e92ceee5L))
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
    runner.withClassLoader(new FilteredClassLoader("org.springframework.web.reactive",
            "org.springframework.http.client.reactive", "org.springframework.boot.actuate",
            "org.springframework.boot.health", "io.micrometer", "reactor.netty"))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(ZeroTierNodeLifecycle.class).hasSingleBean(ZeroTierEventBridge.class);
          assertThat(context).doesNotHaveBean(ZeroTierHealthIndicator.class).doesNotHaveBean(ZeroTierEndpoint.class)
              .doesNotHaveBean(ZeroTierMetrics.class).doesNotHaveBean(ZeroTierRoutingClientHttpConnector.class);
          assertThat(context.getBean(TestZeroTierNode.class).calls()).contains("start", "join 8056c2e21c000001");
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
