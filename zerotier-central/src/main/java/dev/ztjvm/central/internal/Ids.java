package dev.ztjvm.central.internal;

import java.util.regex.Pattern;

/** Validation of identifiers before they go into a request path. */
public final class Ids {
  private static final Pattern NETWORK = Pattern.compile("[0-9a-fA-F]{16}");
  private static final Pattern NODE = Pattern.compile("[0-9a-fA-F]{10}");

  private Ids() {}

  /** A 16-hex-digit network ID, lower-cased. */
  public static String networkId(String value) {
    if (value == null || !NETWORK.matcher(value).matches()) {
      throw new IllegalArgumentException("network ID must be 16 hex digits: " + value);
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  /** A 10-hex-digit node (member) ID, lower-cased. */
  public static String nodeId(String value) {
    if (value == null || !NODE.matcher(value).matches()) {
      throw new IllegalArgumentException("member/node ID must be 10 hex digits: " + value);
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  /** A non-blank free-form path value (user ID, token name). */
  public static String nonBlank(String value, String what) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(what + " must not be blank");
    }
    return value;
  }
}
