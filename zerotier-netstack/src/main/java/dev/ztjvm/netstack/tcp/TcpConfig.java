package dev.ztjvm.netstack.tcp;

import java.util.Objects;

/**
 * Tunables of a {@link TcpStack}. Defaults follow libzt's lwIP sizing (MSS up to 2760 for MTU 2800, ~1 MiB receive
 * window with scaling, SACK on) and common practice for timers. Build with {@link #builder()}.
 *
 * @param maxMss largest MSS we advertise and use (further capped by the path: IP payload limit minus 20)
 * @param sendBufferSize send buffer capacity in bytes (write accepts at most the free space)
 * @param receiveBufferSize receive buffer capacity in bytes (the largest window we advertise)
 * @param initialBufferSize initial allocation of each ring buffer; rings grow on demand up to their capacity
 * @param windowScaling offer RFC 7323 window scaling
 * @param timestamps offer RFC 7323 timestamps (RTT measurement and PAWS)
 * @param sack offer RFC 2018 selective acknowledgments
 * @param noDelay default for new connections: disable Nagle's algorithm
 * @param delayedAckNanos delayed-ACK timer (an ACK is still sent for every second full segment)
 * @param mslNanos maximum segment lifetime; TIME_WAIT lasts twice this
 * @param finWait2TimeoutNanos how long a fully closed (by the user) connection waits for the peer's FIN
 * @param initialRtoNanos RTO before the first RTT sample (RFC 6298: 1 s)
 * @param minRtoNanos lower RTO bound
 * @param maxRtoNanos upper RTO bound (also caps backoff)
 * @param maxRetransmits retransmission timeouts of the same data before the connection fails
 * @param synRetries SYN / SYN-ACK retransmissions before a handshake fails
 * @param keepAlive default for new connections: send keepalive probes
 * @param keepAliveIdleNanos idle time before the first keepalive probe
 * @param keepAliveIntervalNanos time between unanswered keepalive probes
 * @param keepAliveCount unanswered probes after which the connection fails
 * @param maxOutOfOrderBytes how far beyond the next expected byte out-of-order data is kept
 * @param maxOutOfOrderRanges how many separate out-of-order ranges are kept
 * @param initialWindowSegments initial congestion window in segments (RFC 6928: 10)
 * @param defaultBacklog accept-queue bound when a listener gives none
 * @param synBacklog bound of half-open connections per listener
 * @param congestionControl creates the congestion controller of each connection
 */
