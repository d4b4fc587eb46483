package dev.ztjvm.netstack.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The window bookkeeping NewReno and CUBIC share, checked on both. */
class WindowedCongestionControlTest {
  private static final int MSS = 1000;

  private static List<CongestionControl> both(int initialSegments) {
    return List.of(new NewReno(MSS, initialSegments), new Cubic(MSS, initialSegments));
  }

  @Test
  void initialWindowIsAtLeastOneSegment() {
    for (CongestionControl cc : both(10)) {
      assertThat(cc.cwnd()).as(cc.getClass().getSimpleName()).isEqualTo(10 * MSS);
      assertThat(cc.ssthresh()).isEqualTo(Integer.MAX_VALUE);
    }
    for (CongestionControl cc : both(0)) {
      assertThat(cc.cwnd()).as(cc.getClass().getSimpleName()).isEqualTo(MSS);
    }
  }

  @Test
  void setCwndNeverGoesBelowOneSegment() {
    for (CongestionControl cc : both(10)) {
      cc.setCwnd(10);
      assertThat(cc.cwnd()).as(cc.getClass().getSimpleName()).isEqualTo(MSS);
      cc.setCwnd(37 * MSS + 5);
      assertThat(cc.cwnd()).isEqualTo(37 * MSS + 5);
    }
  }

  @Test
  void mssChangeKeepsTheWindowInSegmentsAndIgnoresNonsense() {
    for (CongestionControl cc : both(10)) {
      String name = cc.getClass().getSimpleName();
      cc.setCwnd(12 * MSS + 400); // 12 whole segments
      cc.setMss(1400);
      assertThat(cc.cwnd()).as(name).isEqualTo(12 * 1400);
      cc.setMss(0);
      cc.setMss(-5);
      cc.setMss(1400);
      assertThat(cc.cwnd()).as(name).isEqualTo(12 * 1400);
      cc.setCwnd(Integer.MAX_VALUE / 4);
      cc.setMss(65_000); // would overflow an int: capped instead
      assertThat(cc.cwnd()).as(name).isEqualTo(Integer.MAX_VALUE / 2);
    }
  }

  @Test
  void slowStartCountsAtMostTwoSegmentsPerAck() {
    for (CongestionControl cc : both(10)) {
      String name = cc.getClass().getSimpleName();
      cc.onAck(500, 0, 0);
      assertThat(cc.cwnd()).as(name).isEqualTo(10 * MSS + 500);
      cc.onAck(10 * MSS, 0, 0); // a stretch ACK grows by L = 2 SMSS only
      assertThat(cc.cwnd()).as(name).isEqualTo(12 * MSS + 500);
    }
  }

  @Test
  void idleRestartShrinksToTheInitialWindowAtTheCurrentMss() {
    for (CongestionControl cc : both(4)) {
      String name = cc.getClass().getSimpleName();
      cc.setCwnd(50 * MSS);
      cc.setMss(1200);
      cc.onIdleRestart(0);
      assertThat(cc.cwnd()).as(name).isEqualTo(4 * 1200);
      cc.setCwnd(2 * 1200);
      cc.onIdleRestart(0); // never grows the window
      assertThat(cc.cwnd()).as(name).isEqualTo(2 * 1200);
    }
  }
}
