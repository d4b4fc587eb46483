package dev.ztjvm.spring.boot.autoconfigure.web;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code zerotier.server.enabled=true} (replace mode) and a separate {@code management.server.port}, the
 * management server defaults to {@code 127.0.0.1}: the application is meant for ZeroTier only, and Boot would bind its
 * management server to every interface of the OS stack. An explicit {@code management.server.address} wins (the
 * default is the last property source).
 */
public final class ZeroTierManagementAddressEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

  /** Name of the property source holding the default. */
  public static final String PROPERTY_SOURCE = "zerotierManagementServerAddress";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    boolean served = environment.getProperty("zerotier.enabled", Boolean.class, true)
        && environment.getProperty("zerotier.server.enabled", Boolean.class, false)
        && "replace".equalsIgnoreCase(environment.getProperty("zerotier.server.mode", "replace"));
    if (served && environment.containsProperty("management.server.port")
        && !environment.containsProperty("management.server.address")) {
      environment.getPropertySources().addLast(
          new MapPropertySource(PROPERTY_SOURCE, Map.of("management.server.address", "127.0.0.1")));
    }
  }

  @Override
  public int getOrder() {
    // After the config data (application.yml) has been loaded.
    return Ordered.LOWEST_PRECEDENCE;
  }
}
