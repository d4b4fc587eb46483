package dev.ztjvm.netstack.testing;

/** Simulated time in nanoseconds; only moves when a test or driver advances it. */
public final class VirtualClock {
  private long now;

  public VirtualClock() {
    this(0);
  }

  public VirtualClock(long startNanos) {
    this.now = startNanos;
  }

  public long now() {
    return now;
  }

  /** Moves time forward to {@code t} (never backwards). */
  public void advanceTo(long t) {
    if (t > now) {
      now = t;
    }
  }

  public void advanceBy(long nanos) {
    if (nanos < 0) {
      throw new IllegalArgumentException("time only moves forward");
    }
    now += nanos;
  }
}
