package dev.ztjvm.vl2;

/**
 * Single-sign-on fields of a network config (spec 7.4). Version 0 uses {@code authenticationUrl} and
 * {@code authenticationExpiryTime}; version 1 uses the OIDC fields.
 */
public record SsoConfig(
    long version,
    boolean enabled,
    String authenticationUrl,
    long authenticationExpiryTime,
    String issuerUrl,
    String centralEndpointUrl,
    String nonce,
    String state,
    String clientId,
    String provider) {

  /** SSO off, version 0 — what a 1.14 controller without SSO writes. */
  public static final SsoConfig DISABLED = new SsoConfig(0, false, "", 0, "", "", "", "", "", "");
}
