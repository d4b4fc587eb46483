package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * The body of a network create or update: the writable fields of {@link Network}. {@code null} fields are left out of
 * the request and so left unchanged (Central updates are last-write-wins upserts of the fields sent).
 *
 * @param description        free text (Central only; a self-hosted controller has no description)
 * @param rulesSource        flow rules in the rules language
 * @param config             configuration fields to set (see {@link NetworkConfig#builder()})
 * @param capabilitiesByName capability name map (Central only)
 * @param tagsByName         tag name map (Central only)
 */
public record NetworkUpdate(
    @Nullable String description,
    @Nullable String rulesSource,
    @Nullable NetworkConfig config,
    @Nullable JsonNode capabilitiesByName,
    @Nullable JsonNode tagsByName) {

  /** An update that sets nothing (creating a network with it takes the server's defaults). */
  public static NetworkUpdate empty() {
    return new NetworkUpdate(null, null, null, null, null);
  }

  /** An update that sets the given configuration fields. */
  public static NetworkUpdate of(NetworkConfig config) {
    return new NetworkUpdate(null, null, config, null, null);
  }

  /** This update with the description set. */
  public NetworkUpdate withDescription(String value) {
    return new NetworkUpdate(value, rulesSource, config, capabilitiesByName, tagsByName);
  }

  /** This update with the rules source set. */
  public NetworkUpdate withRulesSource(String value) {
    return new NetworkUpdate(description, value, config, capabilitiesByName, tagsByName);
  }

  /** This update with the configuration fields set. */
  public NetworkUpdate withConfig(NetworkConfig value) {
    return new NetworkUpdate(description, rulesSource, value, capabilitiesByName, tagsByName);
  }
}
