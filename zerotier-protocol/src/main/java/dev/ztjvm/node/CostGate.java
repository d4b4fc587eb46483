package dev.ztjvm.node;

/**
 * A budget for costly work caused by unauthenticated packets: at most {@code perKey} units per key (a source IP
 * address) and {@code global} units for everybody within each one-second window. The per-key table is bounded
 * ({@link BoundedMap}, least recently used key forgotten first), so spoofed keys cannot grow it; the global budget is
 * what still holds when every packet claims a new key. Confined to the node's loop.
 */
final class CostGate {

  private static final long WINDOW_MILLIS = 1_000;

  private final int perKey;
  private final int global;
  private final BoundedMap<Long, long[]> windows;
  private long globalWindowStart = Long.MIN_VALUE / 2;
  private int globalUsed;

  CostGate(int perKey, int global, int maxKeys) {
    this.perKey = perKey;
    this.global = global;
    this.windows = new BoundedMap<>(maxKeys);
  }

  /** Takes one unit for {@code key} if both budgets allow it. */
  boolean tryAcquire(long key, long now) {
    if (now - globalWindowStart >= WINDOW_MILLIS) {
      globalWindowStart = now;
      globalUsed = 0;
    }
    if (globalUsed >= global) {
      return false;
    }
    long[] w = windows.get(key);
    if (w == null) {
      w = new long[] {now, 0};
      windows.put(key, w);
    } else if (now - w[0] >= WINDOW_MILLIS) {
      w[0] = now;
      w[1] = 0;
    }
    if (w[1] >= perKey) {
      return false;
    }
    w[1]++;
    globalUsed++;
    return true;
  }

  int trackedKeys() {
    return windows.size();
  }
}
