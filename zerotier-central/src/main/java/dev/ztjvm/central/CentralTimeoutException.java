package dev.ztjvm.central;

import java.time.Duration;

/** No complete response within the configured response timeout (status code 0). */
public final class CentralTimeoutException extends ZeroTierCentralException {
  private static final long serialVersionUID = 1L;

  private final Duration timeout;

  /** Creates the exception for a request that timed out after {@code timeout}. */
  public CentralTimeoutException(String method, String path, Duration timeout, Throwable cause) {
    super(method, path, 0, "no response within " + timeout, cause);
    this.timeout = timeout;
  }

  /** The response timeout that elapsed. */
  public Duration timeout() {
    return timeout;
  }
}
