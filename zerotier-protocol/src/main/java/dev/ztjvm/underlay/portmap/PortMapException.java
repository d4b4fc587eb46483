package dev.ztjvm.underlay.portmap;

import java.io.IOException;

/** The gateway refused a request with a result code, or never answered within the bounded retransmissions. */
public final class PortMapException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Result code meaning no answer arrived (not a code either protocol defines). */
  public static final int NO_ANSWER = -1;

  private final PortMapProtocol protocol;
  private final int resultCode;

  public PortMapException(PortMapProtocol protocol, int resultCode, String message) {
    super(message);
    this.protocol = protocol;
    this.resultCode = resultCode;
  }

  public PortMapProtocol protocol() {
    return protocol;
  }

  /** The protocol's result code (RFC 6887 section 7.4 or RFC 6886 section 3.5), or {@link #NO_ANSWER}. */
  public int resultCode() {
    return resultCode;
  }
}
