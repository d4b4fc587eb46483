package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CubicTest {
  private static final int MSS = 1000;

  /** Drives a controller with one full window of ACKs per RTT; returns cwnd after {@code rtts} round trips. */
  private static int grow(CongestionControl cc, long start, long rtt, int rtts) {
    long now = start;
    for (int r = 0; r < rtts; r++) {
      now += rtt;
      int segs = cc.cwnd() / MSS;
      for (int i = 0; i < segs; i++) {
        cc.onAck(MSS, cc.cwnd(), now);
      }
    }
    return cc.cwnd();
  }

  @Test
  void lossReducesByBetaAndTheCurveReturnsToTheOldMaximumAfterK() {
    Cubic c = new Cubic(MSS, 10);
    c.setCwnd(100 * MSS);
    c.onCongestionEvent(100 * MSS, 0);
    assertThat(c.cwnd()).isEqualTo(70 * MSS);
    assertThat(c.ssthresh()).isEqualTo(70 * MSS);
    double k = Math.cbrt(100 * (1 - Cubic.BETA) / Cubic.C);
    assertThat(c.k()).isCloseTo(k, within(1e-9));
    long rtt = 200 * MS; // long enough that the cubic curve, not the Reno-friendly estimate, governs
    int rtts = (int) Math.round(k * 1e9 / rtt);
    int atK = grow(c, 0, rtt, rtts);
    assertThat(atK).isBetween(97 * MSS, 103 * MSS); // plateau near W_max = 100 segments
    int later = grow(c, rtts * rtt, rtt, rtts);
    assertThat(later).isGreaterThan(120 * MSS); // convex probing beyond the old maximum
  }

  @Test
  void onShortPathsTheRenoFriendlyEstimateGoverns() {
    Cubic c = new Cubic(MSS, 10);
    c.setCwnd(100 * MSS);
    c.onCongestionEvent(100 * MSS, 0);
    long rtt = MS;
    int rtts = 1000; // one second, far below K (4.2 s): the cubic curve alone would still be below 100
    int w = grow(c, 0, rtt, rtts);
    // W_est grows by 3 (1 - beta) / (1 + beta) ~ 0.53 segments per RTT
    assertThat(w).isBetween(590 * MSS, 610 * MSS);
  }

  @Test
  void fastConvergenceLowersTheRememberedMaximum() {
    Cubic c = new Cubic(MSS, 10);
    c.setCwnd(100 * MSS);
    c.onCongestionEvent(100 * MSS, 0);
    c.onCongestionEvent(70 * MSS, 1); // second loss below the old maximum
    assertThat(c.k()).isCloseTo(Math.cbrt(70 * (1 + Cubic.BETA) / 2 * (1 - Cubic.BETA) / Cubic.C), within(1e-9));
  }

  @Test
  void cubicRecoversFasterThanRenoOnALongFatPath() {
    long rtt = 100 * MS;
    Cubic cubic = new Cubic(MSS, 10);
    NewReno reno = new NewReno(MSS, 10);
    for (CongestionControl cc : new CongestionControl[] {cubic, reno}) {
      cc.setCwnd(1000 * MSS);
      cc.onCongestionEvent(1000 * MSS, 0);
    }
    int c = grow(cubic, 0, rtt, 50);
    int r = grow(reno, 0, rtt, 50);
    assertThat(r).isEqualTo(550 * MSS); // one segment per RTT from 500 (NewReno halves)
    assertThat(c).isGreaterThan(950 * MSS);
  }

  @Test
  void transfersWithCubicOverALossyLinkComplete() {
    TcpConfig cfg = TcpConfig.builder().congestionControl(Cubic.FACTORY).build();
    TcpTransferTest.Result res = TcpTransferTest.transfer(61, 8 << 20, cfg, n -> {
      n.loss = 0.01;
      n.reorder = 0.02;
      n.delay = 10 * MS;
      n.bandwidth = 50_000_000;
    }, 3600 * S);
    assertThat(res.clientStats().fastRetransmits()).isPositive();
  }
}
