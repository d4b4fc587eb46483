package dev.ztjvm.vl1;

/**
 * Remembers the wire packet IDs of requests we sent recently, so that an OK is accepted only if it answers one of
 * them (spec 3.1). Bounded (fixed-size buckets, oldest entry of a bucket overwritten) and expiring (entries older
 * than the maximum age never match). Record IDs after armoring: for suite 3 the wire ID is the SIV-derived one.
 *
 * <p>Not thread-safe: one instance per node event loop. Allocation-free after construction.
 */
public final class SentPacketTable {

  public static final int DEFAULT_BUCKETS = 256;
  public static final int WAYS = 8;
  public static final long DEFAULT_MAX_AGE_MILLIS = 60_000;

  private final long[] ids;
  private final long[] times;
  private final boolean[] used;
  private final byte[] next;
  private final int bucketMask;
  private final long maxAgeMillis;

  public SentPacketTable() {
    this(DEFAULT_BUCKETS, DEFAULT_MAX_AGE_MILLIS);
  }

  /**
   * @param buckets number of buckets, a power of two (capacity = buckets × {@value #WAYS})
   * @param maxAgeMillis how long a sent packet may be answered
   */
  public SentPacketTable(int buckets, long maxAgeMillis) {
    if (buckets < 1 || Integer.bitCount(buckets) != 1) {
      throw new IllegalArgumentException("buckets must be a power of two: " + buckets);
    }
    if (maxAgeMillis <= 0) {
      throw new IllegalArgumentException("maxAgeMillis must be positive: " + maxAgeMillis);
    }
    ids = new long[buckets * WAYS];
    times = new long[buckets * WAYS];
    used = new boolean[buckets * WAYS];
    next = new byte[buckets];
    bucketMask = buckets - 1;
    this.maxAgeMillis = maxAgeMillis;
  }

  private int bucket(long id) {
    long h = id * 0x9E3779B97F4A7C15L;
    return (int) (h >>> 40) & bucketMask;
  }

  /** Records a packet ID we just sent (after armoring). */
  public void record(long packetId, long nowMillis) {
    int b = bucket(packetId);
    int base = b * WAYS;
    for (int i = base; i < base + WAYS; i++) {
      if (used[i] && ids[i] == packetId) {
        times[i] = nowMillis;
        return;
      }
    }
    int way = next[b];
    next[b] = (byte) ((way + 1) % WAYS);
    ids[base + way] = packetId;
    times[base + way] = nowMillis;
    used[base + way] = true;
  }

  /** True if {@code inRePacketId} is a packet we sent within the maximum age. */
  public boolean expects(long inRePacketId, long nowMillis) {
    int base = bucket(inRePacketId) * WAYS;
    for (int i = base; i < base + WAYS; i++) {
      if (used[i] && ids[i] == inRePacketId) {
        long age = nowMillis - times[i];
        return age >= 0 && age <= maxAgeMillis;
      }
    }
    return false;
  }

  /** Forgets a packet ID (e.g. after its single expected answer arrived). */
  public void remove(long packetId) {
    int base = bucket(packetId) * WAYS;
    for (int i = base; i < base + WAYS; i++) {
      if (used[i] && ids[i] == packetId) {
        used[i] = false;
      }
    }
  }
}
