package dev.ztjvm.node;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map that keeps at most {@code capacity} entries, forgetting the least recently used one when a new one comes:
 * the bounded memory of gates and caches fed by the wire, where clearing everything at a threshold would let a flood
 * reset the gate for everybody. Not thread-safe.
 */
final class BoundedMap<K, V> extends LinkedHashMap<K, V> {

  private static final long serialVersionUID = 1L;
  private final int capacity;

  BoundedMap(int capacity) {
    super(16, 0.75f, true);
    this.capacity = capacity;
  }

  @Override
  protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
    return size() > capacity;
  }
}
