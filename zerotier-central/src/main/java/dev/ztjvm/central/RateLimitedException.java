package dev.ztjvm.central;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * HTTP 429: the rate limit was exceeded and the client's bounded retries (which honour {@code Retry-After} and the
 * {@code X-RateLimit-*} headers) did not get through.
 */
public final class RateLimitedException extends ZeroTierCentralException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;
  private final @Nullable Long limit;
  private final @Nullable Long remaining;

  /**
   * Creates the exception for a 429 response.
   *
   * @param retryAfter wait the server asked for ({@code Retry-After} or {@code X-RateLimit-Reset}), if any
   * @param limit      {@code X-RateLimit-Limit}, if sent
   * @param remaining  {@code X-RateLimit-Remaining}, if sent
   */
  public RateLimitedException(String method, String path, String message, @Nullable Duration retryAfter,
      @Nullable Long limit, @Nullable Long remaining) {
    super(method, path, 429, message, null);
    this.retryAfter = retryAfter;
    this.limit = limit;
    this.remaining = remaining;
  }

  /** The wait the server asked for, or {@code null} if it sent none. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }

  /** The request limit per window from {@code X-RateLimit-Limit}, or {@code null}. */
  public @Nullable Long limit() {
    return limit;
  }

  /** Requests left in the window from {@code X-RateLimit-Remaining}, or {@code null}. */
  public @Nullable Long remaining() {
    return remaining;
  }
}
