package dev.ztjvm.spring.boot.autoconfigure.central;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierCentralAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
      AutoConfigurations.of(ZeroTierAutoConfiguration.class, ZeroTierCentralAutoConfiguration.class));

  @Test
  void clientForCentralWhenTokenIsSet() {
    runner.withPropertyValues("zerotier.central.token=s3cr3t-token").run(context -> {
      assertThat(context).hasSingleBean(ZeroTierCentralClient.class);
      assertThat(context.getBean(ZeroTierCentralClient.class).toString())
          .contains("https://api.zerotier.com/api/v1").doesNotContain("s3cr3t-token");
    });
  }

  @Test
  void baseUrlIsApplied() {
    runner.withPropertyValues("zerotier.central.token=t", "zerotier.central.base-url=http://127.0.0.1:9/api/v1")
        .run(context -> assertThat(context.getBean(ZeroTierCentralClient.class).toString())
            .contains("http://127.0.0.1:9/api/v1"));
  }

  @Test
  void noClientWithoutToken() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ZeroTierCentralClient.class));
  }

  @Test
  void noClientWithoutTheCentralModule() {
    runner.withPropertyValues("zerotier.central.token=t")
        .withClassLoader(new FilteredClassLoader(ZeroTierCentralClient.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("zeroTierCentralClient");
        });
  }

  @Test
  void userClientReplacesOurs() {
    ZeroTierCentralClient custom = ZeroTierCentralClient.central().token("other").build();
    runner.withPropertyValues("zerotier.central.token=t")
        .withBean("custom", ZeroTierCentralClient.class, () -> custom)
        .run(context -> assertThat(context.getBean(ZeroTierCentralClient.class)).isSameAs(custom));
  }
}
