package dev.ztjvm.spring.boot.autoconfigure.health;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.health.ZeroTierHealthIndicator;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/** The {@code zerotier} health contributor ({@code management.health.zerotier.enabled}). */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class})
@ConditionalOnBean({ZeroTierNode.class, ZeroTierProperties.class})
public final class ZeroTierHealthContributorAutoConfiguration {

  // On the method, not the class: the class-level @ConditionalOnClass then guards it when spring-boot-health (the
  // condition's own module) is absent, even without the pre-computed auto-configuration metadata.
  @Bean
  @ConditionalOnMissingBean(name = "zerotierHealthIndicator")
  @ConditionalOnEnabledHealthIndicator("zerotier")
  ZeroTierHealthIndicator zerotierHealthIndicator(ZeroTierNode node, ZeroTierProperties properties,
      ObjectProvider<SelfHostedZeroTier> selfHosted) {
    return new ZeroTierHealthIndicator(node, ZeroTierAutoConfiguration.networkIds(properties, selfHosted));
  }
}
