package dev.ztjvm.spring.boot;

/** The node could not bind its UDP port: another process (often a local zerotier-one) holds it. */
public final class ZeroTierPortInUseException extends ZeroTierStartupException {

  private static final long serialVersionUID = 1L;

  /** ZeroTier One's default port, which a local zerotier-one service holds. */
  public static final int ZEROTIER_ONE_PORT = 9993;

  private final int port;

  /**
   * @param port the UDP port that could not be bound, -1 when unknown
   * @param cause the bind failure
   */
  public ZeroTierPortInUseException(int port, Throwable cause) {
    super("ZeroTier node failed to start: " + cause.getMessage(), cause);
    this.port = port;
  }

  /** The UDP port that could not be bound, -1 when unknown. */
  public int getPort() {
    return port;
  }
}
