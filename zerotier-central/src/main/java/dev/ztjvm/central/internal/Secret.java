package dev.ztjvm.central.internal;

import java.util.Objects;

/** Holds the API token; {@link #toString()} never reveals it, {@link #redact(String)} scrubs it from text. */
public final class Secret {
  private final String value;

  /** Wraps a non-blank token. */
  public Secret(String value) {
    Objects.requireNonNull(value, "token");
    if (value.isBlank()) {
      throw new IllegalArgumentException("API token must not be blank");
    }
    this.value = value.strip();
  }

  /** The token itself, only for building the auth header. */
  String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of the token replaced by {@code ****}. */
  public String redact(String text) {
    return text.replace(value, "****");
  }

  @Override
  public String toString() {
    return "****";
  }
}
