package dev.ztjvm.central.internal;

import java.time.Duration;

/**
 * Bounds of the client's retries.
 *
 * @param maxRateLimitRetries   retries after HTTP 429 (any request: a rate-limited request was not processed)
 * @param maxServerErrorRetries retries after HTTP 5xx (idempotent requests only)
 * @param initialBackoff        first backoff when the server gave no wait; doubles per retry
 * @param maxBackoff            cap of the exponential backoff
 * @param maxRetryDelay         longest server-requested wait the client will sleep; a longer one fails at once
 */
public record RetrySettings(int maxRateLimitRetries, int maxServerErrorRetries, Duration initialBackoff,
    Duration maxBackoff, Duration maxRetryDelay) {

  /** Validates the settings. */
  public RetrySettings {
    if (maxRateLimitRetries < 0 || maxServerErrorRetries < 0) {
      throw new IllegalArgumentException("retry counts must be >= 0");
    }
    if (initialBackoff.isNegative() || maxBackoff.isNegative() || maxRetryDelay.isNegative()) {
      throw new IllegalArgumentException("retry durations must be >= 0");
    }
  }

  /** Backoff before retry number {@code retry} (0-based): initial * 2^retry, capped. */
  Duration backoff(long retry) {
    long factor = 1L << Math.min(retry, 20);
    long millis = initialBackoff.toMillis() * factor;
    return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
  }
}
