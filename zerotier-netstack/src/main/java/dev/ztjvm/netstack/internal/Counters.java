package dev.ztjvm.netstack.internal;

import dev.ztjvm.netstack.LayerStatistics;

/**
 * Mutable counters of one layer, bumped on the event loop and copied into an immutable {@link LayerStatistics}
 * snapshot. Plain fields (no atomics): all writes happen on the single loop thread; readers on other threads see
 * a possibly slightly stale snapshot, which is fine for statistics.
 */
public final class Counters {
  public long received;
  public long sent;
  public long delivered;
  public long dropped;
  public long checksumErrors;
  public long lengthErrors;
  public long protocolErrors;
  public long notForUs;
  public long noRoute;
  public long queueOverflows;
  public long timeouts;
  public long rateLimited;
  public long ignored;

  /** Counts a drop with no more specific reason. */
  public void drop() {
    dropped++;
  }

  public void dropChecksum() {
    dropped++;
    checksumErrors++;
  }

  public void dropLength() {
    dropped++;
    lengthErrors++;
  }

  public void dropProtocol() {
    dropped++;
    protocolErrors++;
  }

  public void dropNotForUs() {
    dropped++;
    notForUs++;
  }

  public void dropNoRoute() {
    dropped++;
    noRoute++;
  }

  public void dropOverflow() {
    dropped++;
    queueOverflows++;
  }

  public void dropTimeout() {
    dropped++;
    timeouts++;
  }

  public LayerStatistics snapshot() {
    return new LayerStatistics(
        received, sent, delivered, dropped, checksumErrors, lengthErrors, protocolErrors, notForUs, noRoute,
        queueOverflows, timeouts, rateLimited, ignored);
  }
}
