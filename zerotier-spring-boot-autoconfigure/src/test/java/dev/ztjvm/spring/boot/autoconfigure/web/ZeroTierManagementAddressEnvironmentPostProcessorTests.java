package dev.ztjvm.spring.boot.autoconfigure.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.test.util.TestPropertyValues;
import org.springframework.core.env.StandardEnvironment;

/**
 * The management server's address defaults to 127.0.0.1 only when the application is served on ZeroTier only and has
 * a separate management port; an explicit address always wins. (TomcatManagementServerOnLoopbackSpringBootTest checks
 * the bound server.)
 */
class ZeroTierManagementAddressEnvironmentPostProcessorTests {

  private static String addressAfter(String... properties) {
    StandardEnvironment environment = new StandardEnvironment();
    TestPropertyValues.of(properties).applyTo(environment);
    new ZeroTierManagementAddressEnvironmentPostProcessor().postProcessEnvironment(environment,
        new SpringApplication());
    return environment.getProperty("management.server.address");
  }

  @Test
  void servedOnZeroTierOnlyWithAManagementPort() {
    assertThat(addressAfter("zerotier.server.enabled=true", "management.server.port=8081")).isEqualTo("127.0.0.1");
  }

  @Test
  void anExplicitAddressWins() {
    assertThat(addressAfter("zerotier.server.enabled=true", "management.server.port=8081",
        "management.server.address=0.0.0.0")).isEqualTo("0.0.0.0");
  }

  @Test
  void otherwiseBootsDefaultStays() {
    assertThat(addressAfter("management.server.port=8081")).isNull();
    assertThat(addressAfter("zerotier.server.enabled=true")).isNull();
    assertThat(addressAfter("zerotier.server.enabled=true", "zerotier.server.mode=additional",
        "management.server.port=8081")).isNull();
    assertThat(addressAfter("zerotier.enabled=false", "zerotier.server.enabled=true", "management.server.port=8081"))
        .isNull();
  }
}
