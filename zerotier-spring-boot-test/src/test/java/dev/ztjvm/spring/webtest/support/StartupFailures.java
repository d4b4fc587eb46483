package dev.ztjvm.spring.webtest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an application the way {@code SpringApplication.run} does and checks that it fails with Boot's start-up
 * report (from our failure analyzer) instead of serving anything. The node never starts: the failure comes while the
 * web server is created, before the lifecycle phase that would start it; it is bound to loopback regardless.
 */
public final class StartupFailures {

  private StartupFailures() {}

  /** An application with auto-configuration only, no component scanning. */
  @Configuration(proxyBeanMethods = false)
  @EnableAutoConfiguration
  public static class EmptyApp {}

  /** Runs {@link EmptyApp} as {@code type} with {@code properties}; asserts the report's description and action. */
  public static void assertFailsWithReport(CapturedOutput output, WebApplicationType type, List<String> properties,
      String description, String action) {
    List<String> all = new ArrayList<>(List.of("server.port=0", "zerotier.port=0", "zerotier.bind-addresses=127.0.0.1",
        "zerotier.allow-loopback-paths=true", "zerotier.startup.timeout=0", "spring.main.banner-mode=off"));
    all.addAll(properties);
    assertThatThrownBy(() -> new SpringApplicationBuilder(EmptyApp.class).web(type)
        .properties(all.toArray(String[]::new)).run().close())
        .isNotNull();
    assertThat(output.getOut() + output.getErr()).contains("APPLICATION FAILED TO START")
        .contains("Description:\n\n" + description).contains("Action:\n\n" + action);
  }
}