public record TcpConfig(
    int maxMss,
    int sendBufferSize,
    int receiveBufferSize,
    int initialBufferSize,
    boolean windowScaling,
    boolean timestamps,
    boolean sack,
    boolean noDelay,
    long delayedAckNanos,
    long mslNanos,
    long finWait2TimeoutNanos,
    long initialRtoNanos,
    long minRtoNanos,
    long maxRtoNanos,
    int maxRetransmits,
    int synRetries,
    boolean keepAlive,
    long keepAliveIdleNanos,
    long keepAliveIntervalNanos,
    int keepAliveCount,
    int maxOutOfOrderBytes,
    int maxOutOfOrderRanges,
    int initialWindowSegments,
    int defaultBacklog,
    int synBacklog,
    CongestionControl.Factory congestionControl) {

  private static final long MS = 1_000_000L;
  private static final long S = 1_000_000_000L;

  public TcpConfig {
    Objects.requireNonNull(congestionControl, "congestionControl");
    require(maxMss >= 64 && maxMss <= 65495, "maxMss must be in [64, 65495]");
    require(sendBufferSize >= 1 && sendBufferSize <= (1 << 30), "sendBufferSize must be in [1, 2^30]");
    require(receiveBufferSize >= 1 && receiveBufferSize <= (1 << 30), "receiveBufferSize must be in [1, 2^30]");
    require(initialBufferSize >= 1, "initialBufferSize must be positive");
    require(delayedAckNanos >= 0 && mslNanos >= 0 && finWait2TimeoutNanos >= 0, "timers must not be negative");
    require(minRtoNanos > 0 && initialRtoNanos >= minRtoNanos && maxRtoNanos >= initialRtoNanos,
        "need 0 < minRto <= initialRto <= maxRto");
    require(maxRetransmits >= 1 && synRetries >= 1, "retry counts must be positive");
    require(keepAliveIdleNanos > 0 && keepAliveIntervalNanos > 0 && keepAliveCount >= 1,
        "keepalive settings must be positive");
    require(maxOutOfOrderBytes >= 0 && maxOutOfOrderRanges >= 1, "out-of-order limits invalid");
    require(initialWindowSegments >= 1, "initialWindowSegments must be positive");
    require(defaultBacklog >= 1 && synBacklog >= 1, "backlogs must be positive");
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The defaults. */
  public static TcpConfig defaults() {
    return builder().build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from these values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxMss = maxMss;
    b.sendBufferSize = sendBufferSize;
    b.receiveBufferSize = receiveBufferSize;
    b.initialBufferSize = initialBufferSize;
    b.windowScaling = windowScaling;
    b.timestamps = timestamps;
    b.sack = sack;
    b.noDelay = noDelay;
    b.delayedAckNanos = delayedAckNanos;
    b.mslNanos = mslNanos;
    b.finWait2TimeoutNanos = finWait2TimeoutNanos;
    b.initialRtoNanos = initialRtoNanos;
    b.minRtoNanos = minRtoNanos;
    b.maxRtoNanos = maxRtoNanos;
    b.maxRetransmits = maxRetransmits;
    b.synRetries = synRetries;
    b.keepAlive = keepAlive;
    b.keepAliveIdleNanos = keepAliveIdleNanos;
    b.keepAliveIntervalNanos = keepAliveIntervalNanos;
    b.keepAliveCount = keepAliveCount;
    b.maxOutOfOrderBytes = maxOutOfOrderBytes;
    b.maxOutOfOrderRanges = maxOutOfOrderRanges;
    b.initialWindowSegments = initialWindowSegments;
    b.defaultBacklog = defaultBacklog;
    b.synBacklog = synBacklog;
    b.congestionControl = congestionControl;
    return b;
  }

  /** Mutable builder of {@link TcpConfig}. */
  public static final class Builder {
    private int maxMss = 2760;
    private int sendBufferSize = 1 << 20;
    private int receiveBufferSize = 0xffff0;
    private int initialBufferSize = 16 * 1024;
    private boolean windowScaling = true;
    private boolean timestamps = true;
    private boolean sack = true;
    private boolean noDelay = false;
    private long delayedAckNanos = 40 * MS;
    private long mslNanos = 30 * S;
    private long finWait2TimeoutNanos = 60 * S;
    private long initialRtoNanos = S;
    private long minRtoNanos = 200 * MS;
    private long maxRtoNanos = 60 * S;
    private int maxRetransmits = 15;
    private int synRetries = 6;
    private boolean keepAlive = false;
    private long keepAliveIdleNanos = 2 * 3600 * S;
    private long keepAliveIntervalNanos = 75 * S;
    private int keepAliveCount = 9;
    private int maxOutOfOrderBytes = -1;
    private int maxOutOfOrderRanges = 32;
    private int initialWindowSegments = 10;
    private int defaultBacklog = 128;
    private int synBacklog = 256;
    private CongestionControl.Factory congestionControl = NewReno.FACTORY;

    private Builder() {}

    public Builder maxMss(int v) {
      maxMss = v;
      return this;
    }
    public Builder sendBufferSize(int v) {
      sendBufferSize = v;
      return this;
    }
    public Builder receiveBufferSize(int v) {
      receiveBufferSize = v;
      return this;
    }
    public Builder initialBufferSize(int v) {
      initialBufferSize = v;
      return this;
    }
    public Builder windowScaling(boolean v) {
      windowScaling = v;
      return this;
    }
    public Builder timestamps(boolean v) {
      timestamps = v;
      return this;
    }
    public Builder sack(boolean v) {
      sack = v;
      return this;
    }
    public Builder noDelay(boolean v) {
      noDelay = v;
      return this;
    }
    public Builder delayedAckNanos(long v) {
      delayedAckNanos = v;
      return this;
    }
    public Builder mslNanos(long v) {
      mslNanos = v;
      return this;
    }
    public Builder finWait2TimeoutNanos(long v) {
      finWait2TimeoutNanos = v;
      return this;
    }
    public Builder initialRtoNanos(long v) {
      initialRtoNanos = v;
      return this;
    }
    public Builder minRtoNanos(long v) {
      minRtoNanos = v;
      return this;
    }
    public Builder maxRtoNanos(long v) {
      maxRtoNanos = v;
      return this;
    }
    public Builder maxRetransmits(int v) {
      maxRetransmits = v;
      return this;
    }
    public Builder synRetries(int v) {
      synRetries = v;
      return this;
    }
    public Builder keepAlive(boolean v) {
      keepAlive = v;
      return this;
    }
    public Builder keepAliveIdleNanos(long v) {
      keepAliveIdleNanos = v;
      return this;
    }
    public Builder keepAliveIntervalNanos(long v) {
      keepAliveIntervalNanos = v;
      return this;
    }
    public Builder keepAliveCount(int v) {
      keepAliveCount = v;
      return this;
    }
    /** Default (negative): the receive buffer size. */
    public Builder maxOutOfOrderBytes(int v) {
      maxOutOfOrderBytes = v;
      return this;
    }
    public Builder maxOutOfOrderRanges(int v) {
      maxOutOfOrderRanges = v;
      return this;
    }
    public Builder initialWindowSegments(int v) {
      initialWindowSegments = v;
      return this;
    }
    public Builder defaultBacklog(int v) {
      defaultBacklog = v;
      return this;
    }
    public Builder synBacklog(int v) {
      synBacklog = v;
      return this;
    }
    public Builder congestionControl(CongestionControl.Factory v) {
      congestionControl = v;
      return this;
    }

    public TcpConfig build() {
      return new TcpConfig(maxMss, sendBufferSize, receiveBufferSize,
          Math.min(initialBufferSize, Math.max(sendBufferSize, receiveBufferSize)), windowScaling, timestamps, sack,
          noDelay, delayedAckNanos, mslNanos, finWait2TimeoutNanos, initialRtoNanos, minRtoNanos, maxRtoNanos,
          maxRetransmits, synRetries, keepAlive, keepAliveIdleNanos, keepAliveIntervalNanos, keepAliveCount,
          maxOutOfOrderBytes < 0 ? receiveBufferSize : maxOutOfOrderBytes, maxOutOfOrderRanges,
          initialWindowSegments, defaultBacklog, synBacklog, congestionControl);
    }
  }
}
