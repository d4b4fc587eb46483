package dev.ztjvm.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.spring.boot.autoconfigure.web.ZeroTierWebServerGuardAutoConfiguration.ZeroTierWebServerGuard;
import org.junit.jupiter.api.Test;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * The combinations {@code zerotier.server.enabled=true} cannot serve on ZeroTier fail with the way out (and the
 * failure analyzer turns that into the start-up report); the servlet containers are checked end to end by the Tomcat
 * and Jetty tests of zerotier-spring-boot-test.
 */
class ZeroTierWebServerGuardTests {

  private final ClassLoader loader = getClass().getClassLoader();

  @Test
  void withoutANodeNothingIsServedOnTheOsStackInstead() {
    ZeroTierWebServerGuard guard = new ZeroTierWebServerGuard(() -> false, loader);
    assertThatThrownBy(() -> guard.customize(new NettyReactiveWebServerFactory()))
        .isInstanceOf(ZeroTierWebSetupException.class)
        .hasMessageContaining("no ZeroTier node to serve on")
        .hasMessageContaining("Set zerotier.network-id");
  }

  @Test
  void webFluxOnAnotherServerThanNettyIsRefused() {
    ZeroTierWebServerGuard guard = new ZeroTierWebServerGuard(() -> true, loader);
    AbstractReactiveWebServerFactory other = new AbstractReactiveWebServerFactory() {
      @Override
      public WebServer getWebServer(HttpHandler httpHandler) {
        throw new UnsupportedOperationException();
      }
    };
    assertThatThrownBy(() -> guard.customize(other))
        .isInstanceOf(ZeroTierWebSetupException.class)
        .hasMessageContaining("cannot serve WebFlux on")
        .hasMessageContaining("Use Reactor Netty");
  }

  @Test
  void webFluxOnNettyNeedsZeroTierNetty() {
    ZeroTierWebServerGuard without =
        new ZeroTierWebServerGuard(() -> true, new FilteredClassLoader("dev.ztjvm.netty"));
    assertThatThrownBy(() -> without.customize(new NettyReactiveWebServerFactory()))
        .isInstanceOf(ZeroTierWebSetupException.class)
        .hasMessageContaining("needs the module dev.ztjvm:zerotier-netty");
    assertThatNoException().isThrownBy(() -> new ZeroTierWebServerGuard(() -> true, loader).customize(
        new NettyReactiveWebServerFactory()));
  }

  @Test
  void theAnalyzerReportsTheProblemAndTheWayOut() {
    FailureAnalysis analysis = new ZeroTierWebSetupFailureAnalyzer()
        .analyze(new IllegalStateException("wrapped", new ZeroTierWebSetupException("the problem", "the way out")));
    org.assertj.core.api.Assertions.assertThat(analysis.getDescription()).isEqualTo("the problem");
    org.assertj.core.api.Assertions.assertThat(analysis.getAction()).isEqualTo("the way out");
  }
}
