package dev.ztjvm.vl1;

import org.jspecify.annotations.Nullable;

/**
 * The VL1 verbs of protocol version 12 (spec 3.1). The verb code is the low five bits of the verb byte; {@link #of(int)}
 * is an array lookup, so dispatching on it allocates nothing.
 */
public enum Verb {
  NOP(0x00), HELLO(0x01), ERROR(0x02), OK(0x03), WHOIS(0x04), RENDEZVOUS(0x05), FRAME(0x06), EXT_FRAME(0x07), ECHO(
      0x08), MULTICAST_LIKE(0x09), NETWORK_CREDENTIALS(0x0a), NETWORK_CONFIG_REQUEST(0x0b), NETWORK_CONFIG(
          0x0c), MULTICAST_GATHER(0x0d), MULTICAST_FRAME(0x0e), PUSH_DIRECT_PATHS(0x10),
  /** Bonding; ignored by 1.14. */
  ACK(0x12),
  /** Bonding only. */
  QOS_MEASUREMENT(0x13), USER_MESSAGE(0x14), REMOTE_TRACE(0x15),
  /** Bonding only. */
  PATH_NEGOTIATION_REQUEST(0x16);

  /** Mask of the verb code inside the verb byte. */
  public static final int CODE_MASK = 0x1f;
  /** Verb-byte flag: the payload is one raw LZ4 block. */
  public static final int FLAG_COMPRESSED = 0x80;

  private static final @Nullable Verb[] BY_CODE = new Verb[CODE_MASK + 1];

  static {
    for (Verb v : values()) {
      BY_CODE[v.code] = v;
    }
  }

  private final int code;

  Verb(int code) {
    this.code = code;
  }

  /** The 5-bit verb code. */
  public int code() {
    return code;
  }

  /**
   * The verb for a code or verb byte (the compressed flag and unused bits are masked off), or {@code null} for the
   * unassigned codes 0x0f, 0x11 and 0x17..0x1f (which receivers ignore).
   */
  public static @Nullable Verb of(int codeOrVerbByte) {
    return BY_CODE[codeOrVerbByte & CODE_MASK];
  }

  /** The verb's name, or {@code VERB_0xNN} for an unassigned code; for log and tool output. */
  public static String nameOf(int codeOrVerbByte) {
    Verb v = of(codeOrVerbByte);
    return v != null ? v.name() : String.format("VERB_0x%02x", codeOrVerbByte & CODE_MASK);
  }
}
