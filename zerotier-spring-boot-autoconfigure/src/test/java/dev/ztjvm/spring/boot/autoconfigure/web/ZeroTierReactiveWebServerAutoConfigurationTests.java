package dev.ztjvm.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.web.ZeroTierNodeLoopResources;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.http.client.ReactorResourceFactory;

class ZeroTierReactiveWebServerAutoConfigurationTests {

  // A node joining a network without controller (it never gets an address); the @SpringBootTests serve requests.
  private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierReactiveWebServerAutoConfiguration.class))
      .withBean(ZeroTierNode.class, () -> TestZeroTier.get().nodeBuilder().build())
      .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0",
          "spring.main.lazy-initialization=false");

  @Test
  void offByDefault() {
    runner.run(context -> {
      assertThat(context).doesNotHaveBean(ZeroTierNodeLoopResources.class);
      assertThat(context).doesNotHaveBean("zeroTierNettyServerCustomizer");
    });
  }

  @Test
  void additionalModeKeepsTheNormalBindingAndAddsASecondServer() {
    // The node here never gets an address: the second server (a SmartLifecycle) still starts, listening on the node's
    // own stack, and would serve once the network is ready; ZeroTierAdditionalServerSpringBootTest serves requests.
    runner.withPropertyValues("zerotier.server.enabled=true", "zerotier.server.mode=additional",
        "zerotier.server.port=1")
        .withBean(org.springframework.http.server.reactive.HttpHandler.class,
            () -> (request, response) -> response.setComplete())
        .run(context -> {
          assertThat(context).hasNotFailed();
          var server = context.getBean(dev.ztjvm.spring.boot.web.ZeroTierAdditionalWebServer.class);
          assertThat(server.isRunning()).isTrue();
          assertThat(server.address()).isNotNull().satisfies(a -> {
            assertThat(a.getAddress().isAnyLocalAddress()).as("wildcard of the node's stack").isTrue();
            assertThat(a.getPort()).isEqualTo(1);
          });
        });
    runner.withPropertyValues("zerotier.server.enabled=true", "zerotier.server.mode=additional")
        .withBean(dev.ztjvm.spring.boot.web.ZeroTierAdditionalWebServer.class, () -> null)
        .run(context -> assertThat(context).doesNotHaveBean("zeroTierNettyServerCustomizer"));
    runner.withPropertyValues("zerotier.server.enabled=true").run(context -> assertThat(context)
        .doesNotHaveBean(dev.ztjvm.spring.boot.web.ZeroTierAdditionalWebServer.class)
        .hasBean("zeroTierNettyServerCustomizer"));
  }

  @Test
  void badServerPortFailsNamingTheProperty() {
    runner.withPropertyValues("zerotier.server.enabled=true", "zerotier.server.mode=additional",
        "zerotier.server.port=-1").run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause()
              .isInstanceOf(
                  org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("zerotier.server.port").hasMessageContaining("reuse server.port");
        });
  }

  @Test
  @SuppressWarnings("unchecked")
  void enabledCustomizerDropsTheResourceFactorySoItsRunOnIsNotOverridden() {
    runner.withPropertyValues("zerotier.server.enabled=true").run(context -> {
      assertThat(context).hasSingleBean(ZeroTierNodeLoopResources.class).hasBean("zeroTierNettyServerCustomizer");
      NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory(0);
      factory.setResourceFactory(new ReactorResourceFactory());
      int before = factory.getServerCustomizers().size();
      ((WebServerFactoryCustomizer<NettyReactiveWebServerFactory>) context.getBean("zeroTierNettyServerCustomizer"))
          .customize(factory);
      assertThat(factory.getServerCustomizers()).hasSize(before + 1);
      assertThat(readResourceFactory(factory)).isNull();
    });
  }

  @Test
  void absentWithoutZerotierNetty() {
    runner.withPropertyValues("zerotier.server.enabled=true")
        .withClassLoader(new FilteredClassLoader(ZeroTierLoopResources.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("zeroTierNettyServerCustomizer");
        });
  }

  @Test
  void absentWithoutReactorNettyServer() {
    runner.withPropertyValues("zerotier.server.enabled=true")
        .withClassLoader(new FilteredClassLoader(NettyReactiveWebServerFactory.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("zeroTierNettyServerCustomizer");
        });
  }

  @Test
  void absentInNonReactiveApplications() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierReactiveWebServerAutoConfiguration.class))
        .withBean(ZeroTierNode.class, () -> TestZeroTier.get().nodeBuilder().build())
        .withPropertyValues("zerotier.server.enabled=true", "zerotier.startup.timeout=0")
        .run(context -> assertThat(context).doesNotHaveBean("zeroTierNettyServerCustomizer"));
  }

  private static Object readResourceFactory(NettyReactiveWebServerFactory factory) throws Exception {
    var field = NettyReactiveWebServerFactory.class.getDeclaredField("resourceFactory");
    field.setAccessible(true);
    return field.get(factory);
  }
}
