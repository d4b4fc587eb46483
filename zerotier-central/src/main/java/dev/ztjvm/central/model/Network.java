package dev.ztjvm.central.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A network ({@code Network} in the spec). A self-hosted controller does not provide the Central-only metadata
 * ({@code clock}, {@code description}, {@code permissions}, {@code ownerId}, member counts, {@code ...ByName}); those
 * fields are {@code null} then.
 *
 * @param id                    network ID, 16 hex digits (read-only)
 * @param clock                 server time of the response, ms since the epoch (read-only)
 * @param config                the network configuration
 * @param description           free text
 * @param rulesSource           flow rules in the rules language
 * @param permissions           user ID to permissions
 * @param ownerId               user ID of the owner
 * @param onlineMemberCount     members online (read-only; may be 0 in list responses)
 * @param authorizedMemberCount authorized members (read-only)
 * @param totalMemberCount      all members (read-only)
 * @param capabilitiesByName    capability name to ID (raw JSON object)
 * @param tagsByName            tag name to definition (raw JSON object)
 */
public record Network(
    @Nullable String id,
    @Nullable Long clock,
    @Nullable NetworkConfig config,
    @Nullable String description,
    @Nullable String rulesSource,
    @Nullable Map<String, Permissions> permissions,
    @Nullable String ownerId,
    @Nullable Integer onlineMemberCount,
    @Nullable Integer authorizedMemberCount,
    @Nullable Integer totalMemberCount,
    @Nullable JsonNode capabilitiesByName,
    @Nullable JsonNode tagsByName) {

  /** The network name from the configuration, or {@code null}. */
  @JsonIgnore
  public @Nullable String name() {
    return config == null ? null : config.name();
  }
}
