package dev.ztjvm.central.model;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Single sign-on settings of a network ({@code NetworkSSOConfig} in the spec).
 *
 * @param enabled               SSO enabled on the network
 * @param mode                  {@code default}, {@code email} or {@code group}
 * @param clientId              OIDC client ID (must be configured in the organization)
 * @param issuer                OIDC issuer URL (read-only)
 * @param provider              provider type (read-only)
 * @param authorizationEndpoint authorization URL (read-only)
 * @param allowList             e-mail addresses or groups allowed to authenticate
 */
public record NetworkSsoConfig(
    @Nullable Boolean enabled,
    @Nullable String mode,
    @Nullable String clientId,
    @Nullable String issuer,
    @Nullable String provider,
    @Nullable String authorizationEndpoint,
    @Nullable List<String> allowList) {}
