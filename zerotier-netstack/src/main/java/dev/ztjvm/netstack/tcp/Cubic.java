package dev.ztjvm.netstack.tcp;

/**
 * CUBIC congestion control (RFC 9438): after a loss the window follows W(t) = C (t - K)^3 + W_max, concave up to
 * the previous maximum and convex beyond it, never slower than the Reno-friendly estimate. Multiplicative decrease
 * 0.7, fast convergence on; slow start as in RFC 5681. Time comes from the ACK's {@code nowNanos}.
 */
public final class Cubic extends WindowedCongestionControl {

  /** Factory for {@link TcpConfig#congestionControl()}. */
  public static final Factory FACTORY = Cubic::new;

  static final double C = 0.4;
  static final double BETA = 0.7;
  private static final double ALPHA = 3 * (1 - BETA) / (1 + BETA);

  /** Window (segments) before the last reduction. */
  private double wMax;
  private double k;
  private long epochStart = Long.MIN_VALUE;
  /** Reno-friendly window estimate, segments. */
  private double wEst;
  private double cwndFraction;

  public Cubic(int mss, int initialWindowSegments) {
    super(mss, initialWindowSegments);
  }

  /** K in seconds: the time the cubic curve needs to climb back to W_max. */
  double k() {
    return k;
  }

  @Override
  public void onAck(int ackedBytes, int bytesInFlight, long nowNanos) {
    if (inSlowStart()) {
      slowStart(ackedBytes);
      return;
    }
    double segs = (double) cwnd / mss;
    if (epochStart == Long.MIN_VALUE) {
      // congestion avoidance without a prior loss in this epoch: start the curve here
      epochStart = nowNanos;
      if (wMax < segs) {
        wMax = segs;
        k = 0;
      } else {
        k = Math.cbrt((wMax - segs) / C);
      }
      wEst = segs;
    }
    double t = (nowNanos - epochStart) / 1e9;
    double target = C * Math.pow(t - k, 3) + wMax;
    double acked = (double) ackedBytes / mss;
    wEst += ALPHA * acked / segs;
    double next;
    if (target < wEst) {
      next = wEst; // Reno-friendly region
    } else {
      // grow towards the target, at most 50% per RTT's worth of ACKs (RFC 9438 section 4.4)
      double goal = Math.min(target, 1.5 * segs);
      next = segs + Math.max(0, goal - segs) / segs * acked;
    }
    cwndFraction += (next - segs) * mss;
    int add = (int) cwndFraction;
    if (add > 0) {
      cwndFraction -= add;
      grow(add);
    }
  }

  @Override
  public void onCongestionEvent(int bytesInFlight, long nowNanos) {
    double segs = (double) cwnd / mss;
    // fast convergence: release bandwidth if the maximum keeps shrinking
    wMax = segs < wMax ? segs * (1 + BETA) / 2 : segs;
    ssthresh = Math.max(2 * mss, (int) (cwnd * BETA));
    cwnd = ssthresh;
    k = Math.cbrt(wMax * (1 - BETA) / C);
    epochStart = nowNanos;
    wEst = (double) cwnd / mss;
    cwndFraction = 0;
  }

  @Override
  public void onRecoveryExit(int bytesInFlight, long nowNanos) {
    cwnd = Math.max(mss, ssthresh);
  }

  @Override
  public void onRetransmissionTimeout(int bytesInFlight, boolean first, long nowNanos) {
    if (first) {
      double segs = (double) cwnd / mss;
      wMax = segs < wMax ? segs * (1 + BETA) / 2 : segs;
      ssthresh = Math.max(2 * mss, (int) (cwnd * BETA));
    }
    cwnd = mss;
    epochStart = Long.MIN_VALUE;
    cwndFraction = 0;
  }

  @Override
  public void onIdleRestart(long nowNanos) {
    cwnd = Math.min(cwnd, initialWindow());
    epochStart = Long.MIN_VALUE;
  }
}
