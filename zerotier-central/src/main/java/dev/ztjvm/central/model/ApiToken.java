package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * A user API token ({@code APIToken} in the spec). The token is write-only on the server (stored encrypted, never
 * returned); {@link #toString()} never shows it.
 *
 * @param tokenName user-chosen token name
 * @param token     the secret token, at least 32 characters
 */
public record ApiToken(@Nullable String tokenName, @Nullable String token) {

  /** Shows the name only; the token is masked. */
  @Override
  public String toString() {
    return "ApiToken[tokenName=" + tokenName + ", token=" + (token == null ? "null" : "****") + "]";
  }
}
