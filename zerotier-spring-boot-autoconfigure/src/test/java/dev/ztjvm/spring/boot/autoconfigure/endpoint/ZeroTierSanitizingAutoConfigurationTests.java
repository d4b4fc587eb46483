package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.autoconfigure.context.properties.ConfigurationPropertiesReportEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.env.EnvironmentEndpointAutoConfiguration;
import org.springframework.boot.actuate.context.properties.ConfigurationPropertiesReportEndpoint;
import org.springframework.boot.actuate.env.EnvironmentEndpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/**
 * With {@code show-values=always} (every other value in clear), {@code /actuator/configprops} and {@code /actuator/env}
 * still mask {@code zerotier.identity}, {@code zerotier.central.token} and {@code zerotier.self-hosted.api.token}.
 */
class ZeroTierSanitizingAutoConfigurationTests {

  private static final String IDENTITY = Identity.generate().toSecretString();
  private static final String TOKEN = "central-secret-7f3a";
  private static final String API_TOKEN = "api-secret-91bc";

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierSanitizingAutoConfiguration.class, ConfigurationPropertiesReportEndpointAutoConfiguration.class,
          EnvironmentEndpointAutoConfiguration.class))
      .withPropertyValues("zerotier.identity=" + IDENTITY, "zerotier.central.token=" + TOKEN,
          "zerotier.self-hosted.api.token=" + API_TOKEN, "zerotier.port=4242",
          "management.endpoint.configprops.show-values=always", "management.endpoint.env.show-values=always",
          "management.endpoints.web.exposure.include=configprops,env");

  @Test
  void configpropsAndEnvMaskTheThreeSecretsAndShowTheRest() {
    runner.run(context -> {
      String configprops = JsonMapper.builder().build()
          .writeValueAsString(context.getBean(ConfigurationPropertiesReportEndpoint.class).configurationProperties());
      assertThat(configprops).contains("4242").contains("******")
          .doesNotContain(TOKEN).doesNotContain(API_TOKEN).doesNotContain(IDENTITY.split(":")[3]);

      EnvironmentEndpoint env = context.getBean(EnvironmentEndpoint.class);
      String all = JsonMapper.builder().build().writeValueAsString(env.environment(null));
      assertThat(all).contains("4242").doesNotContain(TOKEN).doesNotContain(API_TOKEN)
          .doesNotContain(IDENTITY.split(":")[3]);
      assertThat(env.environmentEntry("zerotier.central.token").getProperty().getValue()).isEqualTo("******");
    });
  }

  @Test
  void environmentVariableFormIsMaskedToo() {
    assertThat(new dev.ztjvm.spring.boot.endpoint.ZeroTierSecretsSanitizingFunction()
        .apply(new org.springframework.boot.actuate.endpoint.SanitizableData(null, "ZEROTIER_CENTRAL_TOKEN", TOKEN))
        .getValue()).isEqualTo("******");
    assertThat(new dev.ztjvm.spring.boot.endpoint.ZeroTierSecretsSanitizingFunction()
        .apply(new org.springframework.boot.actuate.endpoint.SanitizableData(null, "zerotier.port", 4242))
        .getValue()).isEqualTo(4242);
  }
}
