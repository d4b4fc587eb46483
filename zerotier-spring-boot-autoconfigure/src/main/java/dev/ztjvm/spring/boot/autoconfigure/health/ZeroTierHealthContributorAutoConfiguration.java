package dev.ztjvm.spring.boot.autoconfigure.health;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.health.ZeroTierHealthIndicator;
import dev.ztjvm.spring.boot.health.ZeroTierReadinessGroup;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * The {@code zerotier} health contributor ({@code management.health.zerotier.enabled}), a member of the readiness group
 * unless {@code zerotier.health.readiness=false}.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class, afterName = "org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration")
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

  /** Adds the contributor to the readiness group (after Boot's probes post-processor has created the group). */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(HealthEndpointGroupsPostProcessor.class)
  @ConditionalOnBooleanProperty(name = "zerotier.health.readiness", matchIfMissing = true)
  static final class ReadinessConfiguration {

    @Bean
    @Order(Ordered.LOWEST_PRECEDENCE)
    @ConditionalOnEnabledHealthIndicator("zerotier")
    ZeroTierReadinessGroup zeroTierReadinessGroup() {
      return new ZeroTierReadinessGroup("zerotier");
    }
  }
}
