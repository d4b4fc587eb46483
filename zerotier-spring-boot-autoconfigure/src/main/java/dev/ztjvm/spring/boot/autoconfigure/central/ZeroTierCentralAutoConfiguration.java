package dev.ztjvm.spring.boot.autoconfigure.central;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClientBuilder;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.central.ZeroTierSelfAuthorization;
import java.time.Duration;
import java.util.Objects;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * A {@link ZeroTierCentralClient} for ZeroTier Central (or a compatible API at {@code zerotier.central.base-url}),
 * created only when {@code zerotier.central.token} is set and {@code zerotier-central} is on the classpath, and the
 * node's self-authorization ({@code zerotier.central.authorize-self}).
 *
 * <p>The client starts from Boot's auto-configured {@link WebClient.Builder} when there is one
 * ({@code spring-boot-webclient}): each API request is then observed as {@code http.client.requests} (with the URI
 * template, never the token), and Boot's connector settings, SSL bundles and codecs apply.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class, afterName = "org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration")
@ConditionalOnClass(ZeroTierCentralClient.class)
@ConditionalOnBean(ZeroTierProperties.class)
public final class ZeroTierCentralAutoConfiguration {

  /** The client of Central (or of {@code base-url}) when a token is set. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnProperty("zerotier.central.token")
  static final class CentralClientConfiguration {

    @Bean
    @ConditionalOnMissingBean
    ZeroTierCentralClient zeroTierCentralClient(ZeroTierProperties properties,
        ObjectProvider<WebClient.Builder> webClientBuilder) {
      ZeroTierProperties.Central central = properties.central();
      ZeroTierCentralClientBuilder builder =
          ZeroTierCentralClient.central().token(Objects.requireNonNull(central.token(), "zerotier.central.token"));
      if (central.baseUrl() != null) {
        builder.baseUrl(central.baseUrl());
      }
      return configure(builder, central, webClientBuilder).build();
    }

    /** {@code zerotier.central.authorize-self=true}: the node authorizes itself on the configured networks. */
    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty("zerotier.central.authorize-self")
    ZeroTierSelfAuthorization zeroTierSelfAuthorization(ZeroTierCentralClient client, ZeroTierProperties properties) {
      ZeroTierProperties.Central central = properties.central();
      return new ZeroTierSelfAuthorization(client, properties.networkIds(), central.ipAssignments(),
          blockingTimeout(central));
    }
  }

  /** Applies {@code zerotier.central.timeout}, {@code max-retries} and Boot's WebClient.Builder to a client builder. */
  public static ZeroTierCentralClientBuilder configure(ZeroTierCentralClientBuilder builder,
      ZeroTierProperties.Central central, ObjectProvider<WebClient.Builder> webClientBuilder) {
    builder.responseTimeout(central.timeout())
        .maxRateLimitRetries(central.maxRetries())
        .maxServerErrorRetries(central.maxRetries());
    WebClient.Builder boots = webClientBuilder.getIfAvailable();
    if (boots != null) {
      builder.webClientBuilder(boots);
    }
    return builder;
  }

  /** How long a blocking call may take: every attempt's timeout plus the backoffs between them (at most 10 s each). */
  public static Duration blockingTimeout(ZeroTierProperties.Central central) {
    long attempts = central.maxRetries() + 1L;
    return central.timeout().multipliedBy(attempts).plus(Duration.ofSeconds(10).multipliedBy(central.maxRetries()));
  }
}
