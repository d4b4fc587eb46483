package dev.ztjvm.spring.boot.autoconfigure.web;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import dev.ztjvm.spring.boot.web.servlet.ZeroTierCallerFilter;
import dev.ztjvm.spring.boot.web.servlet.ZeroTierLoopbackBridge;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.server.servlet.ConfigurableServletWebServerFactory;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * {@code zerotier.server.enabled=true} in a servlet application (Tomcat, Jetty, any embedded servlet container): the
 * container cannot bind to the node's userspace stack, so it listens on loopback and a {@link ZeroTierLoopbackBridge}
 * on the node's ZeroTier address splices each connection to it; {@link ZeroTierCallerFilter} makes the ZeroTier caller
 * the request's remote address.
 *
 * <p>{@code replace} mode (default): the container binds {@code 127.0.0.1} on an ephemeral port — never an address
 * other hosts reach — and the ZeroTier listener takes {@code server.port} (with {@code server.port=0}, the container's
 * port number). Requests that did not come through the bridge (other local processes) get {@code 403}. {@code
 * additional} mode: the container keeps its configured binding and the bridge serves it on the ZeroTier address too,
 * at {@code zerotier.server.port} (default: the container's port). A management server on its own {@code
 * management.server.port} is a child context without these beans and stays on the OS stack.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ConfigurableServletWebServerFactory.class, FilterRegistrationBean.class, Filter.class})
@ConditionalOnBooleanProperty("zerotier.server.enabled")
@ConditionalOnBean(ZeroTierNode.class)
public final class ZeroTierServletWebServerAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  ZeroTierLoopbackBridge zeroTierLoopbackBridge(ZeroTierNode node, ZeroTierProperties properties,
      ObjectProvider<SelfHostedZeroTier> selfHosted, ApplicationContext context, Environment environment) {
    long networkId = ZeroTierReactiveWebServerAutoConfiguration.serverNetwork(properties,
        ZeroTierAutoConfiguration.networkIds(properties, selfHosted));
    boolean replace = properties.server().mode() == ZeroTierProperties.Server.Mode.REPLACE;
    Supplier<@Nullable WebServer> server = () -> context instanceof WebServerApplicationContext web
        ? web.getWebServer() : null;
    Integer configured = replace ? environment.getProperty("server.port", Integer.class, 8080)
        : properties.server().port();
    IntSupplier zeroTierPort = () -> {
      if (configured != null && configured > 0) {
        return configured;
      }
      WebServer web = server.get();
      return web != null ? web.getPort() : 0;
    };
    InetAddress containerAddress = replace ? ZeroTierLoopbackBridge.LOOPBACK
        : environment.getProperty("server.address", InetAddress.class, ZeroTierLoopbackBridge.LOOPBACK);
    Supplier<@Nullable InetSocketAddress> target = () -> {
      WebServer web = server.get();
      return web == null || web.getPort() <= 0 ? null : new InetSocketAddress(containerAddress, web.getPort());
    };
    return new ZeroTierLoopbackBridge(node, networkId, zeroTierPort, target);
  }

  @Bean
  @ConditionalOnMissingBean
  ZeroTierLoopbackBridge.Drain zeroTierLoopbackBridgeDrain(ObjectProvider<ZeroTierLoopbackBridge> bridge,
      Environment environment) {
    return new ZeroTierLoopbackBridge.Drain(bridge::getObject,
        environment.getProperty("spring.lifecycle.timeout-per-shutdown-phase", Duration.class, Duration.ofSeconds(30)));
  }

  @Bean
  @ConditionalOnMissingBean(name = "zeroTierCallerFilter")
  FilterRegistrationBean<ZeroTierCallerFilter> zeroTierCallerFilter(ZeroTierLoopbackBridge bridge,
      ZeroTierProperties properties) {
    boolean replace = properties.server().mode() == ZeroTierProperties.Server.Mode.REPLACE;
    FilterRegistrationBean<ZeroTierCallerFilter> registration =
        new FilterRegistrationBean<>(new ZeroTierCallerFilter(bridge, replace));
    registration.setName("zeroTierCallerFilter");
    registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
    registration.setDispatcherTypes(DispatcherType.REQUEST, DispatcherType.ASYNC, DispatcherType.ERROR,
        DispatcherType.FORWARD, DispatcherType.INCLUDE);
    registration.setAsyncSupported(true);
    return registration;
  }

  @Bean
  @ConditionalOnProperty(name = "zerotier.server.mode", havingValue = "replace", matchIfMissing = true)
  LoopbackOnlyCustomizer zeroTierServletLoopbackCustomizer() {
    return new LoopbackOnlyCustomizer();
  }

  /**
   * Binds the container to {@code 127.0.0.1} on an ephemeral port. Ordered last, after Boot's customizer has applied
   * {@code server.address} and {@code server.port}, so neither can put it on an address other hosts reach.
   */
  static final class LoopbackOnlyCustomizer
      implements
        WebServerFactoryCustomizer<ConfigurableServletWebServerFactory>,
        Ordered {

    @Override
    public void customize(ConfigurableServletWebServerFactory factory) {
      factory.setAddress(ZeroTierLoopbackBridge.LOOPBACK);
      factory.setPort(0);
    }

    @Override
    public int getOrder() {
      return Ordered.LOWEST_PRECEDENCE;
    }
  }
}
