package dev.ztjvm.netstack.tcp;

/**
 * A bounded, sorted set of disjoint half-open sequence-number ranges [start, end), compared in modulo-2^32
 * sequence space. Used for received out-of-order data and for the sender's SACK scoreboard.
 */
final class SeqRanges {
  private final int[] starts;
  private final int[] ends;
  private int count;

  SeqRanges(int maxRanges) {
    starts = new int[maxRanges];
    ends = new int[maxRanges];
  }

  int count() {
    return count;
  }

  int start(int i) {
    return starts[i];
  }

  int end(int i) {
    return ends[i];
  }

  void clear() {
    count = 0;
  }

  boolean isEmpty() {
    return count == 0;
  }

  /** Highest end, or {@code fallback} if empty. */
  int highestEnd(int fallback) {
    return count == 0 ? fallback : ends[count - 1];
  }

  long totalBytes() {
    long t = 0;
    for (int i = 0; i < count; i++) {
      t += ends[i] - starts[i];
    }
    return t;
  }

  /** Bytes covered at or above {@code seq}. */
  long bytesAbove(int seq) {
    long t = 0;
    for (int i = count - 1; i >= 0; i--) {
      if (Seq.le(ends[i], seq)) {
        break;
      }
      t += ends[i] - (Seq.gt(starts[i], seq) ? starts[i] : seq);
    }
    return t;
  }

  /** Whether {@code seq} lies in one of the ranges. */
  boolean contains(int seq) {
    for (int i = 0; i < count; i++) {
      if (Seq.ge(seq, starts[i]) && Seq.lt(seq, ends[i])) {
        return true;
      }
    }
    return false;
  }

  /** Index of the range containing {@code seq}, or -1. */
  int indexOf(int seq) {
    for (int i = 0; i < count; i++) {
      if (Seq.ge(seq, starts[i]) && Seq.lt(seq, ends[i])) {
        return i;
      }
    }
    return -1;
  }

  /**
   * Adds [s, e), merging with overlapping or touching ranges. Returns false (and changes nothing) if a new
   * separate range would exceed the bound.
   */
  boolean add(int s, int e) {
    if (!Seq.lt(s, e)) {
      return true;
    }
    int i = 0;
    while (i < count && Seq.lt(ends[i], s)) {
      i++;
    }
    // i: first range with end >= s
    if (i == count || Seq.gt(starts[i], e)) {
      if (count == starts.length) {
        return false;
      }
      System.arraycopy(starts, i, starts, i + 1, count - i);
      System.arraycopy(ends, i, ends, i + 1, count - i);
      starts[i] = s;
      ends[i] = e;
      count++;
      return true;
    }
    if (Seq.lt(s, starts[i])) {
      starts[i] = s;
    }
    if (Seq.gt(e, ends[i])) {
      ends[i] = e;
    }
    // swallow following ranges that now touch
    int j = i + 1;
    while (j < count && Seq.le(starts[j], ends[i])) {
      if (Seq.gt(ends[j], ends[i])) {
        ends[i] = ends[j];
      }
      j++;
    }
    int removed = j - (i + 1);
    if (removed > 0) {
      System.arraycopy(starts, j, starts, i + 1, count - j);
      System.arraycopy(ends, j, ends, i + 1, count - j);
      count -= removed;
    }
    return true;
  }

  /** Drops everything below {@code seq} (trimming a range that straddles it). */
  void removeBelow(int seq) {
    int i = 0;
    while (i < count && Seq.le(ends[i], seq)) {
      i++;
    }
    if (i > 0) {
      System.arraycopy(starts, i, starts, 0, count - i);
      System.arraycopy(ends, i, ends, 0, count - i);
      count -= i;
    }
    if (count > 0 && Seq.lt(starts[0], seq)) {
      starts[0] = seq;
    }
  }

  /** Removes range {@code i}. */
  void remove(int i) {
    System.arraycopy(starts, i + 1, starts, i, count - i - 1);
    System.arraycopy(ends, i + 1, ends, i, count - i - 1);
    count--;
  }
}
