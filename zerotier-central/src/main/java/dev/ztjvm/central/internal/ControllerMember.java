package dev.ztjvm.central.internal;

import dev.ztjvm.central.model.MemberTag;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A member object as a self-hosted controller reads and writes it: flat, with {@code address} and {@code nwid}
 * instead of Central's {@code nodeId}/{@code networkId} and {@code config}. As a request body, {@code null} fields are
 * left out.
 */
record ControllerMember(
    @Nullable String id,
    @Nullable String address,
    @Nullable String nwid,
    @Nullable String objtype,
    @Nullable String name,
    @Nullable Boolean authorized,
    @Nullable Boolean activeBridge,
    @Nullable String identity,
    @Nullable List<String> ipAssignments,
    @Nullable Boolean noAutoAssignIps,
    @Nullable Boolean ssoExempt,
    @Nullable List<Long> capabilities,
    @Nullable List<MemberTag> tags,
    @Nullable Long creationTime,
    @Nullable Long lastAuthorizedTime,
    @Nullable Long lastDeauthorizedTime,
    @Nullable Long revision,
    @Nullable Integer vMajor,
    @Nullable Integer vMinor,
    @Nullable Integer vRev,
    @Nullable Integer vProto) {}
