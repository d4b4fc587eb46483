package dev.ztjvm.netstack;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import org.jspecify.annotations.Nullable;

/**
 * IP address → MAC cache of one family (ARP for IPv4, NDP for IPv6), with resolution state, retries and a
 * bounded queue of packets waiting for each unresolved neighbour. Lookups do not allocate.
 */
final class NeighborCache {

  /** Hash key: an IPv4 address is (0, address), an IPv6 address the two halves. */
  static final class Key {
    long hi;
    long lo;

    Key(long hi, long lo) {
      this.hi = hi;
      this.lo = lo;
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Key k && k.hi == hi && k.lo == lo;
    }

    @Override
    public int hashCode() {
      long h = hi * 0x9E3779B97F4A7C15L ^ lo;
      return (int) (h ^ (h >>> 32));
    }
  }

  static final class Entry {
    final Key key;
    final byte[] address;
    long mac = -1;
    /** When a resolved entry must be confirmed again. */
    long reachableUntil;
    /** True while requests are outstanding (first resolution, or refresh of a resolved entry). */
    boolean resolving;
    int requestsSent;
    long nextRequestAt;
    long updatedAt;
    @Nullable ArrayDeque<PendingPacket> pending;

    Entry(Key key, byte[] address) {
      this.key = key;
      this.address = address;
    }

    boolean resolved() {
      return mac >= 0;
    }
  }

  private final HashMap<Key, Entry> entries = new HashMap<>();
  final ArrayList<Entry> resolving = new ArrayList<>();
  private final Key probe = new Key(0, 0);
  private final int maxEntries;

  NeighborCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  @Nullable
  Entry get(long hi, long lo) {
    probe.hi = hi;
    probe.lo = lo;
    return entries.get(probe);
  }

  /** Creates an unresolved entry, evicting the least recently updated one if the cache is full. */
  Entry create(long hi, long lo, byte[] address, long now) {
    if (entries.size() >= maxEntries) {
      evictOldest();
    }
    Entry e = new Entry(new Key(hi, lo), address);
    e.updatedAt = now;
    entries.put(e.key, e);
    return e;
  }

  void remove(Entry e) {
    entries.remove(e.key);
    resolving.remove(e);
  }

  int size() {
    return entries.size();
  }

  private void evictOldest() {
    Entry oldest = null;
    for (Entry e : entries.values()) {
      if (oldest == null || e.updatedAt < oldest.updatedAt) {
        oldest = e;
      }
    }
    if (oldest != null) {
      remove(oldest);
    }
  }

  Iterator<Entry> values() {
    return entries.values().iterator();
  }
}
