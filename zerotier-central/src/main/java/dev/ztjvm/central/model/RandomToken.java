package dev.ztjvm.central.model;

import org.jspecify.annotations.Nullable;

/**
 * A random token from {@code GET /randomToken} ({@code RandomToken} in the spec), suitable as a new API token.
 * {@link #toString()} masks the secret parts.
 *
 * @param clock server time, ms since the epoch
 * @param hex   the random bytes, hex-encoded
 * @param token a random 32-character token
 */
public record RandomToken(@Nullable Long clock, @Nullable String hex, @Nullable String token) {

  /** Shows the clock only; the random values are masked. */
  @Override
  public String toString() {
    return "RandomToken[clock=" + clock + ", hex=****, token=****]";
  }
}
