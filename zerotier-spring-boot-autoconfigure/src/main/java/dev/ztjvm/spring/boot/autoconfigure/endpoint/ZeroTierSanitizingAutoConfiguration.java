package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import dev.ztjvm.spring.boot.endpoint.ZeroTierSecretsSanitizingFunction;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Masks {@code zerotier.identity}, {@code zerotier.central.token} and {@code zerotier.self-hosted.api.token} in
 * {@code /actuator/configprops} and {@code /actuator/env} even when their {@code show-values} reveals other values.
 * Independent of the node: the secrets may be set without one.
 */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
public final class ZeroTierSanitizingAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean
  ZeroTierSecretsSanitizingFunction zeroTierSecretsSanitizingFunction() {
    return new ZeroTierSecretsSanitizingFunction();
  }
}
