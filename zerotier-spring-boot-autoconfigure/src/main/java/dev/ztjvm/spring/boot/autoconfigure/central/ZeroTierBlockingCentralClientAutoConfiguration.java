package dev.ztjvm.spring.boot.autoconfigure.central;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.autoconfigure.selfhosted.ZeroTierSelfHostedAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * A {@link BlockingZeroTierCentralClient} over whichever {@link ZeroTierCentralClient} bean exists (Central's, the
 * self-hosted controller's, or the application's own), each call bounded by {@code zerotier.central.timeout} times its
 * attempts.
 */
@AutoConfiguration(after = {ZeroTierCentralAutoConfiguration.class, ZeroTierSelfHostedAutoConfiguration.class})
@ConditionalOnClass(ZeroTierCentralClient.class)
@ConditionalOnBean({ZeroTierCentralClient.class, ZeroTierProperties.class})
public final class ZeroTierBlockingCentralClientAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  BlockingZeroTierCentralClient blockingZeroTierCentralClient(ZeroTierCentralClient client,
      ZeroTierProperties properties) {
    return new BlockingZeroTierCentralClient(client,
        ZeroTierCentralAutoConfiguration.blockingTimeout(properties.central()));
  }
}
