package dev.ztjvm.spring.boot.autoconfigure.web;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.web.server.WebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.ClassUtils;

/**
 * {@code zerotier.server.enabled=true}: checks, before the web server is created, that it can actually be served on
 * ZeroTier, and fails start-up with the way out otherwise — never a silent fallback to the OS network stack, where an
 * application meant for ZeroTier only would be open on every interface.
 *
 * <p>Supported: any embedded servlet container (through the loopback bridge) and WebFlux on Reactor Netty (with
 * {@code zerotier-netty}). Refused: no managed node (no network configured), WebFlux on Tomcat or Jetty, WebFlux on
 * Netty without {@code zerotier-netty}.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class)
@ConditionalOnClass(WebServerFactoryCustomizer.class)
@ConditionalOnBooleanProperty("zerotier.server.enabled")
@ConditionalOnBooleanProperty(name = "zerotier.enabled", matchIfMissing = true)
public final class ZeroTierWebServerGuardAutoConfiguration {

  @Bean
  static ZeroTierWebServerGuard zeroTierWebServerGuard(ObjectProvider<ZeroTierNode> node,
      ResourceLoader resourceLoader) {
    return new ZeroTierWebServerGuard(() -> node.getIfAvailable() != null, resourceLoader.getClassLoader());
  }

  /** Runs first among the web server factory customizers of the main context (not the management child's). */
  static final class ZeroTierWebServerGuard implements WebServerFactoryCustomizer<WebServerFactory>, Ordered {

    private static final String NETTY_FACTORY = "org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory";
    private static final String REACTIVE_FACTORY =
        "org.springframework.boot.web.server.reactive.ReactiveWebServerFactory";
    private static final String ZEROTIER_NETTY = "dev.ztjvm.netty.ZeroTierLoopResources";

    private final BooleanSupplier hasNode;
    private final @Nullable ClassLoader classLoader;

    /**
     * @param hasNode whether the application has a managed node
     * @param classLoader the application's class loader, where the modules are looked for
     */
    ZeroTierWebServerGuard(BooleanSupplier hasNode, @Nullable ClassLoader classLoader) {
      this.hasNode = hasNode;
      this.classLoader = classLoader;
    }

    @Override
    public void customize(WebServerFactory factory) {
      if (!hasNode.getAsBoolean()) {
        throw new ZeroTierWebSetupException(
            "zerotier.server.enabled=true, but there is no ZeroTier node to serve on: no network is configured.",
            "Set zerotier.network-id (or zerotier.networks, or zerotier.self-hosted.enabled=true), or remove"
                + " zerotier.server.enabled to serve on the OS network stack.");
      }
      if (!isInstance(REACTIVE_FACTORY, factory, classLoader)) {
        return; // servlet containers: served through the loopback bridge
      }
      if (!isInstance(NETTY_FACTORY, factory, classLoader)) {
        throw new ZeroTierWebSetupException(
            "zerotier.server.enabled=true cannot serve WebFlux on " + factory.getClass().getSimpleName()
                + " over ZeroTier: a reactive server is served on ZeroTier with Reactor Netty only.",
            "Use Reactor Netty (spring-boot-starter-webflux without the Tomcat or Jetty starter), or serve the"
                + " application with Spring MVC (spring-boot-starter-webmvc), which zerotier.server.enabled serves"
                + " on Tomcat and Jetty.");
      }
      if (!ClassUtils.isPresent(ZEROTIER_NETTY, classLoader)) {
        throw new ZeroTierWebSetupException(
            "zerotier.server.enabled=true needs the module dev.ztjvm:zerotier-netty to serve WebFlux on ZeroTier, and"
                + " it is not on the class path.",
            "Add the dependency dev.ztjvm:zerotier-netty (zerotier-spring-boot-starter brings it), or remove"
                + " zerotier.server.enabled.");
      }
    }

    private static boolean isInstance(String className, Object object, @Nullable ClassLoader loader) {
      return ClassUtils.isPresent(className, loader)
          && ClassUtils.resolveClassName(className, loader).isInstance(object);
    }

    @Override
    public int getOrder() {
      return Ordered.HIGHEST_PRECEDENCE;
    }
  }
}
