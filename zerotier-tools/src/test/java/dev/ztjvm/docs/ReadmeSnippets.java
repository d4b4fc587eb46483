package dev.ztjvm.docs;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.sockets.ZeroTierNode;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The Java code shown in the root {@code README.md}. */
@Configuration(proxyBeanMethods = false)
class ReadmeSnippets {

  // region authorize
  @Bean
  ApplicationRunner authorizeMyself(ZeroTierCentralClient central, ZeroTierNode zerotier) {
    return args -> central.authorizeMember("8056c2e21c000001", zerotier.nodeIdString()).block();
  }
  // endregion
}
