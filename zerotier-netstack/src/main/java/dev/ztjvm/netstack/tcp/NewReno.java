package dev.ztjvm.netstack.tcp;

/**
 * RFC 5681 slow start and congestion avoidance with appropriate byte counting (RFC 3465, L = 2 SMSS). The
 * recovery half of NewReno (RFC 6582) lives in the connection, which calls {@link #setCwnd} to inflate/deflate.
 */
public final class NewReno extends WindowedCongestionControl {

  /** Factory for {@link TcpConfig}. */
  public static final Factory FACTORY = NewReno::new;

  private int ackedInAvoidance;

  public NewReno(int mss, int initialWindowSegments) {
    super(mss, initialWindowSegments);
  }

  @Override
  public void onAck(int ackedBytes, int bytesInFlight, long nowNanos) {
    if (inSlowStart()) {
      slowStart(ackedBytes);
    } else {
      ackedInAvoidance += ackedBytes;
      if (ackedInAvoidance >= cwnd) {
        ackedInAvoidance -= cwnd;
        grow(mss);
      }
    }
  }

  @Override
  public void onCongestionEvent(int bytesInFlight, long nowNanos) {
    ssthresh = Math.max(bytesInFlight / 2, 2 * mss);
    cwnd = ssthresh;
    ackedInAvoidance = 0;
  }

  @Override
  public void onRecoveryExit(int bytesInFlight, long nowNanos) {
    cwnd = Math.max(mss, Math.min(ssthresh, Math.max(bytesInFlight, mss) + mss));
    ackedInAvoidance = 0;
  }

  @Override
  public void onRetransmissionTimeout(int bytesInFlight, boolean first, long nowNanos) {
    if (first) {
      ssthresh = Math.max(bytesInFlight / 2, 2 * mss);
    }
    cwnd = mss;
    ackedInAvoidance = 0;
  }

  @Override
  public void onIdleRestart(long nowNanos) {
    cwnd = Math.min(cwnd, initialWindow());
  }
}
