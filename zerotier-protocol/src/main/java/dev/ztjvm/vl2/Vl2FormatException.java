package dev.ztjvm.vl2;

/**
 * Thrown by every VL2 parser when its input is malformed (truncated, out of range, bad escape…). The message names
 * the problem. This is the only exception type the parsers throw for bad input.
 */
public final class Vl2FormatException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public Vl2FormatException(String message) {
    super(message);
  }
}
