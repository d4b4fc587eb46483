package dev.ztjvm.spring.boot.autoconfigure.central;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClientBuilder;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.central.ZeroTierSelfAuthorization;
import java.time.Duration;
import java.util.Objects;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * A {@link ZeroTierCentralClient} for ZeroTier Central (or a compatible API at {@code zerotier.central.base-url}),
 * created only when {@code zerotier.central.token} is set and {@code zerotier-central} is on the classpath.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class)
@ConditionalOnClass(ZeroTierCentralClient.class)
@ConditionalOnBean(ZeroTierProperties.class)
@ConditionalOnProperty("zerotier.central.token")
public final class ZeroTierCentralAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ZeroTierCentralClient zeroTierCentralClient(ZeroTierProperties properties) {
    ZeroTierProperties.Central central = properties.central();
    ZeroTierCentralClientBuilder builder =
        ZeroTierCentralClient.central().token(Objects.requireNonNull(central.token(), "zerotier.central.token"));
    if (central.baseUrl() != null) {
      builder.baseUrl(central.baseUrl());
    }
    return builder.build();
  }

  /** {@code zerotier.central.authorize-self=true}: the node authorizes itself on the configured networks. */
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnBooleanProperty("zerotier.central.authorize-self")
  ZeroTierSelfAuthorization zeroTierSelfAuthorization(ZeroTierCentralClient client, ZeroTierProperties properties) {
    ZeroTierProperties.Central central = properties.central();
    return new ZeroTierSelfAuthorization(client, properties.networkIds(), central.ipAssignments(),
        Duration.ofSeconds(30));
  }
}
