package dev.ztjvm.node;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * An open-addressing hash map from {@code long} keys to values, so that per-packet lookups by ZeroTier address do
 * not box keys. Not thread-safe; used on the event loop only.
 */
final class LongMap<V> {

  private long[] keys;
  private @Nullable Object[] values;
  private int size;
  private int mask;

  LongMap() {
    this(16);
  }

  LongMap(int capacity) {
    int cap = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1);
    keys = new long[cap];
    values = new Object[cap];
    mask = cap - 1;
  }

  private static int hash(long k) {
    long h = k * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  @SuppressWarnings("unchecked")
  @Nullable
  V get(long key) {
    for (int i = hash(key) & mask;; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == key) {
        return (V) v;
      }
    }
  }

  @SuppressWarnings("unchecked")
  @Nullable
  V put(long key, V value) {
    if ((size + 1) * 4 > keys.length * 3) {
      grow();
    }
    for (int i = hash(key) & mask;; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        keys[i] = key;
        values[i] = value;
        size++;
        return null;
      }
      if (keys[i] == key) {
        values[i] = value;
        return (V) v;
      }
    }
  }

  @SuppressWarnings("unchecked")
  @Nullable
  V remove(long key) {
    for (int i = hash(key) & mask;; i = (i + 1) & mask) {
      Object v = values[i];
      if (v == null) {
        return null;
      }
      if (keys[i] == key) {
        values[i] = null;
        size--;
        // Re-insert the rest of the cluster so lookups do not stop early at the hole.
        for (int j = (i + 1) & mask; values[j] != null; j = (j + 1) & mask) {
          long k = keys[j];
          Object moved = values[j];
          values[j] = null;
          size--;
          put(k, (V) moved);
        }
        return (V) v;
      }
    }
  }

  int size() {
    return size;
  }

  @SuppressWarnings("unchecked")
  List<V> values() {
    List<V> out = new ArrayList<>(size);
    for (Object v : values) {
      if (v != null) {
        out.add((V) v);
      }
    }
    return out;
  }

  /** A copy of the keys (safe to iterate while the map changes). */
  long[] keys() {
    long[] out = new long[size];
    int n = 0;
    for (int i = 0; i < keys.length; i++) {
      if (values[i] != null) {
        out[n++] = keys[i];
      }
    }
    return out;
  }

  private void grow() {
    long[] oldKeys = keys;
    Object[] oldValues = values;
    keys = new long[oldKeys.length * 2];
    values = new Object[oldKeys.length * 2];
    mask = keys.length - 1;
    size = 0;
    for (int i = 0; i < oldKeys.length; i++) {
      if (oldValues[i] != null) {
        @SuppressWarnings("unchecked") V v = (V) oldValues[i];
        put(oldKeys[i], v);
      }
    }
  }

  void clear() {
    Arrays.fill(values, null);
    size = 0;
  }
}
