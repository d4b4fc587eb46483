package dev.ztjvm.node;

/** VL1 timing constants in milliseconds (spec 6.1). */
final class Timing {
  private Timing() {}

  static final long TICK = 5_000;
  static final long PEER_PING_PERIOD = 60_000;
  static final long PATH_HEARTBEAT_PERIOD = 14_000;
  static final long PATH_ALIVE = PATH_HEARTBEAT_PERIOD + TICK;
  static final long PATH_EXPIRATION = 4 * PEER_PING_PERIOD + 3_000;
  static final long PEER_ACTIVITY_TIMEOUT = 500_000;
  static final long WHOIS_RETRY_DELAY = 500;
  static final long QUEUE_TIMEOUT = 5_000;
  static final int QUEUE_LIMIT = 32;
  static final long MIN_UNITE_INTERVAL = 30_000;
  static final long PUSH_DIRECT_PATHS_RELAYED = 15_000;
  static final long PUSH_DIRECT_PATHS_DIRECT = 120_000;
  /** A full HELLO to an upstream with a working path only this often (14,000 × 16). */
  static final long UPSTREAM_HELLO_PERIOD = PATH_HEARTBEAT_PERIOD * 16;
  /** At most one confirming HELLO per second to an unknown path. */
  static final long CONTACT_UNKNOWN_PATH_INTERVAL = 1_000;
  /** Answer at most this many ECHOs per second per peer. */
  static final int ECHO_PER_SECOND = 6;
  /** Non-root nodes answer at most one WHOIS per this period per requester. */
  static final long WHOIS_ANSWER_INTERVAL = 100;
  /** Window for PUSH_DIRECT_PATHS rate limiting. */
  static final long PUSH_DIRECT_PATHS_WINDOW = 30_000;
  static final int PUSH_DIRECT_PATHS_MAX_IN_WINDOW = 8;
}
