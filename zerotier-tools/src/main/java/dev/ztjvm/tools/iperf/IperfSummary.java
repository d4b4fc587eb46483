package dev.ztjvm.tools.iperf;

import java.util.Locale;

/**
 * The end of a test as one side saw it: what the sender sent and the receiver received, each over its own time, and
 * the CPU this side's process spent per megabyte it moved (1 MB = 10^6 bytes).
 *
 * @param senderBytes bytes the sending side wrote
 * @param senderSeconds the sender's test time
 * @param receiverBytes bytes the receiving side read
 * @param receiverSeconds the receiver's test time
 * @param localBytes the bytes this side moved (sent or received)
 * @param cpuNanos CPU time of this process during the test, -1 if not known
 */
public record IperfSummary(long senderBytes, double senderSeconds, long receiverBytes, double receiverSeconds,
    long localBytes, long cpuNanos) {

  public double senderMegabytesPerSecond() {
    return senderSeconds <= 0 ? 0 : TransferMeter.megabytes(senderBytes) / senderSeconds;
  }

  public double receiverMegabytesPerSecond() {
    return receiverSeconds <= 0 ? 0 : TransferMeter.megabytes(receiverBytes) / receiverSeconds;
  }

  /** CPU milliseconds of this process per megabyte it moved; NaN if not known. */
  public double cpuMillisPerMegabyte() {
    return cpuNanos < 0 || localBytes == 0 ? Double.NaN : cpuNanos / 1e6 / TransferMeter.megabytes(localBytes);
  }

  /** {@code sent 1234.56 MB in 10.00 s, received 1230.00 MB in 10.01 s}. */
  public String totalsLine() {
    return String.format(Locale.ROOT, "sent %.2f MB in %.2f s, received %.2f MB in %.2f s",
        TransferMeter.megabytes(senderBytes), senderSeconds, TransferMeter.megabytes(receiverBytes), receiverSeconds);
  }

  /** {@code sender 123.45 MB/s, receiver 123.00 MB/s, cpu 8.70 core-ms/MB}. */
  public String line() {
    double cpu = cpuMillisPerMegabyte();
    return String.format(Locale.ROOT, "sender %.2f MB/s, receiver %.2f MB/s, cpu %s core-ms/MB",
        senderMegabytesPerSecond(), receiverMegabytesPerSecond(),
        Double.isNaN(cpu) ? "n/a" : String.format(Locale.ROOT, "%.2f", cpu));
  }
}
