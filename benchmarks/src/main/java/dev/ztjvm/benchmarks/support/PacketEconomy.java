package dev.ztjvm.benchmarks.support;

import dev.ztjvm.netstack.tcp.TcpStats;
import java.lang.management.ManagementFactory;

/**
 * What one measured iteration of a bulk-transfer benchmark cost besides time: process CPU per MB and the receiving
 * TCP stack's packet economy (data segments in, pure ACKs and window updates out). The benchmarks copy these
 * values into their JMH {@code @AuxCounters} states, so they appear as secondary results next to the score.
 */
public final class PacketEconomy {
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  private long cpuStart;
  private TcpStats receiverStart = zero();

  /** Process CPU time (all threads, user and system) in nanoseconds. */
  public static long processCpuNanos() {
    return OS.getProcessCpuTime();
  }

  /** Counters with every field zero (a transport without our TCP, e.g. the JDK baseline). */
  public static TcpStats zero() {
    return new TcpStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** Starts an iteration: remembers the CPU time and the receiver's counters now. */
  public void start(TcpStats receiver) {
    cpuStart = processCpuNanos();
    receiverStart = receiver;
  }

  /** Ends an iteration in which {@code bytes} were moved; the receiver's counters are read again. */
  public Result finish(TcpStats receiver, long bytes) {
    long cpu = processCpuNanos() - cpuStart;
    long data = receiver.dataSegmentsIn() - receiverStart.dataSegmentsIn();
    long acks = receiver.pureAcksOut() - receiverStart.pureAcksOut();
    long updates = receiver.windowUpdatesOut() - receiverStart.windowUpdatesOut();
    double megabytes = bytes / 1e6;
    return new Result(megabytes > 0 ? cpu / 1e6 / megabytes : 0, data, acks, updates,
        data > 0 ? (double) acks / data : 0);
  }

  /**
   * One iteration's figures.
   *
   * @param cpuMsPerMb process CPU milliseconds per 10^6 bytes moved (both ends of the transfer are in the process)
   * @param dataSegments data segments the receiver got
   * @param pureAcks pure ACKs the receiver sent
   * @param windowUpdates the part of {@code pureAcks} sent only because a read reopened the window
   * @param acksPerDataSegment pure ACKs per data segment (Linux-like delayed ACKs: at most 0.5)
   */
  public record Result(double cpuMsPerMb, long dataSegments, long pureAcks, long windowUpdates,
      double acksPerDataSegment) {}
}
