package dev.ztjvm.nativeio;

import java.io.IOException;

/**
 * A TAP device could not be created here: wrong platform, no {@code /dev/net/tun}, missing privileges (root or
 * {@code CAP_NET_ADMIN}), or a name already taken. The message says what is missing and how to provide it.
 */
public final class TapUnavailableException extends IOException {

  private static final long serialVersionUID = 1L;

  public TapUnavailableException(String message) {
    super(message);
  }

  public TapUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
