package dev.ztjvm.spring.boot.autoconfigure.web;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.web.ZeroTierRoutingClientHttpConnector;
import dev.ztjvm.spring.boot.web.ZeroTierRoutingClientHttpRequestFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.client.ClientHttpRequestFactoryBuilder;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.restclient.RestClientCustomizer;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.ResourceLoader;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.util.ClassUtils;
import reactor.netty.http.client.HttpClient;

/**
 * {@code zerotier.client.enabled=true}: Boot's HTTP client builders send requests to ZeroTier destinations over the
 * node and everything else as before.
 *
 * <ul>
 *   <li>WebClient: a {@link ZeroTierRoutingClientHttpConnector} bean (the application's {@link ClientHttpConnector},
 *       so Boot's own backs off; the connector Boot would have built, with {@code spring.http.clients.reactive.*},
 *       takes the other requests), applied to the auto-configured {@code WebClient.Builder};
 *   <li>RestClient (and HTTP interface clients built on it, including Boot's {@code @ImportHttpServices} groups): a
 *       {@link ZeroTierRoutingClientHttpRequestFactory} applied by a {@link RestClientCustomizer}, the request factory
 *       Boot would have built taking the other requests.
 * </ul>
 *
 * <p>A module the routing needs that is missing fails start-up naming it ({@link ZeroTierWebSetupException}).
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class, beforeName = {
    "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
    "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration",
    "org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration"})
@ConditionalOnBooleanProperty("zerotier.client.enabled")
public final class ZeroTierClientAutoConfiguration {

  @Bean
  static ModulesCheck zeroTierClientModulesCheck(ObjectProvider<ZeroTierNode> node,
      ResourceLoader resourceLoader) {
    return new ModulesCheck(node.getIfAvailable() != null, resourceLoader.getClassLoader());
  }

  /** WebClient: the routing connector and the customizer applying it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ReactorClientHttpConnector.class, HttpClient.class, ZeroTierLoopResources.class,
      ClientHttpConnectorBuilder.class})
  @ConditionalOnBean(ZeroTierNode.class)
  static final class WebClientRouting {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ZeroTierRoutingClientHttpConnector zeroTierClientHttpConnector(ZeroTierNode node,
        ZeroTierProperties properties, ObjectProvider<ClientHttpConnectorBuilder<?>> builder,
        ObjectProvider<HttpClientSettings> settings) {
      ClientHttpConnector normal = builder.getIfAvailable(ClientHttpConnectorBuilder::reactor)
          .build(settings.getIfAvailable(HttpClientSettings::defaults));
      ZeroTierProperties.Client client = properties.client();
      return ZeroTierRoutingClientHttpConnector.create(node, normal, client.hostAddresses(),
          client.domains());
    }

    /** Applies the routing connector to every auto-configured {@code WebClient.Builder}, after Boot's customizers. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(WebClientCustomizer.class)
    static final class WebClientConfiguration {

      @Bean
      @Order(Ordered.LOWEST_PRECEDENCE)
      WebClientCustomizer zeroTierWebClientCustomizer(ZeroTierRoutingClientHttpConnector connector) {
        return builder -> builder.clientConnector(connector);
      }
    }
  }

  /** RestClient: the routing request factory and the customizer applying it. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ReactorClientHttpRequestFactory.class, HttpClient.class, ZeroTierLoopResources.class,
      ClientHttpRequestFactoryBuilder.class, RestClientCustomizer.class})
  @ConditionalOnBean(ZeroTierNode.class)
  static final class RestClientRouting {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    ZeroTierRoutingClientHttpRequestFactory zeroTierClientHttpRequestFactory(ZeroTierNode node,
        ZeroTierProperties properties, ObjectProvider<ClientHttpRequestFactoryBuilder<?>> builder,
        ObjectProvider<HttpClientSettings> settings, ResourceLoader resourceLoader) {
      ClientHttpRequestFactory normal = builder
          .getIfAvailable(() -> ClientHttpRequestFactoryBuilder.detect(resourceLoader.getClassLoader()))
          .build(settings.getIfAvailable(HttpClientSettings::defaults));
      ZeroTierProperties.Client client = properties.client();
      return ZeroTierRoutingClientHttpRequestFactory.create(node, normal, client.hostAddresses(),
          client.domains());
    }

    /** Applied after Boot's own configuration of each {@code RestClient.Builder}, including HTTP service groups. */
    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    RestClientCustomizer zeroTierRestClientCustomizer(ZeroTierRoutingClientHttpRequestFactory factory) {
      return builder -> builder.requestFactory(factory);
    }
  }

  /**
   * Fails start-up when the routing cannot work: no node to route over, or a module it needs is not on the class
   * path — instead of silently sending ZeroTier destinations to the OS network stack.
   */
  static final class ModulesCheck {

    ModulesCheck(boolean hasNode, @Nullable ClassLoader classLoader) {
      if (!hasNode) {
        throw new ZeroTierWebSetupException(
            "zerotier.client.enabled=true, but there is no ZeroTier node to send requests over: no network is"
                + " configured.",
            "Set zerotier.network-id (or zerotier.networks, or zerotier.self-hosted.enabled=true), or remove"
                + " zerotier.client.enabled.");
      }
      require(classLoader, "dev.ztjvm.netty.ZeroTierLoopResources", "dev.ztjvm:zerotier-netty");
      require(classLoader, "reactor.netty.http.client.HttpClient", "io.projectreactor.netty:reactor-netty-http");
      require(classLoader, "org.springframework.boot.http.client.HttpClientSettings",
          "org.springframework.boot:spring-boot-http-client");
      boolean webClient = ClassUtils.isPresent("org.springframework.boot.webclient.WebClientCustomizer", classLoader)
          && ClassUtils.isPresent("org.springframework.web.reactive.function.client.WebClient", classLoader);
      boolean restClient = ClassUtils.isPresent("org.springframework.boot.restclient.RestClientCustomizer",
          classLoader);
      if (!webClient && !restClient) {
        throw new ZeroTierWebSetupException(
            "zerotier.client.enabled=true, but neither Boot's WebClient nor its RestClient support is on the class"
                + " path, so there is no client builder to route over ZeroTier.",
            "Add org.springframework.boot:spring-boot-restclient (RestClient, HTTP interfaces) or"
                + " org.springframework.boot:spring-boot-webclient (WebClient); zerotier-spring-boot-starter brings"
                + " both.");
      }
    }

    private static void require(@Nullable ClassLoader classLoader, String className, String module) {
      if (!ClassUtils.isPresent(className, classLoader)) {
        throw new ZeroTierWebSetupException(
            "zerotier.client.enabled=true needs the module " + module + " to send requests over ZeroTier, and it is"
                + " not on the class path.",
            "Add the dependency " + module + " (zerotier-spring-boot-starter brings it), or remove"
                + " zerotier.client.enabled.");
      }
    }
  }
}
