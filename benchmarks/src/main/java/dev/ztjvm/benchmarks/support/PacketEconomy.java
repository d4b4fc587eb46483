package dev.ztjvm.benchmarks.support;

import dev.ztjvm.netstack.tcp.TcpStats;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the iterations of a bulk-transfer benchmark cost besides time: process CPU per MB and the receiving TCP
 * stack's packet economy (data segments in, pure ACKs and window updates out). The benchmarks copy each iteration's
 * totals into their JMH {@code @AuxCounters} states (secondary results; JMH sums them over the measured iterations,
 * so they are totals, and the ratios are {@link #summary()}'s, printed at the end of the trial).
 */
public final class PacketEconomy {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private @Nullable Supplier<TcpStats> receiver;
  private long cpuStart;
  private TcpStats receiverStart = zero();
  private Result measured = new Result(0, 0, 0, 0, 0);

  /** Process CPU time (all threads, user and system) in nanoseconds. */
  public static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  /** Counters with every field zero (a transport without our TCP, e.g. the JDK baseline). */
  public static TcpStats zero() {
    return new TcpStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** Whether {@link #begin} was called since the last {@link #end}. */
  public boolean running() {
    return receiver != null;
  }

  /** Starts an iteration (from its first operation): the CPU time and the receiver's counters now. */
  public void begin(Supplier<TcpStats> receiverCounters) {
    receiver = receiverCounters;
    cpuStart = processCpuNanos();
    receiverStart = receiverCounters.get();
  }

  /**
   * Ends an iteration in which {@code bytes} were moved and returns its totals (zero if it never began); those of a
   * measured iteration are added to {@link #summary()}.
   */
  public Result end(long bytes, boolean measuredIteration) {
    Supplier<TcpStats> r = receiver;
    if (r == null) {
      return new Result(0, 0, 0, 0, 0);
    }
    receiver = null;
    TcpStats now = r.get();
    Result it = new Result((processCpuNanos() - cpuStart) / 1e6, bytes / 1e6,
        now.dataSegmentsIn() - receiverStart.dataSegmentsIn(), now.pureAcksOut() - receiverStart.pureAcksOut(),
        now.windowUpdatesOut() - receiverStart.windowUpdatesOut());
    if (measuredIteration) {
      measured = measured.plus(it);
    }
    return it;
  }

  /** The measured iterations' ratios: CPU per MB, pure ACKs and window updates per data segment. */
  public String summary() {
    Result m = measured;
    return String.format(Locale.ROOT,
        "cpu %.2f core-ms/MB (process), receiver: %.3f pure ACKs and %.4f window updates per data segment"
            + " (%d segments)",
        m.megabytes() > 0 ? m.cpuMs() / m.megabytes() : 0.0,
        m.dataSegments() > 0 ? (double) m.pureAcks() / m.dataSegments() : 0.0,
        m.dataSegments() > 0 ? (double) m.windowUpdates() / m.dataSegments() : 0.0, m.dataSegments());
  }

  /**
   * Totals of one or more iterations.
   *
   * @param cpuMs process CPU milliseconds (all threads: both ends of the transfer are in the process)
   * @param megabytes 10^6 bytes moved
   * @param dataSegments data segments the receiver got
   * @param pureAcks pure ACKs the receiver sent
   * @param windowUpdates the part of {@code pureAcks} sent only because a read reopened the window
   */
  public record Result(double cpuMs, double megabytes, long dataSegments, long pureAcks, long windowUpdates) {
    Result plus(Result o) {
      return new Result(cpuMs + o.cpuMs, megabytes + o.megabytes, dataSegments + o.dataSegments,
          pureAcks + o.pureAcks, windowUpdates + o.windowUpdates);
    }
  }
}
