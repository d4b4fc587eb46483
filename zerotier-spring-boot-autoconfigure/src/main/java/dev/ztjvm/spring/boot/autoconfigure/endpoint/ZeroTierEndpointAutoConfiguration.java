package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint;
import dev.ztjvm.spring.boot.event.ZeroTierEventPublisher;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * The {@code zerotier} actuator endpoint, when available (access not {@code none} and exposed). Writes (join/leave)
 * stay refused unless {@code management.endpoint.zerotier.access=unrestricted}; the physical side is shown as
 * {@code management.endpoint.zerotier.show-details} says.
 */
@AutoConfiguration(after = ZeroTierAutoConfiguration.class)
@ConditionalOnClass({Endpoint.class, ConditionalOnAvailableEndpoint.class})
@ConditionalOnBean(ZeroTierNode.class)
@EnableConfigurationProperties(ZeroTierEndpointProperties.class)
public final class ZeroTierEndpointAutoConfiguration {

  // On the method, not the class: the class-level @ConditionalOnClass then guards it when actuator-autoconfigure
  // (the condition's own module) is absent, even without the pre-computed auto-configuration metadata.
  @Bean
  @ConditionalOnMissingBean
  @ConditionalOnAvailableEndpoint(ZeroTierEndpoint.class)
  ZeroTierEndpoint zeroTierEndpoint(ZeroTierNode node, ObjectProvider<ZeroTierEventPublisher> events,
      ObjectProvider<SelfHostedJoinDetails> selfHosted, ZeroTierEndpointProperties properties) {
    return new ZeroTierEndpoint(node, events.getIfAvailable(), selfHosted.getIfAvailable(), properties.showDetails(),
        properties.roles());
  }
}
