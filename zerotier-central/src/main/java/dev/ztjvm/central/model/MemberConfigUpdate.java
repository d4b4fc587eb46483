package dev.ztjvm.central.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The writable fields of {@link MemberConfig}; {@code null} fields are left out of the request and so unchanged.
 *
 * @param activeBridge    allow bridging
 * @param authorized      authorize or deauthorize
 * @param capabilities    capability IDs
 * @param ipAssignments   assigned IP addresses (replaces the list)
 * @param noAutoAssignIps exempt from automatic assignment
 * @param ssoExempt       exempt from SSO
 * @param tags            tag values (replaces the list)
 */
public record MemberConfigUpdate(
    @Nullable Boolean activeBridge,
    @Nullable Boolean authorized,
    @Nullable List<Long> capabilities,
    @Nullable List<String> ipAssignments,
    @Nullable Boolean noAutoAssignIps,
    @Nullable Boolean ssoExempt,
    @Nullable List<MemberTag> tags) {

  static final MemberConfigUpdate NONE = new MemberConfigUpdate(null, null, null, null, null, null, null);
}
