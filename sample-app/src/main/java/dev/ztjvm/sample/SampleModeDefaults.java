package dev.ztjvm.sample;

import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Picks the sample's mode from what the user gave: with no network configured it runs self-hosted (its own root,
 * controller and network, no internet needed); with {@code zerotier.network-id} (or {@code zerotier.networks}) it joins
 * that network through the planet's roots, and with a Central token as well ({@code ZEROTIER_CENTRAL_TOKEN} or
 * {@code zerotier.central.token}) its node authorizes itself ({@code zerotier.central.authorize-self}). Explicit values
 * always win.
 *
 * <p>Runs after {@code application.yml} and the command line are loaded, and adds its default with the lowest
 * precedence, so it never overrides anything the user set.
 */
public final class SampleModeDefaults implements EnvironmentPostProcessor {

  static final String SELF_HOSTED = "zerotier.self-hosted.enabled";
  static final String AUTHORIZE_SELF = "zerotier.central.authorize-self";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    boolean networkGiven = environment.containsProperty("zerotier.network-id")
        || environment.containsProperty("zerotier.networks[0]") || environment.containsProperty("zerotier.networks");
    Map<String, Object> defaults = new HashMap<>();
    if (!environment.containsProperty(SELF_HOSTED)) {
      defaults.put(SELF_HOSTED, Boolean.toString(!networkGiven));
    }
    String token = environment.getProperty("zerotier.central.token");
    if (networkGiven && token != null && !token.isBlank() && !environment.containsProperty(AUTHORIZE_SELF)) {
      defaults.put(AUTHORIZE_SELF, "true");
    }
    environment.getPropertySources().addLast(new MapPropertySource("sampleModeDefaults", defaults));
  }
}
