package dev.ztjvm.spring.boot.autoconfigure;

import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierNodeLifecycle;
import dev.ztjvm.spring.boot.event.ZeroTierEventBridge;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * Manages a ZeroTier node: binds {@code zerotier.*}, starts the {@link ManagedZeroTierNode} bean before the web server
 * (joining the configured networks and waiting for them as {@code zerotier.startup.*} says), stops it after graceful
 * shutdown, and republishes its state changes as Spring events.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "zerotier.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ZeroTierProperties.class)
public final class ZeroTierAutoConfiguration {

  @Bean
  @ConditionalOnBean(ManagedZeroTierNode.class)
  @ConditionalOnMissingBean
  ZeroTierNodeLifecycle zeroTierNodeLifecycle(ManagedZeroTierNode node, ZeroTierProperties properties) {
    return new ZeroTierNodeLifecycle(
        node, properties.networkIds(), properties.startup().timeout(), properties.startup().failOnTimeout());
  }

  @Bean
  @ConditionalOnBean(ManagedZeroTierNode.class)
  @ConditionalOnMissingBean
  ZeroTierEventBridge zeroTierEventBridge(
      ManagedZeroTierNode node, ApplicationEventPublisher publisher, ZeroTierProperties properties) {
    return new ZeroTierEventBridge(node, publisher, properties.events().recent());
  }
}
