package dev.ztjvm.sample;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Picks the sample's mode from what the user gave: with no network configured it runs self-hosted (its own root,
 * controller and network, no internet needed); with {@code zerotier.network-id} (or {@code zerotier.networks}) it joins
 * that network through the planet's roots. An explicit {@code zerotier.self-hosted.enabled} always wins.
 *
 * <p>Runs after {@code application.yml} and the command line are loaded, and adds its default with the lowest
 * precedence, so it never overrides anything the user set.
 */
public final class SampleModeDefaults implements EnvironmentPostProcessor {

  static final String SELF_HOSTED = "zerotier.self-hosted.enabled";

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
    if (environment.containsProperty(SELF_HOSTED)) {
      return;
    }
    boolean networkGiven = environment.containsProperty("zerotier.network-id")
        || environment.containsProperty("zerotier.networks[0]") || environment.containsProperty("zerotier.networks");
    environment.getPropertySources().addLast(
        new MapPropertySource("sampleModeDefaults", Map.of(SELF_HOSTED, Boolean.toString(!networkGiven))));
  }
}
