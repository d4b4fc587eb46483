package dev.ztjvm.spring.boot.autoconfigure.central;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.central.ZeroTierCentralEndpoint;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierCentralEndpointAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierCentralAutoConfiguration.class, ZeroTierCentralEndpointAutoConfiguration.class))
      .withPropertyValues("zerotier.central.token=s3cr3t-token", "zerotier.central.base-url=http://127.0.0.1:9/api/v1",
          "management.endpoints.web.exposure.include=*");

  @Test
  void absentByDefaultEvenWhenExposed() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ZeroTierCentralClient.class);
      assertThat(context).doesNotHaveBean(ZeroTierCentralEndpoint.class);
    });
  }

  @Test
  void presentWhenAccessIsGrantedAndExposed() {
    runner.withPropertyValues("management.endpoint.zerotiercentral.access=READ_ONLY")
        .run(context -> assertThat(context).hasSingleBean(ZeroTierCentralEndpoint.class));
    runner.withPropertyValues("management.endpoint.zerotiercentral.access=UNRESTRICTED",
        "management.endpoints.web.exposure.include=health")
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierCentralEndpoint.class));
  }

  @Test
  void absentWithoutAClientOrActuator() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierCentralAutoConfiguration.class, ZeroTierCentralEndpointAutoConfiguration.class))
        .withPropertyValues("management.endpoint.zerotiercentral.access=UNRESTRICTED",
            "management.endpoints.web.exposure.include=*")
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierCentralEndpoint.class));
    runner.withPropertyValues("management.endpoint.zerotiercentral.access=UNRESTRICTED")
        .withClassLoader(new FilteredClassLoader(Endpoint.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(ZeroTierCentralEndpoint.class);
        });
  }
}
