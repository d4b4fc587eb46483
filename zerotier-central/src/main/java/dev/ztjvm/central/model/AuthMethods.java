package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * How a user authenticates ({@code AuthMethods} in the spec; all read-only).
 *
 * @param local  e-mail address for built-in authentication
 * @param google Google OIDC ID
 * @param oidc   generic OIDC ID
 */
public record AuthMethods(@Nullable String local, @Nullable String google, @Nullable String oidc) {}
