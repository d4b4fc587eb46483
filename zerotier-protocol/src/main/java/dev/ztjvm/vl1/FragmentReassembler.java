package dev.ztjvm.vl1;

import org.jspecify.annotations.Nullable;

/**
 * Reassembles fragmented packets (spec 2.11) with the reference limits: {@value #DEFAULT_SLOTS} slots keyed by the
 * 64-bit packet ID, at most {@value Fragments#MAX_FRAGMENTS} datagrams per packet, incomplete entries dropped after
 * {@value #TIMEOUT_MILLIS} ms. Heads and fragments may arrive in any order and duplicates are ignored. When every slot
 * is busy the oldest entry is evicted; a source (a caller-chosen key, e.g. the sender's IP) that already holds its
 * share of the slots ({@link #FragmentReassembler(int, int)}) has its own oldest entry evicted instead, so one sender
 * cannot push out everybody else's packets. Each slot's storage ({@value Packet#MAX_PACKET_LENGTH} bytes) is allocated
 * on first use and then reused, so steady-state reassembly allocates nothing.
 *
 * <p>Not thread-safe: one instance per event loop. Malformed input never throws; it is dropped and counted.
 */
public final class FragmentReassembler {

  public static final int DEFAULT_SLOTS = 32;
  public static final long TIMEOUT_MILLIS = 5_000;

  /** Result: the part was stored, the packet is not complete yet. */
  public static final int PENDING = 0;
  /** Result: the part was malformed or could not be stored and was dropped. */
  public static final int DROPPED = -1;

  private static final class Slot {
    boolean inUse;
    long packetId;
    long source;
    long createdMillis;
    /** Total datagrams announced by fragments, 0 while only the head is known. */
    int total;
    /** Bit 0: head present; bit k: fragment k present. */
    int mask;
    int used;
    final int[] partOff = new int[Fragments.MAX_FRAGMENTS];
    final int[] partLen = new int[Fragments.MAX_FRAGMENTS];
    byte @Nullable [] storage;
  }

  private final Slot[] slots;
  private final int maxSlotsPerSource;
  private int lastCompletedParts;
  /** Parts (datagrams) already stored that were thrown away with their entry (expired, evicted, inconsistent). */
  private long discardedParts;
  private long completed;
  private long malformed;
  private long duplicates;
  private long expired;
  private long evicted;
  private long oversized;

  public FragmentReassembler() {
    this(DEFAULT_SLOTS);
  }

  public FragmentReassembler(int slotCount) {
    this(slotCount, slotCount);
  }

  /**
   * @param slotCount entries reassembled at once
   * @param maxSlotsPerSource entries one source key may hold at once (its oldest is evicted beyond that)
   */
  public FragmentReassembler(int slotCount, int maxSlotsPerSource) {
    if (slotCount < 1) {
      throw new IllegalArgumentException("slotCount must be positive: " + slotCount);
    }
    if (maxSlotsPerSource < 1) {
      throw new IllegalArgumentException("maxSlotsPerSource must be positive: " + maxSlotsPerSource);
    }
    this.maxSlotsPerSource = maxSlotsPerSource;
    slots = new Slot[slotCount];
    for (int i = 0; i < slotCount; i++) {
      slots[i] = new Slot();
    }
  }

  /**
   * Offers the head of a fragmented packet (a datagram of at least 28 bytes with {@link Packet#FLAG_FRAGMENTED}).
   *
   * @return the assembled length written to {@code out[outOff..]} if this completed the packet, {@link #PENDING}, or
   *     {@link #DROPPED}
   */
  public int offerHead(byte[] d, int off, int len, long nowMillis, byte[] out, int outOff) {
    return offerHead(d, off, len, nowMillis, out, outOff, 0);
  }

  /** {@link #offerHead(byte[], int, int, long, byte[], int)} from the sender identified by {@code source}. */
  public int offerHead(byte[] d, int off, int len, long nowMillis, byte[] out, int outOff, long source) {
    if (len < Packet.HEADER_LENGTH || off < 0 || off + len > d.length || !Packet.isPacketHead(d, off, len)
        || !Packet.isFragmented(d, off)) {
      malformed++;
      return DROPPED;
    }
    return store(Packet.packetId(d, off), 0, 0, d, off, len, nowMillis, out, outOff, source);
  }

  /**
   * Offers a fragment (a datagram longer than 16 bytes with 0xFF at byte 13).
   *
   * @return the assembled length written to {@code out[outOff..]} if this completed the packet, {@link #PENDING}, or
   *     {@link #DROPPED}
   */
  public int offerFragment(byte[] d, int off, int len, long nowMillis, byte[] out, int outOff) {
    return offerFragment(d, off, len, nowMillis, out, outOff, 0);
  }

  /** {@link #offerFragment(byte[], int, int, long, byte[], int)} from the sender identified by {@code source}. */
  public int offerFragment(byte[] d, int off, int len, long nowMillis, byte[] out, int outOff, long source) {
    if (len <= Fragments.HEADER_LENGTH || off < 0 || off + len > d.length || !Packet.isFragment(d, off, len)) {
      malformed++;
      return DROPPED;
    }
    int total = Fragments.total(d, off);
    int number = Fragments.number(d, off);
    if (total > Fragments.MAX_FRAGMENTS || total < 2 || number < 1 || number >= total) {
      malformed++;
      return DROPPED;
    }
    return store(
        Fragments.packetId(d, off), number, total, d, off + Fragments.HEADER_LENGTH, len - Fragments.HEADER_LENGTH,
        nowMillis, out, outOff, source);
  }

