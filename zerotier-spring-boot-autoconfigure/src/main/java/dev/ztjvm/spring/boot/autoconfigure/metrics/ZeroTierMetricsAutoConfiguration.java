package dev.ztjvm.spring.boot.autoconfigure.metrics;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.metrics.ZeroTierMetrics;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** Micrometer meters of the managed node ({@code zerotier.*}); Boot binds every {@code MeterBinder} bean. */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class, afterName = "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration")
@ConditionalOnClass({MeterRegistry.class, MeterBinder.class})
@ConditionalOnBean({ZeroTierNode.class, ZeroTierProperties.class})
public final class ZeroTierMetricsAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ZeroTierMetrics zeroTierMetrics(ZeroTierNode node, ZeroTierProperties properties,
      ObjectProvider<SelfHostedZeroTier> selfHosted) {
    return new ZeroTierMetrics(node, ZeroTierAutoConfiguration.networkIds(properties, selfHosted), List.of());
  }
}
