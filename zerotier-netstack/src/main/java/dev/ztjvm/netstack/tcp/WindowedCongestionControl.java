package dev.ztjvm.netstack.tcp;

/**
 * The window bookkeeping NewReno and CUBIC share: cwnd and ssthresh in bytes, the restart window, the MSS change
 * that keeps the window's size in segments, and RFC 3465 slow start. Subclasses decide what congestion avoidance
 * and the loss responses do with it.
 */
abstract sealed class WindowedCongestionControl implements CongestionControl permits NewReno, Cubic {

  /** Upper bound for cwnd, far below overflow when the connection adds a segment or two to it. */
  static final int MAX_CWND = Integer.MAX_VALUE / 2;

  int mss;
  /** Initial window in segments, at least 1. */
  private final int initialSegments;
  int cwnd;
  int ssthresh = Integer.MAX_VALUE;

  WindowedCongestionControl(int mss, int initialWindowSegments) {
    this.mss = mss;
    this.initialSegments = Math.max(1, initialWindowSegments);
    this.cwnd = initialWindow();
  }

  /** The initial (and idle-restart) window at the current MSS, bytes. */
  final int initialWindow() {
    return initialSegments * mss;
  }

  @Override
  public final int cwnd() {
    return cwnd;
  }

  @Override
  public final int ssthresh() {
    return ssthresh;
  }

  @Override
  public final void setCwnd(int bytes) {
    cwnd = Math.max(mss, bytes);
  }

  @Override
  public final void setMss(int newMss) {
    if (newMss <= 0 || newMss == mss) {
      return;
    }
    // keep the window's size in segments
    long segments = Math.max(1, cwnd / Math.max(1, mss));
    mss = newMss;
    cwnd = capped(segments * newMss);
  }

  /** True while cwnd is below ssthresh. */
  final boolean inSlowStart() {
    return cwnd < ssthresh;
  }

  /** Slow start with appropriate byte counting, L = 2 SMSS (RFC 3465). */
  final void slowStart(int ackedBytes) {
    grow(Math.min(ackedBytes, 2 * mss));
  }

  /** Adds {@code bytes} to cwnd, capped at {@link #MAX_CWND}. */
  final void grow(long bytes) {
    cwnd = capped(cwnd + bytes);
  }

  private static int capped(long bytes) {
    return (int) Math.min(MAX_CWND, bytes);
  }
}
