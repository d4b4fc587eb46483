package dev.ztjvm.netstack;

import dev.ztjvm.netstack.internal.Counters;
import java.util.ArrayList;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Fragment reassembly for one IP family (RFC 815 style hole tracking with a sorted range list). Bounded in the
 * number of datagrams in progress, in buffer bytes, and in time; every discarded fragment is counted.
 *
 * <p>Overlapping fragments (RFC 5722 for IPv6; applied to IPv4 as well, as Linux does) poison the datagram: its
 * buffered fragments are discarded and re-counted as protocol drops, and fragments of it arriving until its
 * reassembly timeout are dropped too, so no mix of two different payloads can ever be delivered. An exact
 * duplicate (same bytes at an offset already held) is not an overlap: only that copy is dropped (link-level
 * duplication is normal).
 */
final class Reassembler {

  static final class Datagram {
    final byte[] src;
    final byte[] dst;
    final int id;
    final int protocol;
    final long deadline;
    byte[] data = new byte[0];
    /** Sorted, disjoint, non-adjacent [start, end) pairs of received bytes. */
    int[] ranges = new int[8];
    int rangeCount;
    /** Total payload length once the last fragment arrived, else -1. */
    int total = -1;
    /** Next-header / protocol value carried by the first fragment (IPv6), or the IPv4 protocol. */
    int firstNextHeader = -1;
    int fragments;
    /** Set when overlapping fragments were seen: the datagram is never delivered, only waits for its deadline. */
    boolean poisoned;

    Datagram(byte[] src, byte[] dst, int id, int protocol, long deadline) {
      this.src = src;
      this.dst = dst;
      this.id = id;
      this.protocol = protocol;
      this.deadline = deadline;
    }

    boolean complete() {
      return total >= 0 && rangeCount == 1 && ranges[0] == 0 && ranges[1] == total;
    }
  }

  private final ArrayList<Datagram> active = new ArrayList<>();
  private final Counters counters;
  private final int maxDatagrams;
  private final int maxBytes;
  private final int maxDatagramLength;
  private final long timeoutNanos;
  private int bytesHeld;

  Reassembler(Counters counters, int maxDatagrams, int maxBytes, int maxDatagramLength, long timeoutNanos) {
    this.counters = counters;
    this.maxDatagrams = maxDatagrams;
    this.maxBytes = maxBytes;
    this.maxDatagramLength = maxDatagramLength;
    this.timeoutNanos = timeoutNanos;
  }

  /**
   * Adds one fragment (already counted as received by the caller). Returns the datagram when this fragment
   * completed it (the caller then processes {@code data[0, total)} and the datagram is forgotten), else null.
   *
   * @param offset payload offset of this fragment in bytes
   * @param more the more-fragments flag
   * @param nextHeader for IPv6 the next header in the fragment header, for IPv4 the protocol
   */
  @Nullable
  Datagram add(
      byte[] src, byte[] dst, int id, int protocol, int offset, boolean more, int nextHeader,
      byte[] buf, int off, int len, long now) {
    int end = offset + len;
    if (end > maxDatagramLength || (more && (len & 7) != 0) || (more && len == 0)) {
      counters.dropLength();
      return null;
    }
    Datagram d = find(src, dst, id, protocol);
    if (d == null) {
      if (active.size() >= maxDatagrams) {
        counters.dropOverflow();
        return null;
      }
      d = new Datagram(src.clone(), dst.clone(), id, protocol, now + timeoutNanos);
      active.add(d);
    }
    if (d.poisoned) {
      counters.dropProtocol();
      return null;
    }
    int overlap = overlap(d, offset, end);
    if (overlap == DUPLICATE && sameBytes(d, offset, buf, off, len)) {
      counters.drop();
      return null;
    } else if (overlap != NONE) {
      poison(d);
      counters.dropProtocol();
      return null;
    }
    if (!more) {
      if ((d.total >= 0 && d.total != end) || end < highestEnd(d)) {
        discard(d);
        counters.dropProtocol();
        return null;
      }
      d.total = end;
    } else if (d.total >= 0 && end > d.total) {
      discard(d);
      counters.dropProtocol();
      return null;
    }
    if (end > d.data.length) {
      int cap = Math.min(maxDatagramLength, Math.max(end, Math.min(2 * d.data.length, maxDatagramLength)));
      if (d.total >= 0) {
        cap = Math.max(end, d.total);
      }
      if (bytesHeld - d.data.length + cap > maxBytes) {
        discard(d);
        counters.dropOverflow();
        return null;
      }
      bytesHeld += cap - d.data.length;
      d.data = Arrays.copyOf(d.data, cap);
    }
    System.arraycopy(buf, off, d.data, offset, len);
    if (offset == 0) {
      d.firstNextHeader = nextHeader;
    }
    addRange(d, offset, end);
    d.fragments++;
    counters.delivered++;
    if (d.complete() && d.firstNextHeader >= 0) {
      active.remove(d);
      bytesHeld -= d.data.length;
      return d;
    }
    return null;
  }

