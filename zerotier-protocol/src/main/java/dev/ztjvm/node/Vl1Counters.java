package dev.ztjvm.node;

import dev.ztjvm.vl1.Verb;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Packet and byte counters of one node: per verb in and out, and drops by reason. Written on the node's loop, readable
 * from any thread (for metrics).
 *
 * <p>Every datagram received ends in exactly one outcome: delivered to a verb handler ({@link #delivered()}),
 * relayed ({@link #relayed()}), dropped before delivery ({@link #undelivered()}, each also counted under its {@link
 * Drop} reason), or still pending (held for a WHOIS, buffered for reassembly, waiting for an identity check: {@link
 * Vl1Node#pendingDatagrams()}). A fragmented packet counts as as many datagrams as it had parts. Payload problems
 * found after delivery (a verb that does not parse, an unexpected OK, a rate-limited answer) are counted under their
 * reason as well, but are not a second outcome of their datagram.
 */
public final class Vl1Counters {

  /** Why a datagram or packet was dropped. */
  public enum Drop {
    /** Shorter than a header, or neither a packet nor a fragment. */
    MALFORMED,
    /** A fragment or head the reassembler refused (bad counts, duplicates, overflow). */
    FRAGMENT_REJECTED,
    /** MAC or AES-GMAC-SIV tag did not verify. */
    MAC_FAILED,
    /** Cipher suite 2 (trusted path, not configured) or undefined suites 4–7. */
    UNSUPPORTED_CIPHER,
    /** LZ4 payload invalid or too large. */
    DECOMPRESS_FAILED,
    /** Source address is our own. */
    OWN_ADDRESS,
    /** HELLO whose identity fails validation, mismatches the header, or collides with a known one. */
    BAD_IDENTITY,
    /** Unknown-identity HELLO refused by the per-prefix rate limit. */
    RATE_LIMITED,
    /** OK answering nothing we sent recently. */
    UNEXPECTED_OK,
    /** A verb payload that did not parse. */
    BAD_PAYLOAD,
    /** Not addressed to us and we do not relay it (not a root, hop limit, no route). */
    NOT_RELAYED,
    /** Held for a WHOIS that never got an answer, or the hold queue was full. */
    WHOIS_TIMEOUT,
    /** A packet from a protocol version we do not support. */
    OLD_PROTOCOL,
    /** A bug: handling threw. Never expected; counted so that tests and metrics can see it. */
    INTERNAL_ERROR,
    /** A legacy 8-byte LAN beacon (we do no LAN discovery). */
    LAN_BEACON,
    /** A fragment or head that was already stored for its packet. */
    FRAGMENT_DUPLICATE,
    /** A stored fragment thrown away with its incomplete packet (timed out, evicted, inconsistent with a later one). */
    FRAGMENT_DISCARDED,
    /**
     * A packet from an unknown source that could not be held for a WHOIS, or was pushed out of the hold by newer ones:
     * the hold's global or per-source caps (entries or bytes) were reached.
     */
    HOLD_LIMIT,
    /**
     * An answer not sent because the asking peer is over its rate (ECHO, WHOIS, PUSH_DIRECT_PATHS); the packet itself
     * was delivered.
     */
    ANSWER_RATE_LIMITED,
    /** An authenticated packet that this node ignores by policy (RENDEZVOUS or OK(WHOIS) from a non-upstream). */
    IGNORED
  }

  private static final int VERBS = 32;

  private final AtomicLongArray packetsIn = new AtomicLongArray(VERBS);
  private final AtomicLongArray bytesIn = new AtomicLongArray(VERBS);
  private final AtomicLongArray packetsOut = new AtomicLongArray(VERBS);
  private final AtomicLongArray bytesOut = new AtomicLongArray(VERBS);
  private final AtomicLongArray drops = new AtomicLongArray(Drop.values().length);
  private final AtomicLongArray totals = new AtomicLongArray(10);

  void datagramIn(int len) {
    totals.lazySet(0, totals.get(0) + 1);
    totals.lazySet(1, totals.get(1) + len);
  }

  void datagramOut(int len) {
    totals.lazySet(2, totals.get(2) + 1);
    totals.lazySet(3, totals.get(3) + len);
  }

  void countPathRefused() {
    totals.lazySet(5, totals.get(5) + 1);
  }

  void countRelayed() {
    totals.lazySet(4, totals.get(4) + 1);
  }

  void in(int verbCode, int len) {
    int v = verbCode & (VERBS - 1);
    packetsIn.lazySet(v, packetsIn.get(v) + 1);
    bytesIn.lazySet(v, bytesIn.get(v) + len);
  }

  void out(int verbCode, int len) {
    int v = verbCode & (VERBS - 1);
    packetsOut.lazySet(v, packetsOut.get(v) + 1);
    bytesOut.lazySet(v, bytesOut.get(v) + len);
  }

  /** A received datagram (or {@code datagrams} parts of one packet) dropped before delivery. */
  void drop(Drop reason, int datagrams) {
    drops.lazySet(reason.ordinal(), drops.get(reason.ordinal()) + datagrams);
    totals.lazySet(6, totals.get(6) + datagrams);
  }

  /** One received datagram dropped before delivery. */
  void drop(Drop reason) {
    drop(reason, 1);
  }

  /** A packet already delivered (counted in {@link #packetsIn}) whose payload or answer was refused. */
  void reject(Drop reason) {
    drops.lazySet(reason.ordinal(), drops.get(reason.ordinal()) + 1);
    totals.lazySet(9, totals.get(9) + 1);
  }

  /**
   * Delivered packets whose payload or answer was refused, and outbound packets that could not be held for a WHOIS;
   * each is also counted under its reason. {@link #totalDrops()} is {@link #undelivered()} plus this.
   */
  public long rejected() {
    return totals.get(9);
  }

  /** A packet made of {@code datagrams} datagrams reached its verb handler. */
  void delivered(int datagrams) {
    totals.lazySet(7, totals.get(7) + datagrams);
  }

  void countPeerEvicted() {
    totals.lazySet(8, totals.get(8) + 1);
  }

  /** Datagrams that reached a verb handler (authenticated; the parts of a fragmented packet each count). */
  public long delivered() {
    return totals.get(7);
  }

  /** Datagrams dropped before delivery; each is also counted under its reason in {@link #drops()}. */
  public long undelivered() {
    return totals.get(6);
  }

  /** Peers forgotten early because the peer table was full (least recently heard leaf first). */
  public long peersEvicted() {
    return totals.get(8);
  }

  /** Authenticated packets received with this verb. */
  public long packetsIn(Verb verb) {
    return packetsIn.get(verb.code());
  }

  /** Bytes of authenticated packets received with this verb (after decompression). */
  public long bytesIn(Verb verb) {
    return bytesIn.get(verb.code());
  }

  /** Packets sent with this verb. */
  public long packetsOut(Verb verb) {
    return packetsOut.get(verb.code());
  }

  /** Bytes sent with this verb (armored, before fragmentation). */
  public long bytesOut(Verb verb) {
    return bytesOut.get(verb.code());
  }

  /** Drops for one reason. */
  public long drops(Drop reason) {
    return drops.get(reason.ordinal());
  }

  /** All drop counters. */
  public Map<Drop, Long> drops() {
    Map<Drop, Long> m = new EnumMap<>(Drop.class);
    for (Drop d : Drop.values()) {
      m.put(d, drops.get(d.ordinal()));
    }
    return m;
  }

  /** Sum of all drops. */
  public long totalDrops() {
    long n = 0;
    for (int i = 0; i < drops.length(); i++) {
      n += drops.get(i);
    }
    return n;
  }

  /** UDP datagrams received. */
  public long datagramsIn() {
    return totals.get(0);
  }

  /** UDP bytes received. */
  public long datagramBytesIn() {
    return totals.get(1);
  }

  /** UDP datagrams sent. */
  public long datagramsOut() {
    return totals.get(2);
  }

  /** Packets and fragments this node forwarded for others (as a root). */
  public long relayed() {
    return totals.get(4);
  }

  /**
   * Candidate paths refused by the physical path policy (the packet that came over it is still processed; only the
   * address is not adopted as a path).
   */
  public long pathsRefused() {
    return totals.get(5);
  }

  /** UDP bytes sent. */
  public long datagramBytesOut() {
    return totals.get(3);
  }
}
