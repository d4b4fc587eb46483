package dev.ztjvm.spring.boot.autoconfigure.web;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import dev.ztjvm.spring.boot.web.ZeroTierAdditionalWebServer;
import dev.ztjvm.spring.boot.web.ZeroTierNodeLoopResources;
import dev.ztjvm.spring.boot.web.ZeroTierServerBinding;
import java.util.List;
import java.util.function.IntSupplier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.http.server.reactive.HttpHandler;

/**
 * {@code zerotier.server.enabled=true}: the application's reactive Netty server listens on the node's ZeroTier stack
 * instead of the OS stack, at {@code server.port}, and serves the addresses of {@code zerotier.server.network-id}
 * (default the first configured network).
 *
 * <p>Boot's Netty factory calls {@code runOn(resourceFactory.getLoopResources())} after every
 * {@code NettyServerCustomizer}, which would undo ours, so the customizer removes the factory's resource factory
 * first. The server binds the wildcard address of the node's own stack ({@link ZeroTierServerBinding}): the start never
 * fails because the network is not ready yet (e.g. waiting for authorization), and the server answers on the network's
 * address as soon as it is assigned, without a restart. A management server on its own {@code management.server.port}
 * is a child context without this customizer and stays on the OS stack.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class, afterName = "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({NettyReactiveWebServerFactory.class, ZeroTierLoopResources.class})
@ConditionalOnBooleanProperty("zerotier.server.enabled")
@ConditionalOnBean(ZeroTierNode.class)
public final class ZeroTierReactiveWebServerAutoConfiguration {

  @Bean(destroyMethod = "dispose")
  @ConditionalOnMissingBean
  ZeroTierNodeLoopResources zeroTierServerLoopResources(ZeroTierNode node) {
    return new ZeroTierNodeLoopResources(node, "zerotier-http");
  }

  @Bean
  @ConditionalOnMissingBean
  ZeroTierServerBinding zeroTierServerBinding(ZeroTierNode node, ZeroTierProperties properties,
      ObjectProvider<SelfHostedZeroTier> selfHosted) {
    return new ZeroTierServerBinding(node,
        serverNetwork(properties, ZeroTierAutoConfiguration.networkIds(properties, selfHosted)));
  }

  @Bean
  @ConditionalOnProperty(name = "zerotier.server.mode", havingValue = "replace", matchIfMissing = true)
  WebServerFactoryCustomizer<NettyReactiveWebServerFactory> zeroTierNettyServerCustomizer(
      ZeroTierNodeLoopResources loops, ZeroTierServerBinding binding) {
    return factory -> {
      factory.setResourceFactory(null);
      factory.addServerCustomizers(server -> server.runOn(loops)
          .bindAddress(() -> binding.bindAddress(factory.getPort()))
          .doOnConnection(connection -> {
            if (!binding.accepts(connection.channel().localAddress())) {
              connection.dispose(); // an address of another joined network
            }
          }));
    };
  }

  /** Tells the binding the port once the (ZeroTier) web server listens, so it can announce the URL. */
  @Bean
  @ConditionalOnProperty(name = "zerotier.server.mode", havingValue = "replace", matchIfMissing = true)
  ApplicationListener<WebServerInitializedEvent> zeroTierServerStartedListener(ZeroTierServerBinding binding) {
    return event -> {
      if (!"management".equals(event.getApplicationContext().getServerNamespace())) {
        binding.serverStarted(event.getWebServer().getPort());
      }
    };
  }

  @Bean
  @ConditionalOnProperty(name = "zerotier.server.mode", havingValue = "additional")
  @ConditionalOnMissingBean
  ZeroTierAdditionalWebServer zeroTierAdditionalWebServer(ZeroTierServerBinding binding,
      ZeroTierNodeLoopResources loops, ZeroTierProperties properties, ObjectProvider<HttpHandler> handler,
      ApplicationContext context) {
    Integer configured = properties.server().port();
    IntSupplier port = configured != null ? configured::intValue : () -> {
      if (context instanceof WebServerApplicationContext web && web.getWebServer() != null) {
        return web.getWebServer().getPort();
      }
      throw new IllegalStateException("zerotier.server.mode=additional needs zerotier.server.port when there is no"
          + " normal web server");
    };
    return new ZeroTierAdditionalWebServer(binding, loops, handler::getObject, port);
  }

  /** The network whose address the server binds: zerotier.server.network-id, else the first configured one. */
  static long serverNetwork(ZeroTierProperties properties, List<Long> networks) {
    String configured = properties.server().networkId();
    if (configured != null) {
      return Long.parseUnsignedLong(configured, 16);
    }
    if (networks.isEmpty()) {
      throw new IllegalStateException("zerotier.server.enabled needs zerotier.network-id, zerotier.server.network-id"
          + " or zerotier.self-hosted.enabled=true");
    }
    return networks.get(0);
  }

}
