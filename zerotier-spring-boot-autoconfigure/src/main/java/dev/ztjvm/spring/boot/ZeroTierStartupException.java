package dev.ztjvm.spring.boot;

/** The managed node did not start, or was not ready within the start-up wait while that was configured to fail. */
public class ZeroTierStartupException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  /** @param message what failed, naming the node and network */
  public ZeroTierStartupException(String message) {
    super(message);
  }

  /**
   * @param message what failed
   * @param cause the underlying failure
   */
  public ZeroTierStartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
