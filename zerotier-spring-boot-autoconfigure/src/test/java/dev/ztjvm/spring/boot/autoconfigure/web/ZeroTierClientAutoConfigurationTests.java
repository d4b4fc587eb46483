package dev.ztjvm.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.web.ZeroTierRoutingClientHttpConnector;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;

class ZeroTierClientAutoConfigurationTests {

  // A node joining a network without controller: these tests check wiring, the @SpringBootTests send requests.
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class, ZeroTierClientAutoConfiguration.class,
          ReactiveHttpClientAutoConfiguration.class, WebClientAutoConfiguration.class))
      .withBean(ZeroTierNode.class, () -> TestZeroTier.get().nodeBuilder().build())
      .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0");

  @Test
  void offByDefaultLeavesBootsConnector() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(ZeroTierRoutingClientHttpConnector.class);
      assertThat(context).hasSingleBean(ClientHttpConnector.class);
      assertThat(context).doesNotHaveBean("zeroTierWebClientCustomizer");
    });
  }

  @Test
  void enabledReplacesBootsConnectorAndCustomizesTheWebClientBuilder() {
    runner.withPropertyValues("zerotier.client.enabled=true", "zerotier.client.hosts[orders.zt]=10.147.17.12",
        "zerotier.client.domains=corp.zt")
        .run(context -> {
          assertThat(context).hasSingleBean(ClientHttpConnector.class);
          ZeroTierRoutingClientHttpConnector connector = context.getBean(ZeroTierRoutingClientHttpConnector.class);
          assertThat(connector.routesOverZeroTier("orders.zt")).isTrue();
          assertThat(connector.routesOverZeroTier("a.corp.zt")).isTrue();
          assertThat(connector.routesOverZeroTier("example.com")).isFalse();
          assertThat(context).hasBean("zeroTierWebClientCustomizer");
          assertThat(context.getBeansOfType(WebClientCustomizer.class)).isNotEmpty();
          assertThat(context.getBean(WebClient.Builder.class)).isNotNull();
        });
  }

  @Test
  void hostThatIsNotAnAddressFailsNamingTheProperty() {
    runner.withPropertyValues("zerotier.client.enabled=true", "zerotier.client.hosts[orders.zt]=orders.example.com")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(
              org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("zerotier.client.hosts[orders.zt]").hasMessageContaining("ZeroTier IP");
        });
  }

  @Test
  void aMissingModuleFailsStartUpNamingIt() {
    runner.withPropertyValues("zerotier.client.enabled=true")
        .withClassLoader(new FilteredClassLoader(ZeroTierLoopResources.class))
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(ZeroTierWebSetupException.class)
            .hasMessageContaining("needs the module dev.ztjvm:zerotier-netty"));
    runner.withPropertyValues("zerotier.client.enabled=true")
        .withClassLoader(new FilteredClassLoader(reactor.netty.http.client.HttpClient.class))
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(ZeroTierWebSetupException.class)
            .hasMessageContaining("needs the module io.projectreactor.netty:reactor-netty-http"));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierClientAutoConfiguration.class))
        .withBean(ZeroTierNode.class, () -> TestZeroTier.get().nodeBuilder().build())
        .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0",
            "zerotier.client.enabled=true")
        .withClassLoader(new FilteredClassLoader("org.springframework.boot.webclient",
            "org.springframework.boot.restclient"))
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(ZeroTierWebSetupException.class)
            .hasMessageContaining("neither Boot's WebClient nor its RestClient")
            .hasMessageContaining("org.springframework.boot:spring-boot-restclient"));
  }

  @Test
  void withoutANodeClientRoutingFailsStartUp() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierClientAutoConfiguration.class))
        .withPropertyValues("zerotier.client.enabled=true")
        .run(context -> assertThat(context.getStartupFailure()).rootCause()
            .isInstanceOf(ZeroTierWebSetupException.class)
            .hasMessageContaining("no ZeroTier node to send requests over")
            .hasMessageContaining("Set zerotier.network-id"));
  }
}