  private int store(
      long packetId, int number, int total, byte[] src, int srcOff, int n, long now, byte[] out, int outOff,
      long source) {
    Slot s = find(packetId, source, now);
    if (s == null) {
      s = allocate(source, now);
      s.inUse = true;
      s.packetId = packetId;
      s.source = source;
      s.createdMillis = now;
      s.total = 0;
      s.mask = 0;
      s.used = 0;
    }
    if (total != 0) {
      if (s.total == 0) {
        s.total = total;
        if ((s.mask >>> total) != 0) { // earlier fragments claimed numbers beyond this total
          free(s);
          malformed++;
          return DROPPED;
        }
      } else if (s.total != total) {
        free(s);
        malformed++;
        return DROPPED;
      }
    }
    int bit = 1 << number;
    if ((s.mask & bit) != 0) {
      duplicates++;
      return PENDING;
    }
    if (s.used + n > Packet.MAX_PACKET_LENGTH) {
      free(s);
      oversized++;
      return DROPPED;
    }
    byte[] storage = s.storage;
    if (storage == null) {
      storage = new byte[Packet.MAX_PACKET_LENGTH];
      s.storage = storage;
    }
    System.arraycopy(src, srcOff, storage, s.used, n);
    s.partOff[number] = s.used;
    s.partLen[number] = n;
    s.used += n;
    s.mask |= bit;
    if (s.total == 0 || s.mask != (1 << s.total) - 1) {
      return PENDING;
    }
    if (out.length - outOff < s.used || outOff < 0) {
      s.mask &= ~bit; // this part is refused (DROPPED), the others are discarded with the entry
      free(s);
      oversized++;
      return DROPPED;
    }
    int p = outOff;
    for (int k = 0; k < s.total; k++) {
      System.arraycopy(storage, s.partOff[k], out, p, s.partLen[k]);
      p += s.partLen[k];
    }
    lastCompletedParts = Integer.bitCount(s.mask);
    s.mask = 0; // handed out, not discarded
    free(s);
    completed++;
    return p - outOff;
  }

  private @Nullable Slot find(long packetId, long source, long now) {
    for (Slot s : slots) {
      if (s.inUse) {
        if (now - s.createdMillis > TIMEOUT_MILLIS || now < s.createdMillis - TIMEOUT_MILLIS) {
          free(s);
          expired++;
        } else if (s.packetId == packetId && s.source == source) {
          return s;
        }
      }
    }
    return null;
  }

  private Slot allocate(long source, long now) {
    Slot oldest = null;
    Slot free = null;
    Slot oldestOfSource = null;
    int ofSource = 0;
    for (Slot s : slots) {
      if (!s.inUse) {
        if (free == null) {
          free = s;
        }
        continue;
      }
      if (oldest == null || s.createdMillis < oldest.createdMillis) {
        oldest = s;
      }
      if (s.source == source) {
        ofSource++;
        if (oldestOfSource == null || s.createdMillis < oldestOfSource.createdMillis) {
          oldestOfSource = s;
        }
      }
    }
    if (oldestOfSource != null && ofSource >= maxSlotsPerSource) {
      evicted++;
      free(oldestOfSource);
      return oldestOfSource;
    }
    if (free != null) {
      return free;
    }
    evicted++;
    free(oldest);
    return oldest;
  }

  private void free(Slot s) {
    discardedParts += Integer.bitCount(s.mask);
    s.inUse = false;
    s.mask = 0;
    s.total = 0;
    s.used = 0;
  }

  /** Drops entries older than the timeout; call from the periodic tick so idle slots do not linger. */
  public void expire(long nowMillis) {
    for (Slot s : slots) {
      if (s.inUse && nowMillis - s.createdMillis > TIMEOUT_MILLIS) {
        free(s);
        expired++;
      }
    }
  }

  /** Entries currently waiting for parts. */
  public int pending() {
    int n = 0;
    for (Slot s : slots) {
      if (s.inUse) {
        n++;
      }
    }
    return n;
  }

  /** Parts (datagrams) stored in entries that are still incomplete. */
  public int pendingParts() {
    int n = 0;
    for (Slot s : slots) {
      if (s.inUse) {
        n += Integer.bitCount(s.mask);
      }
    }
    return n;
  }

  /** How many datagrams (head and fragments) made up the packet most recently completed. */
  public int lastCompletedParts() {
    return lastCompletedParts;
  }

  /**
   * Parts that had been stored and were thrown away with their entry: expired, evicted, or inconsistent with a later
   * part. With {@link #duplicateCount()}, the parts refused outright ({@link #DROPPED}) and {@link #pendingParts()},
   * every offered part is accounted for.
   */
  public long discardedPartCount() {
    return discardedParts;
  }

  public long completedCount() {
    return completed;
  }

  /** Parts rejected as malformed (bad counts, inconsistent totals, wrong classification). */
  public long malformedCount() {
    return malformed;
  }

  public long duplicateCount() {
    return duplicates;
  }

  /** Incomplete entries dropped after the timeout. */
  public long expiredCount() {
    return expired;
  }

  /** Incomplete entries evicted because every slot was busy. */
  public long evictedCount() {
    return evicted;
  }

  /** Entries dropped because the assembled packet would exceed the maximum packet length or the output buffer. */
  public long oversizedCount() {
    return oversized;
  }
}
