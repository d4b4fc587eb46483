package dev.ztjvm.spring.boot.autoconfigure.central;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.spring.boot.autoconfigure.selfhosted.ZeroTierSelfHostedAutoConfiguration;
import dev.ztjvm.spring.boot.central.ZeroTierCentralEndpoint;
import java.time.Duration;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * The {@code zerotiercentral} admin endpoint over the {@link ZeroTierCentralClient} bean. Its default access is
 * {@code none}: it exists only when {@code management.endpoint.zerotiercentral.access} grants read-only or
 * unrestricted access and it is exposed.
 */
@AutoConfiguration(after = {ZeroTierCentralAutoConfiguration.class, ZeroTierSelfHostedAutoConfiguration.class})
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class, ZeroTierCentralClient.class})
@ConditionalOnBean(ZeroTierCentralClient.class)
public final class ZeroTierCentralEndpointAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(ZeroTierCentralEndpoint.class)
  ZeroTierCentralEndpoint zeroTierCentralEndpoint(ZeroTierCentralClient client) {
    return new ZeroTierCentralEndpoint(client, Duration.ofSeconds(60));
  }
}
