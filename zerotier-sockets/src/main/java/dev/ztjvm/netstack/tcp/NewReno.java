package dev.ztjvm.netstack.tcp;

/**
 * RFC 5681 slow start and congestion avoidance with appropriate byte counting (RFC 3465, L = 2 SMSS). The
 * recovery half of NewReno (RFC 6582) lives in the connection, which calls {@link #setCwnd} to inflate/deflate.
 */
public final class NewReno implements CongestionControl {

  /** Factory for {@link TcpConfig}. */
  public static final Factory FACTORY = NewReno::new;

  private int mss;
  private final int initialSegments;
  private int cwnd;
  private int ssthresh = Integer.MAX_VALUE;
  private int ackedInAvoidance;

  public NewReno(int mss, int initialWindowSegments) {
    this.mss = mss;
    this.initialSegments = initialWindowSegments;
    this.cwnd = initialWindow();
  }

  private int initialWindow() {
    return Math.max(1, initialSegments) * mss;
  }

  @Override
  public int cwnd() {
    return cwnd;
  }

  @Override
  public int ssthresh() {
    return ssthresh;
  }

  @Override
  public void setCwnd(int bytes) {
    cwnd = Math.max(mss, bytes);
  }

  @Override
  public void setMss(int newMss) {
    if (newMss <= 0 || newMss == mss) {
      return;
    }
    // keep the window's size in segments
    long segments = Math.max(1, cwnd / Math.max(1, mss));
    mss = newMss;
    cwnd = (int) Math.min(Integer.MAX_VALUE / 2, segments * newMss);
  }

  @Override
  public void onAck(int ackedBytes, int bytesInFlight, long nowNanos) {
    if (cwnd < ssthresh) {
      cwnd = (int) Math.min(Integer.MAX_VALUE / 2, (long) cwnd + Math.min(ackedBytes, 2 * mss));
    } else {
      ackedInAvoidance += ackedBytes;
      if (ackedInAvoidance >= cwnd) {
        ackedInAvoidance -= cwnd;
        cwnd = (int) Math.min(Integer.MAX_VALUE / 2, (long) cwnd + mss);
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
