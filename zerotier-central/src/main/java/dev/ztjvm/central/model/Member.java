package dev.ztjvm.central.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import org.jspecify.annotations.Nullable;

/**
 * A member of a network ({@code Member} in the spec). A self-hosted controller has no {@code hidden},
 * {@code description}, {@code lastOnline}, {@code lastSeen} or {@code physicalAddress}; those are {@code null} then.
 *
 * @param id                  network ID and member ID joined by {@code -} (read-only, deprecated in the spec)
 * @param clock               server time of the response, ms since the epoch (read-only)
 * @param networkId           network ID (read-only)
 * @param nodeId              ZeroTier address of the member, 10 hex digits (read-only)
 * @param controllerId        controller address (read-only, deprecated)
 * @param hidden              hidden in the UI
 * @param name                user-defined name
 * @param description         user-defined description
 * @param config              the member's network settings
 * @param lastOnline          last seen, ms since the epoch (read-only, deprecated, ephemeral)
 * @param lastSeen            last check-in with the controller, ms since the epoch (read-only, ephemeral)
 * @param physicalAddress     address the member last reached the controller from (read-only)
 * @param clientVersion       ZeroTier version of the member, e.g. {@code 1.14.1} (read-only)
 * @param protocolVersion     ZeroTier protocol version (read-only)
 * @param supportsRulesEngine client is 1.4.0 or newer (read-only)
 */
public record Member(
    @Nullable String id,
    @Nullable Long clock,
    @Nullable String networkId,
    @Nullable String nodeId,
    @Nullable String controllerId,
    @Nullable Boolean hidden,
    @Nullable String name,
    @Nullable String description,
    @Nullable MemberConfig config,
    @Nullable Long lastOnline,
    @Nullable Long lastSeen,
    @Nullable String physicalAddress,
    @Nullable String clientVersion,
    @Nullable Integer protocolVersion,
    @Nullable Boolean supportsRulesEngine) {

  /** {@code true} only if the member's configuration says it is authorized. */
  @JsonIgnore
  public boolean isAuthorized() {
    return config != null && Boolean.TRUE.equals(config.authorized());
  }
}
