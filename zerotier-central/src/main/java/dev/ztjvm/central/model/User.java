package dev.ztjvm.central.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A Central user ({@code User} in the spec).
 *
 * @param id                user ID (read-only)
 * @param orgId             organization ID (read-only)
 * @param globalPermissions global permissions (read-only)
 * @param displayName       display name
 * @param email             e-mail address (read-only)
 * @param auth              authentication methods (read-only)
 * @param smsNumber         SMS number (deprecated)
 * @param tokens            names of the user's API tokens (read-only; the tokens themselves cannot be read back)
 */
public record User(
    @Nullable String id,
    @Nullable String orgId,
    @Nullable Permissions globalPermissions,
    @Nullable String displayName,
    @Nullable String email,
    @Nullable AuthMethods auth,
    @Nullable String smsNumber,
    @Nullable List<String> tokens) {}
