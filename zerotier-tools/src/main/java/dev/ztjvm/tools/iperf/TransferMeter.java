package dev.ztjvm.tools.iperf;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Measures one side of a running test: prints the MB/s of the bytes this side moved in each second (1 MB = 10^6
 * bytes), and takes the process CPU time from start to stop.
 */
final class TransferMeter {

  private final List<DataStream> streams;
  private final Consumer<String> out;
  private final long startNanos;
  private final long startCpuNanos;
  private final Thread reporter;
  private volatile boolean stopped;
  private long stopNanos;
  private long cpuNanos;

  private TransferMeter(List<DataStream> streams, Consumer<String> out) {
    this.streams = streams;
    this.out = out;
    this.startNanos = System.nanoTime();
    this.startCpuNanos = processCpuNanos();
    this.reporter = new Thread(this::report, "iperf-report");
    reporter.setDaemon(true);
  }

  /** Starts measuring now. */
  static TransferMeter start(List<DataStream> streams, Consumer<String> out) {
    TransferMeter m = new TransferMeter(streams, out);
    m.reporter.start();
    return m;
  }

  private void report() {
    long lastBytes = 0;
    long lastNanos = startNanos;
    for (int second = 1;; second++) {
      long due = startNanos + TimeUnit.SECONDS.toNanos(second);
      try {
        while (!stopped && System.nanoTime() < due) {
          TimeUnit.NANOSECONDS.sleep(Math.min(due - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(100)));
        }
      } catch (InterruptedException e) {
        return;
      }
      if (stopped) {
        return;
      }
      long now = System.nanoTime();
      long bytes = DataStream.totalBytes(streams);
      out.accept(String.format(Locale.ROOT, "%6.2f-%6.2f s  %10.2f MB/s", seconds(lastNanos - startNanos),
          seconds(now - startNanos), megabytes(bytes - lastBytes) / seconds(now - lastNanos)));
      lastBytes = bytes;
      lastNanos = now;
    }
  }

  /** Stops the per-second lines and the clocks. */
  void stop() {
    stopNanos = System.nanoTime();
    cpuNanos = processCpuNanos() - startCpuNanos;
    stopped = true;
    reporter.interrupt();
    try {
      reporter.join(1000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Seconds from start to stop. */
  double seconds() {
    return seconds(stopNanos - startNanos);
  }

  /** Process CPU time between start and stop (all threads of the JVM), or -1 if the JVM does not tell. */
  long cpuNanos() {
    return startCpuNanos < 0 ? -1 : cpuNanos;
  }

  /** CPU use in percent of one core, as iperf3 reports it in its results. */
  double cpuPercent() {
    double s = seconds();
    return cpuNanos() < 0 || s <= 0 ? 0 : cpuNanos() / 1e9 / s * 100;
  }

  static double seconds(long nanos) {
    return nanos / 1e9;
  }

  static double megabytes(long bytes) {
    return bytes / 1e6;
  }

  private static long processCpuNanos() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
      return os.getProcessCpuTime();
    }
    return -1;
  }
}
