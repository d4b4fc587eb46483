package dev.ztjvm.central;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

/** HTTP 5xx after the client's bounded retries with backoff (idempotent requests only are retried). */
public final class ServerErrorException extends ZeroTierCentralException {
  private static final long serialVersionUID = 1L;

  private final @Nullable Duration retryAfter;

  /** Creates the exception for a 5xx response. */
  public ServerErrorException(String method, String path, int statusCode, String message,
      @Nullable Duration retryAfter) {
    super(method, path, statusCode, message, null);
    this.retryAfter = retryAfter;
  }

  /** {@code Retry-After} of the response (e.g. with 503), or {@code null}. */
  public @Nullable Duration retryAfter() {
    return retryAfter;
  }
}
