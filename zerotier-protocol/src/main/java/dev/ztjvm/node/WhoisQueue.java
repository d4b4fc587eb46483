package dev.ztjvm.node;

import dev.ztjvm.node.Vl1Counters.Drop;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Addresses whose identity we are asking the upstreams for (WHOIS), with the packets held meanwhile: outbound ones
 * we want to send there, inbound ones that arrived from there and cannot be authenticated yet (ZeroTier One's
 * {@code Switch} WHOIS and RX queues). Every table here is fed by the wire, so everything is bounded:
 *
 * <ul>
 *   <li>per address: {@value Timing#QUEUE_LIMIT} packets each way, for {@value Timing#QUEUE_TIMEOUT} ms;
 *   <li>globally: {@link Vl1Limits#maxWhoisPending()} addresses and {@link Vl1Limits#maxHeldBytes()} bytes, the
 *       oldest address (and everything held for it) evicted first when a new one needs room;
 *   <li>per physical source IP: {@link Vl1Limits#maxHeldBytesPerSource()} bytes and {@value #MAX_HELD_PER_SOURCE}
 *       inbound packets, that source's oldest address evicted first, so one sender (spoofing any number of ZeroTier
 *       addresses) can fill only its own share;
 *   <li>WHOIS requests sent: {@link Vl1Limits#whoisPerSecond()} a second, retries every {@value
 *       Timing#WHOIS_RETRY_DELAY} ms at most per address.
 * </ul>
 *
 * Every inbound packet refused or evicted is counted as {@link Drop#HOLD_LIMIT}, every one timed out as {@link
 * Drop#WHOIS_TIMEOUT}. Confined to the node's loop.
 */
final class WhoisQueue {

  static final int MAX_HELD_PER_SOURCE = 1024;
  /** Bookkeeping charged per held packet on top of its bytes. */
  private static final int OVERHEAD = 64;

  record HeldInbound(int socketId, InetSocketAddress from, byte[] packet, int datagrams) {}

  /** An outbound packet waiting for its destination's identity. */
  record HeldOutbound(byte[] packet, boolean compress, boolean expectReply) {}

  static final class Pending {
    final long address;
    final long firstMillis;
    long lastSentMillis = Long.MIN_VALUE / 2;
    final List<HeldOutbound> outbound = new ArrayList<>(0);
    final List<HeldInbound> inbound = new ArrayList<>(0);

    Pending(long address, long now) {
      this.address = address;
      this.firstMillis = now;
    }
  }

  private static final class SourceUse {
    long bytes;
    int packets;
    /** Addresses that hold packets from this source, oldest first (may name ones already gone). */
    final ArrayDeque<Long> addresses = new ArrayDeque<>();
  }

  private final Vl1Node node;
  private final Vl1Limits limits;
  /** Insertion order: the oldest address first. */
  private final LinkedHashMap<Long, Pending> pending = new LinkedHashMap<>();
  private final Map<InetAddress, SourceUse> bySource = new HashMap<>();
  private long heldBytes;
  private int heldInboundDatagrams;
  private long whoisWindowStart = Long.MIN_VALUE / 2;
  private int whoisInWindow;

  WhoisQueue(Vl1Node node, Vl1Limits limits) {
    this.node = node;
    this.limits = limits;
  }

  int size() {
    return pending.size();
  }

  long heldBytes() {
    return heldBytes;
  }

  /** Inbound datagrams held (each waits for its sender's identity). */
  int heldInboundDatagrams() {
    return heldInboundDatagrams;
  }

  boolean waitingFor(long address) {
    return pending.containsKey(address);
  }

  /** Asks for {@code address} without holding anything (e.g. a moon's seed). */
  void want(long address, long now) {
    Pending pw = entry(address, now);
    if (pw != null) {
      sendIfDue(pw, now);
    }
  }

  /** Holds an inbound packet from an unknown source; counts it as dropped if it cannot be held. */
  void holdInbound(
      long source, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int datagrams, long now) {
    long cost = len + OVERHEAD;
    Pending pw = pending.get(source);
    if (pw != null && pw.inbound.size() >= Timing.QUEUE_LIMIT) {
      node.counters().drop(Drop.HOLD_LIMIT, datagrams);
      return;
    }
    InetAddress ip = from.getAddress();
    SourceUse use = bySource.get(ip);
    while (use != null
        && (use.bytes + cost > limits.maxHeldBytesPerSource() || use.packets >= MAX_HELD_PER_SOURCE)) {
      Long oldest = use.addresses.pollFirst();
      if (oldest == null) {
        break;
      }
      Pending victim = pending.get(oldest);
      if (victim != null) {
        evict(victim);
      }
      use = bySource.get(ip);
    }
    pw = entry(source, now);
    if (pw == null) {
      node.counters().drop(Drop.HOLD_LIMIT, datagrams);
      return;
    }
    makeRoom(cost, source);
    pw.inbound.add(new HeldInbound(socketId, from, Arrays.copyOfRange(pkt, off, off + len), datagrams));
    heldBytes += cost;
    heldInboundDatagrams += datagrams;
    use = bySource.computeIfAbsent(ip, k -> new SourceUse());
    use.bytes += cost;
    use.packets++;
    if (!lastIs(use, source)) {
      use.addresses.addLast(source);
    }
    sendIfDue(pw, now);
  }

  private static boolean lastIs(SourceUse use, long address) {
    Long last = use.addresses.peekLast();
    return last != null && last == address;
  }

  /**
   * Holds an outbound packet (from {@code pkt[0..len)}) until {@code dest}'s identity is known.
   *
   * @return false if it cannot be held
   */
  boolean holdOutbound(long dest, byte[] pkt, int len, boolean compress, boolean expectReply, long now) {
    Pending pw = entry(dest, now);
    if (pw == null || pw.outbound.size() >= Timing.QUEUE_LIMIT) {
      node.counters().reject(Drop.WHOIS_TIMEOUT);
      return false;
    }
    long cost = len + OVERHEAD;
    makeRoom(cost, dest);
    pw.outbound.add(new HeldOutbound(Arrays.copyOf(pkt, len), compress, expectReply));
    heldBytes += cost;
    sendIfDue(pw, now);
    return true;
  }

  /** Removes and returns what is held for {@code address} (its identity is now known). */
  @Nullable
  Pending take(long address) {
    Pending pw = pending.remove(address);
    if (pw != null) {
      release(pw);
    }
    return pw;
  }

  /** Times out old entries and retries the others; call from the fast tick. */
  void service(long now) {
    for (Iterator<Pending> it = pending.values().iterator(); it.hasNext();) {
      Pending pw = it.next();
      if (now - pw.firstMillis >= Timing.QUEUE_TIMEOUT) {
        it.remove();
        release(pw);
        countLost(pw, Drop.WHOIS_TIMEOUT);
      }
    }
    for (Pending pw : new ArrayList<>(pending.values())) {
      sendIfDue(pw, now);
    }
  }

  /** The entry for {@code address}, created (evicting the oldest if the table is full) when missing. */
  private @Nullable Pending entry(long address, long now) {
    if (address == node.address() || address == 0) {
      return null;
    }
    Pending pw = pending.get(address);
    if (pw != null) {
      return pw;
    }
    while (pending.size() >= limits.maxWhoisPending()) {
      evict(pending.values().iterator().next());
    }
    pw = new Pending(address, now);
    pending.put(address, pw);
    return pw;
  }

  /** Evicts the oldest entries (never {@code keep}) until {@code cost} more bytes fit. */
  private void makeRoom(long cost, long keep) {
    Iterator<Pending> it = pending.values().iterator();
    while (heldBytes + cost > limits.maxHeldBytes() && it.hasNext()) {
      Pending oldest = it.next();
      if (oldest.address == keep) {
        continue;
      }
      it.remove();
      release(oldest);
      countLost(oldest, Drop.HOLD_LIMIT);
      it = pending.values().iterator();
    }
  }

  private void evict(Pending victim) {
    pending.remove(victim.address);
    release(victim);
    countLost(victim, Drop.HOLD_LIMIT);
  }

  /** Returns the entry's bytes to the global and per-source budgets. */
  private void release(Pending pw) {
    for (HeldOutbound o : pw.outbound) {
      heldBytes -= o.packet().length + OVERHEAD;
    }
    for (HeldInbound in : pw.inbound) {
      long cost = in.packet().length + OVERHEAD;
      heldBytes -= cost;
      heldInboundDatagrams -= in.datagrams();
      InetAddress ip = in.from().getAddress();
      SourceUse use = bySource.get(ip);
      if (use != null) {
        use.bytes -= cost;
        use.packets--;
        if (use.packets <= 0) {
          bySource.remove(ip);
        }
      }
    }
  }

  private void countLost(Pending pw, Drop reason) {
    for (HeldInbound in : pw.inbound) {
      node.counters().drop(reason, in.datagrams());
    }
    for (int i = 0; i < pw.outbound.size(); i++) {
      node.counters().reject(reason);
    }
  }

  private void sendIfDue(Pending pw, long now) {
    if (now - pw.lastSentMillis < Timing.WHOIS_RETRY_DELAY) {
      return;
    }
    if (now - whoisWindowStart >= 1_000) {
      whoisWindowStart = now;
      whoisInWindow = 0;
    }
    if (whoisInWindow >= limits.whoisPerSecond()) {
      return;
    }
    if (node.sw().sendWhois(pw.address, now)) {
      pw.lastSentMillis = now;
      whoisInWindow++;
    }
  }
}
