package dev.ztjvm.central.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A member's settings on a network ({@code MemberConfig} in the spec; a self-hosted controller returns these fields at
 * the top level of the member object).
 *
 * @param activeBridge         allowed to bridge other Ethernet traffic onto the network
 * @param authorized           authorized on the (private) network
 * @param capabilities         capability IDs granted
 * @param creationTime         first join attempt or creation, ms since the epoch (read-only)
 * @param id                   node ID, 10 hex digits (read-only)
 * @param identity             the member's public identity string (read-only)
 * @param ipAssignments        assigned IP addresses
 * @param lastAuthorizedTime   last authorization, ms since the epoch (read-only)
 * @param lastDeauthorizedTime last deauthorization, ms since the epoch (read-only)
 * @param noAutoAssignIps      exempt from automatic assignment
 * @param revision             record revision counter (read-only)
 * @param ssoExempt            may be authorized without SSO
 * @param tags                 tag values
 * @param vMajor               client major version, -1 if unknown (read-only)
 * @param vMinor               client minor version (read-only)
 * @param vRev                 client revision (read-only)
 * @param vProto               client protocol version (read-only)
 */
public record MemberConfig(
    @Nullable Boolean activeBridge,
    @Nullable Boolean authorized,
    @Nullable List<Long> capabilities,
    @Nullable Long creationTime,
    @Nullable String id,
    @Nullable String identity,
    @Nullable List<String> ipAssignments,
    @Nullable Long lastAuthorizedTime,
    @Nullable Long lastDeauthorizedTime,
    @Nullable Boolean noAutoAssignIps,
    @Nullable Long revision,
    @Nullable Boolean ssoExempt,
    @Nullable List<MemberTag> tags,
    @Nullable Integer vMajor,
    @Nullable Integer vMinor,
    @Nullable Integer vRev,
    @Nullable Integer vProto) {}
