package dev.ztjvm.netstack;

/**
 * A protocol with timers of its own (TCP) that the interface drives from {@link NetworkInterface#poll(long)} and
 * includes in {@link NetworkInterface#nextDeadline()}.
 */
public interface TimerClient {

  /** Runs the timers due at {@code nowNanos}. */
  void poll(long nowNanos);

  /** Earliest time at which {@link #poll} has work, or {@link Long#MAX_VALUE} if none. */
  long nextDeadline();
}
