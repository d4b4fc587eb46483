package dev.ztjvm.netstack.tcp;

/**
 * A congestion controller for one connection: owns the congestion window and slow-start threshold (bytes). The
 * connection runs loss detection and recovery (fast retransmit, SACK/NewReno recovery, RTO) and tells the
 * controller what happened; the controller decides the window. {@link NewReno} is the default; CUBIC can follow.
 */
public interface CongestionControl {

  /** Congestion window in bytes. */
  int cwnd();

  /** Slow-start threshold in bytes. */
  int ssthresh();

  /** Overrides the window (used by NewReno-style recovery for inflation and deflation). */
  void setCwnd(int bytes);

  /** The sender's maximum segment size changed (after the handshake or path MTU changes). */
  void setMss(int mss);

  /** New data was cumulatively acknowledged outside loss recovery. */
  void onAck(int ackedBytes, int bytesInFlight, long nowNanos);

  /** Loss was detected by duplicate ACKs or SACK: entering fast recovery. */
  void onCongestionEvent(int bytesInFlight, long nowNanos);

  /** Fast recovery ended with the recovery point acknowledged. */
  void onRecoveryExit(int bytesInFlight, long nowNanos);

  /** The retransmission timer expired; {@code first} is false for back-to-back timeouts of the same data. */
  void onRetransmissionTimeout(int bytesInFlight, boolean first, long nowNanos);

  /** The connection sent nothing for more than an RTO (RFC 5681 section 4.1 restart window). */
  void onIdleRestart(long nowNanos);

  /** Creates one controller per connection. */
  @FunctionalInterface
  interface Factory {
    CongestionControl create(int mss, int initialWindowSegments);
  }
}