  private static final int NONE = 0;
  private static final int DUPLICATE = 1;
  private static final int OVERLAP = 2;

  /** Whether [start, end) is disjoint from what {@code d} holds, lies wholly inside one held range, or overlaps. */
  private static int overlap(Datagram d, int start, int end) {
    int[] r = d.ranges;
    for (int i = 0; i < d.rangeCount; i++) {
      int s = r[2 * i];
      int e = r[2 * i + 1];
      if (s < end && start < e) {
        return s <= start && end <= e ? DUPLICATE : OVERLAP;
      }
      if (s >= end) {
        break;
      }
    }
    return NONE;
  }

  private static boolean sameBytes(Datagram d, int offset, byte[] buf, int off, int len) {
    return Arrays.equals(d.data, offset, offset + len, buf, off, off + len);
  }

  /** Frees the buffer and re-counts the fragments held so far as protocol drops; the entry stays until it expires. */
  private void poison(Datagram d) {
    d.poisoned = true;
    bytesHeld -= d.data.length;
    d.data = new byte[0];
    d.rangeCount = 0;
    d.total = -1;
    counters.delivered -= d.fragments;
    counters.dropped += d.fragments;
    counters.protocolErrors += d.fragments;
    d.fragments = 0;
  }

  private static int highestEnd(Datagram d) {
    return d.rangeCount == 0 ? 0 : d.ranges[2 * d.rangeCount - 1];
  }

  private @Nullable Datagram find(byte[] src, byte[] dst, int id, int protocol) {
    for (int i = 0, n = active.size(); i < n; i++) {
      Datagram d = active.get(i);
      if (d.id == id && d.protocol == protocol && Arrays.equals(d.src, src) && Arrays.equals(d.dst, dst)) {
        return d;
      }
    }
    return null;
  }

  private void discard(Datagram d) {
    active.remove(d);
    bytesHeld -= d.data.length;
  }

  private static void addRange(Datagram d, int start, int end) {
    if (start == end) {
      return;
    }
    int[] r = d.ranges;
    int n = d.rangeCount;
    // Find the first range whose end >= start (it may merge), and the last whose start <= end.
    int i = 0;
    while (i < n && r[2 * i + 1] < start) {
      i++;
    }
    int j = i;
    int s = start;
    int e = end;
    while (j < n && r[2 * j] <= end) {
      s = Math.min(s, r[2 * j]);
      e = Math.max(e, r[2 * j + 1]);
      j++;
    }
    int removed = j - i;
    int newCount = n - removed + 1;
    if (2 * newCount > r.length) {
      r = Arrays.copyOf(r, r.length * 2);
      d.ranges = r;
    }
    // Shift the tail [j, n) to position i + 1.
    System.arraycopy(r, 2 * j, r, 2 * (i + 1), 2 * (n - j));
    r[2 * i] = s;
    r[2 * i + 1] = e;
    d.rangeCount = newCount;
  }

  /** Drops datagrams whose time is up; returns the earliest remaining deadline or Long.MAX_VALUE. */
  long expire(long now) {
    long next = Long.MAX_VALUE;
    for (int i = active.size() - 1; i >= 0; i--) {
      Datagram d = active.get(i);
      if (now - d.deadline >= 0) {
        active.remove(i);
        bytesHeld -= d.data.length;
        counters.dropped += d.fragments;
        counters.timeouts += d.fragments;
        counters.delivered -= d.fragments;
      } else if (d.deadline < next) {
        next = d.deadline;
      }
    }
    return next;
  }

  long nextDeadline() {
    long next = Long.MAX_VALUE;
    for (int i = 0, n = active.size(); i < n; i++) {
      next = Math.min(next, active.get(i).deadline);
    }
    return next;
  }

  int inProgress() {
    return active.size();
  }
}
