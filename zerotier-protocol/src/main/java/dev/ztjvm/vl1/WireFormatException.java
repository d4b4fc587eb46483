package dev.ztjvm.vl1;

/**
 * Malformed wire input: truncated, out of range, or a value the format forbids. The one exception type of the wire
 * codecs ({@link WireReader} and every VL1 and VL2 parser built on it); the message names what was being read and
 * the problem. An {@link IllegalArgumentException}, so a receive path catching that drops the packet.
 */
public final class WireFormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public WireFormatException(String message) {
    super(message);
  }
}
