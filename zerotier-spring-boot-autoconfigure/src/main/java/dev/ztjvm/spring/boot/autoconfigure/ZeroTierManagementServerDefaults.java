package dev.ztjvm.spring.boot.autoconfigure;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * With {@code zerotier.server.enabled=true} (replace mode) the application's server listens on ZeroTier only, and so
 * would actuator: every member of the network could read {@code /actuator/*}. Unless the application sets
 * {@code management.server.port} itself, actuator gets its own server on the OS stack instead: port
 * {@code server.port + 1} (8081 for the default 8080; 0, a free port, when {@code server.port} is 0) on
 * {@code 127.0.0.1} (unless {@code management.server.address} is set). To serve actuator on ZeroTier as well, set
 * {@code management.server.port} to {@code server.port}; for a Kubernetes probe set {@code management.server.address}
 * (e.g. {@code 0.0.0.0}).
 *
 * <p>These are defaults with the lowest precedence: anything the application sets wins.
 */
public final class ZeroTierManagementServerDefaults implements EnvironmentPostProcessor {

  /** Name of the property source holding the defaults. */
  public static final String SOURCE = "zerotierManagementServerDefaults";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (!environment.getProperty("zerotier.enabled", Boolean.class, true)
        || !environment.getProperty("zerotier.server.enabled", Boolean.class, false)
        || "additional".equalsIgnoreCase(environment.getProperty("zerotier.server.mode", "replace"))
        || environment.containsProperty("management.server.port")) {
      return;
    }
    Integer serverPort = environment.getProperty("server.port", Integer.class, 8080);
    int managementPort = serverPort <= 0 || serverPort >= 65535 ? 0 : serverPort + 1;
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("management.server.port", Integer.toString(managementPort));
    if (!environment.containsProperty("management.server.address")) {
      defaults.put("management.server.address", "127.0.0.1");
    }
    environment.getPropertySources().addLast(new MapPropertySource(SOURCE, defaults));
  }
}
