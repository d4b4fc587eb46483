package dev.ztjvm.central.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The body of a member update: name, description, hidden flag and {@link MemberConfigUpdate config} fields.
 * {@code null} fields are left out and so unchanged. Start from {@link #authorize()}, {@link #deauthorize()},
 * {@link #named(String)} or {@link #empty()} and combine with the {@code with...} methods.
 *
 * @param name        member name
 * @param description member description (Central only)
 * @param hidden      hide in the UI (Central only)
 * @param config      configuration fields
 */
public record MemberUpdate(
    @Nullable String name,
    @Nullable String description,
    @Nullable Boolean hidden,
    @Nullable MemberConfigUpdate config) {

  /** An update that changes nothing. */
  public static MemberUpdate empty() {
    return new MemberUpdate(null, null, null, null);
  }

  /** Authorizes the member (also pre-authorizes a node that has not joined yet). */
  public static MemberUpdate authorize() {
    return empty().withAuthorized(true);
  }

  /** Deauthorizes the member. */
  public static MemberUpdate deauthorize() {
    return empty().withAuthorized(false);
  }

  /** Sets the member name. */
  public static MemberUpdate named(String name) {
    return empty().withName(name);
  }

  private MemberConfigUpdate cfg() {
    return config == null ? MemberConfigUpdate.NONE : config;
  }

  /** This update with the name set. */
  public MemberUpdate withName(String value) {
    return new MemberUpdate(value, description, hidden, config);
  }

  /** This update with the description set. */
  public MemberUpdate withDescription(String value) {
    return new MemberUpdate(name, value, hidden, config);
  }

  /** This update with the hidden flag set. */
  public MemberUpdate withHidden(boolean value) {
    return new MemberUpdate(name, description, value, config);
  }

  /** This update with the authorization set. */
  public MemberUpdate withAuthorized(boolean value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(c.activeBridge(), value,
        c.capabilities(), c.ipAssignments(), c.noAutoAssignIps(), c.ssoExempt(), c.tags()));
  }

  /** This update with the IP assignments replaced. */
  public MemberUpdate withIpAssignments(List<String> value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(c.activeBridge(), c.authorized(),
        c.capabilities(), List.copyOf(value), c.noAutoAssignIps(), c.ssoExempt(), c.tags()));
  }

  /** This update with the tag values replaced. */
  public MemberUpdate withTags(List<MemberTag> value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(c.activeBridge(), c.authorized(),
        c.capabilities(), c.ipAssignments(), c.noAutoAssignIps(), c.ssoExempt(), List.copyOf(value)));
  }

  /** This update with the capability IDs replaced. */
  public MemberUpdate withCapabilities(List<Long> value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(c.activeBridge(), c.authorized(),
        List.copyOf(value), c.ipAssignments(), c.noAutoAssignIps(), c.ssoExempt(), c.tags()));
  }

  /** This update with the active-bridge flag set. */
  public MemberUpdate withActiveBridge(boolean value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(value, c.authorized(),
        c.capabilities(), c.ipAssignments(), c.noAutoAssignIps(), c.ssoExempt(), c.tags()));
  }

  /** This update with the no-auto-assign flag set. */
  public MemberUpdate withNoAutoAssignIps(boolean value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(c.activeBridge(), c.authorized(),
        c.capabilities(), c.ipAssignments(), value, c.ssoExempt(), c.tags()));
  }

  /** This update with the SSO-exempt flag set. */
  public MemberUpdate withSsoExempt(boolean value) {
    MemberConfigUpdate c = cfg();
    return new MemberUpdate(name, description, hidden, new MemberConfigUpdate(c.activeBridge(), c.authorized(),
        c.capabilities(), c.ipAssignments(), c.noAutoAssignIps(), value, c.tags()));
  }
}
