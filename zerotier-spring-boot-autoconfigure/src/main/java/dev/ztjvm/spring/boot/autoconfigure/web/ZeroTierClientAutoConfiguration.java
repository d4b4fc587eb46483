package dev.ztjvm.spring.boot.autoconfigure.web;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.web.ZeroTierRoutingClientHttpConnector;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.netty.http.client.HttpClient;

/**
 * {@code zerotier.client.enabled=true}: a {@link ZeroTierRoutingClientHttpConnector} bean (the application's
 * {@link ClientHttpConnector}, so Boot's own backs off) that sends requests to ZeroTier destinations over the node and
 * everything else through the connector Boot would have built ({@code spring.http.clients.reactive.*} settings apply
 * to it), and a {@link WebClientCustomizer} that applies it to the auto-configured {@code WebClient.Builder}.
 */
@AutoConfiguration(
    after = ZeroTierAutoConfiguration.class,
    beforeName = {
        "org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration",
        "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration"})
@ConditionalOnClass({ReactorClientHttpConnector.class, HttpClient.class, ZeroTierLoopResources.class,
    ClientHttpConnectorBuilder.class})
@ConditionalOnBooleanProperty("zerotier.client.enabled")
@ConditionalOnBean(ZeroTierNode.class)
public final class ZeroTierClientAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ZeroTierRoutingClientHttpConnector zeroTierClientHttpConnector(ZeroTierNode node,
      ZeroTierProperties properties, ObjectProvider<ClientHttpConnectorBuilder<?>> builder,
      ObjectProvider<HttpClientSettings> settings) {
    ClientHttpConnector normal = builder.getIfAvailable(ClientHttpConnectorBuilder::reactor)
        .build(settings.getIfAvailable(HttpClientSettings::defaults));
    ZeroTierProperties.Client client = properties.client();
    return ZeroTierRoutingClientHttpConnector.create(node, normal, client.hostAddresses(), client.domains());
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
