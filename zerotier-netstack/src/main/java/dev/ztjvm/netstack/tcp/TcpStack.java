package dev.ztjvm.netstack.tcp;

import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ip.IpProtocolHandler;
import dev.ztjvm.netstack.ip.IpSender;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * The TCP layer of one stack instance: demultiplexes segments to connections and listeners, answers strays with
 * RST, and runs the timers. Bind it into the IP layer as protocol 6; drive it with {@link #poll(long)} at
 * {@link #nextDeadline()}. Not thread-safe: call everything from one event loop.
 */
public final class TcpStack implements IpProtocolHandler {
  private static final int EPHEMERAL_FIRST = 49152;
  private static final int EPHEMERAL_COUNT = 65536 - EPHEMERAL_FIRST;

  final IpSender ip;
  final LocalAddresses localAddresses;
  final TcpConfig config;
  final Counters stats = new Counters();

  private final byte[] isnSecret = new byte[32];
  private final MessageDigest sha256;
  private final SplittableRandom random;
  private final HashMap<ConnKey, TcpConnection> connections = new HashMap<>();
  /** Connections with a timer, as a binary min-heap on {@link TcpConnection#heapKey} (indexed for updates). */
  private TcpConnection[] heap = new TcpConnection[64];
  private int heapSize;
  private final ArrayList<TcpConnection> due = new ArrayList<>();
  private final HashMap<Integer, List<TcpListener>> listeners = new HashMap<>();
  private final ArrayDeque<TcpConnection> outputQueue = new ArrayDeque<>();
  private final ArrayDeque<TcpListener> listenerEvents = new ArrayDeque<>();
  private final ConnKey probe = new ConnKey();
  private final Segment segment = new Segment();
  private byte[] scratch = new byte[2048];
  /** Nesting depth of receive/poll/transmit; segments arriving re-entrantly are deferred. */
  private int busy;
  private final ArrayDeque<byte[][]> deferred = new ArrayDeque<>();
  long lastNow;

  /**
   * A stack whose ISN secret and port choices come from {@code seed} (deterministic, for tests and simulations).
   */
  public TcpStack(IpSender ip, LocalAddresses localAddresses, TcpConfig config, long seed) {
    this.ip = Objects.requireNonNull(ip, "ip");
    this.localAddresses = Objects.requireNonNull(localAddresses, "localAddresses");
    this.config = Objects.requireNonNull(config, "config");
    this.random = new SplittableRandom(seed);
    for (int i = 0; i < isnSecret.length; i += 8) {
      long v = random.nextLong();
      for (int k = 0; k < 8; k++) {
        isnSecret[i + k] = (byte) (v >>> (8 * k));
      }
    }
    try {
      this.sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 missing from the JDK", e);
    }
  }

  /** A stack with a secret from {@link SecureRandom} (production). */
  public TcpStack(IpSender ip, LocalAddresses localAddresses, TcpConfig config) {
    this(ip, localAddresses, config, new SecureRandom().nextLong());
  }

  @Override
  public int protocol() {
    return 6;
  }

  public TcpConfig config() {
    return config;
  }

  // ======================================================================================== user API

  /**
   * Listens on {@code port} ({@code address} null = every local address).
   *
   * @param backlog accept-queue bound (0 or less: the configured default)
   * @throws IllegalArgumentException if the port is invalid, the address is not ours or the port is taken
   */
  public TcpListener listen(byte @Nullable [] address, int port, int backlog, TcpListener.Handler handler) {
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (address != null && !localAddresses.isLocal(address)) {
      throw new IllegalArgumentException("not a local address");
    }
    List<TcpListener> list = listeners.computeIfAbsent(port, p -> new ArrayList<>(1));
    for (TcpListener l : list) {
      if (l.address == null || address == null || java.util.Arrays.equals(l.address, address)) {
        throw new IllegalArgumentException("port " + port + " is already listening");
      }
    }
    TcpListener l = new TcpListener(this, address, port, backlog > 0 ? backlog : config.defaultBacklog(),
        Objects.requireNonNull(handler, "handler"));
    list.add(l);
    return l;
  }

  /** Active open from an ephemeral port; the SYN leaves on the next {@link #poll}. */
  public TcpConnection connect(byte[] remoteAddress, int remotePort, TcpHandler handler) {
    byte[] src = localAddresses.sourceFor(remoteAddress);
    if (src == null) {
      throw new IllegalArgumentException("no local address to reach the destination from");
    }
    return connect(src, 0, remoteAddress, remotePort, handler);
  }

  /**
   * Active open with an explicit local address and port ({@code localPort} 0 picks an ephemeral port).
   *
   * @throws IllegalArgumentException on bad addresses/ports or if the 4-tuple is in use
   * @throws IllegalStateException if no ephemeral port is free towards that destination
   */
  public TcpConnection connect(byte[] localAddress, int localPort, byte[] remoteAddress, int remotePort,
      TcpHandler handler) {
    if (remoteAddress.length != 4 && remoteAddress.length != 16 || localAddress.length != remoteAddress.length) {
      throw new IllegalArgumentException("addresses must both be IPv4 (4 bytes) or IPv6 (16 bytes)");
    }
    if (remotePort <= 0 || remotePort > 65535 || localPort < 0 || localPort > 65535) {
      throw new IllegalArgumentException("port out of range");
    }
    ConnKey key;
    if (localPort == 0) {
      int start = random.nextInt(EPHEMERAL_COUNT);
      key = null;
      for (int i = 0; i < EPHEMERAL_COUNT; i++) {
        int p = EPHEMERAL_FIRST + (start + i) % EPHEMERAL_COUNT;
        probe.set(localAddress, p, remoteAddress, remotePort);
        if (!connections.containsKey(probe) && !listeners.containsKey(p)) {
          key = probe.copy();
          break;
        }
      }
      if (key == null) {
        throw new IllegalStateException("no free ephemeral port towards the destination");
      }
    } else {
      key = new ConnKey().set(localAddress, localPort, remoteAddress, remotePort);
      if (connections.containsKey(key)) {
        throw new IllegalArgumentException("connection 4-tuple already in use");
      }
    }
    TcpConnection c = newConnection(key, null, Objects.requireNonNull(handler, "handler"), lastNow);
    c.activeOpen();
    return c;
  }

  /** Connections currently registered (including TIME_WAIT and half-open ones). */
  public int connectionCount() {
    return connections.size();
  }

  /**
   * Registered connections in a synchronized state that can carry data ({@code ESTABLISHED} or
   * {@code CLOSE_WAIT}); walks the table, so it is meant for statistics, not for the packet path.
   */
  public int establishedCount() {
    int n = 0;
    for (TcpConnection c : connections.values()) {
      if (c.state == TcpState.ESTABLISHED || c.state == TcpState.CLOSE_WAIT) {
        n++;
      }
    }
    return n;
  }

  /** A snapshot of the counters. */
  public TcpStats stats() {
    return stats.snapshot();
  }

  // ======================================================================================== event loop

  /** Runs due timers and sends pending output. */
  public void poll(long nowNanos) {
    busy++;
    try {
      pollTimers(nowNanos);
    } finally {
      busy--;
    }
    drainDeferred(nowNanos);
  }

  private void pollTimers(long nowNanos) {
    lastNow = nowNanos;
    // take every due connection off the heap first: each is handled once per poll
    while (heapSize > 0 && heap[0].heapKey <= nowNanos) {
      TcpConnection c = heap[0];
      heapRemove(c);
      due.add(c);
    }
    for (int i = 0; i < due.size(); i++) {
      TcpConnection c = due.get(i);
      if (!c.removed && c.nextDeadline() <= nowNanos) {
        c.onTimers(nowNanos);
      }
      finish(c, nowNanos);
    }
    due.clear();
    flushOutput(nowNanos);
  }

  /**
   * When {@link #poll} must run next: the earliest timer, a value not after the last known time if output is
   * pending, or {@link Long#MAX_VALUE} if nothing is scheduled.
   */
  public long nextDeadline() {
    if (!outputQueue.isEmpty() || !listenerEvents.isEmpty() || !deferred.isEmpty()) {
      return lastNow;
    }
    return heapSize == 0 ? Long.MAX_VALUE : heap[0].heapKey;
  }

  private void flushOutput(long now) {
    for (int guard = 0; guard < 1_000_000 && (!outputQueue.isEmpty() || !listenerEvents.isEmpty()); guard++) {
      TcpConnection c = outputQueue.poll();
      if (c != null) {
        c.queuedForOutput = false;
        finish(c, now);
      }
      TcpListener l = listenerEvents.poll();
      if (l != null) {
        l.fireAcceptReady();
      }
    }
  }

  /** Output, then events, then output the handlers caused. */
  private void finish(TcpConnection c, long now) {
    c.output(now);
    c.fireEvents();
    // anything the handlers queued stays in the output queue for flushOutput
    updateTimer(c);
  }

  // ======================================================================================== timer heap

  /** Re-files {@code c} in the timer heap after its deadlines may have changed. */
  void updateTimer(TcpConnection c) {
    long d = c.removed ? Long.MAX_VALUE : c.nextDeadline();
    if (d == Long.MAX_VALUE) {
      if (c.heapIndex >= 0) {
        heapRemove(c);
      }
      return;
    }
    if (c.heapIndex < 0) {
      c.heapKey = d;
      if (heapSize == heap.length) {
        heap = java.util.Arrays.copyOf(heap, heapSize * 2);
      }
      heap[heapSize] = c;
      c.heapIndex = heapSize++;
      siftUp(c.heapIndex);
    } else if (d != c.heapKey) {
      long old = c.heapKey;
      c.heapKey = d;
      if (d < old) {
        siftUp(c.heapIndex);
      } else {
        siftDown(c.heapIndex);
      }
    }
  }

  private void heapRemove(TcpConnection c) {
    int i = c.heapIndex;
    TcpConnection last = heap[--heapSize];
    heap[heapSize] = null;
    c.heapIndex = -1;
    c.heapKey = Long.MAX_VALUE;
    if (last != c) {
      heap[i] = last;
      last.heapIndex = i;
      siftUp(i);
      siftDown(last.heapIndex);
    }
  }

  private void siftUp(int i) {
    TcpConnection c = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      TcpConnection p = heap[parent];
      if (p.heapKey <= c.heapKey) {
        break;
      }
      heap[i] = p;
      p.heapIndex = i;
      i = parent;
    }
    heap[i] = c;
    c.heapIndex = i;
  }

  private void siftDown(int i) {
    TcpConnection c = heap[i];
    while (true) {
      int l = 2 * i + 1;
      if (l >= heapSize) {
        break;
      }
      int r = l + 1;
      int m = r < heapSize && heap[r].heapKey < heap[l].heapKey ? r : l;
      if (heap[m].heapKey >= c.heapKey) {
        break;
      }
      heap[i] = heap[m];
      heap[i].heapIndex = i;
      i = m;
    }
    heap[i] = c;
    c.heapIndex = i;
  }

  void scheduleOutput(TcpConnection c) {
    if (!c.queuedForOutput) {
      c.queuedForOutput = true;
      outputQueue.add(c);
    }
  }

  void scheduleListener(TcpListener l) {
    listenerEvents.add(l);
  }

  // ======================================================================================== receive

  @Override
  public void receive(byte[] src, byte[] dst, byte[] buf, int off, int len, long nowNanos) {
    if (busy > 0) {
      // re-entered from our own transmit (e.g. synchronous loopback): process after the current operation
      if (off >= 0 && len >= 0 && off + len <= buf.length && deferred.size() < 4096) {
        deferred.add(new byte[][] {src.clone(), dst.clone(), java.util.Arrays.copyOfRange(buf, off, off + len)});
      } else {
        stats.malformed++;
      }
      return;
    }
    busy++;
    try {
      receiveSegment(src, dst, buf, off, len, nowNanos);
    } finally {
      busy--;
    }
    drainDeferred(nowNanos);
  }

  private void drainDeferred(long nowNanos) {
    byte[][] d;
    while (busy == 0 && (d = deferred.poll()) != null) {
      busy++;
      try {
        receiveSegment(d[0], d[1], d[2], 0, d[2].length, nowNanos);
      } finally {
        busy--;
      }
    }
  }

  private void receiveSegment(byte[] src, byte[] dst, byte[] buf, int off, int len, long nowNanos) {
    lastNow = nowNanos;
    stats.segmentsIn++;
    if (src.length != dst.length || (src.length != 4 && src.length != 16) || len < 20 || off < 0
        || off + len > buf.length) {
      stats.malformed++;
      return;
    }
    long sum = InternetChecksum.pseudoHeader(src, dst, 6, len);
    if (InternetChecksum.finish(FastChecksum.add(sum, buf, off, len)) != 0) {
      stats.checksumErrors++;
      return;
    }
    Segment s = segment;
    if (!s.parse(buf, off, len) || s.srcPort == 0 || s.dstPort == 0) {
      stats.malformed++;
      return;
    }
    if (s.dataLen > 0) {
      stats.dataSegmentsIn++;
    }
    TcpConnection c = connections.get(probe.set(dst, s.dstPort, src, s.srcPort));
    if (c != null && c.state == TcpState.TIME_WAIT && s.has(Segment.SYN) && !s.has(Segment.ACK)
        && !s.has(Segment.RST) && findListener(dst, s.dstPort) != null) {
      // a new incarnation of the 4-tuple (RFC 9293 3.10.7.4, as Linux does): retire TIME_WAIT, take the SYN
      c.terminate(null, false, nowNanos);
      c = null;
    }
    if (c != null) {
      c.segmentArrived(s, nowNanos);
      finish(c, nowNanos);
      flushOutput(nowNanos);
      return;
    }
    TcpListener l = findListener(dst, s.dstPort);
    if (l != null) {
      if (s.has(Segment.RST)) {
        return;
      }
      if (s.has(Segment.ACK)) {
        sendReset(dst, s.dstPort, src, s.srcPort, s.ack, 0, false);
        return;
      }
      if (!s.has(Segment.SYN)) {
        return;
      }
      if (!l.canAcceptSyn()) {
        stats.listenDrops++;
        return;
      }
      ConnKey key = probe.copy();
      int[] isnTs = isn(key, nowNanos);
      TcpConnection child = new TcpConnection(this, key, l, TcpHandler.NONE, isnTs[0], isnTs[1], nowNanos);
      register(child);
      l.addHalfOpen(child);
      child.passiveOpen(s, nowNanos);
      updateTimer(child);
      flushOutput(nowNanos);
      return;
    }
    stats.noListener++;
    if (!s.has(Segment.RST)) {
      if (s.has(Segment.ACK)) {
        sendReset(dst, s.dstPort, src, s.srcPort, s.ack, 0, false);
      } else {
        sendReset(dst, s.dstPort, src, s.srcPort, 0, s.seq + s.seqLength(), true);
      }
    }
  }

  @Override
  public void icmpError(
      IcmpErrorKind kind, byte[] src, byte[] dst, byte[] quoted, int off, int len, int mtu, long nowNanos) {
    if (len < 8 || off < 0 || off + len > quoted.length || src.length != dst.length
        || (src.length != 4 && src.length != 16)) {
      return;
    }
    int srcPort = Segment.u16(quoted, off);
    int dstPort = Segment.u16(quoted, off + 2);
    // the quoted datagram is one we sent: src/dst as in that datagram
    TcpConnection c = connections.get(probe.set(src, srcPort, dst, dstPort));
    if (c == null) {
      c = connections.get(probe.set(dst, dstPort, src, srcPort));
    }
    if (c != null) {
      c.icmpError(kind, mtu, nowNanos);
      finish(c, nowNanos);
    }
  }

  /**
   * The interface's MTU changed to {@code mtu}: connections whose segments no longer fit lower their MSS at once (as
   * on an ICMP "packet too big"); larger MTUs apply to new connections. Call on the loop.
   */
  public void interfaceMtuChanged(int mtu, long nowNanos) {
    busy++;
    try {
      for (TcpConnection c : List.copyOf(connections.values())) {
        c.icmpError(IcmpErrorKind.PACKET_TOO_BIG, mtu, nowNanos);
        finish(c, nowNanos);
      }
    } finally {
      busy--;
    }
    drainDeferred(nowNanos);
  }

  private @Nullable TcpListener findListener(byte[] dst, int port) {
    List<TcpListener> list = listeners.get(port);
    if (list == null) {
      return null;
    }
    for (int i = 0; i < list.size(); i++) {
      TcpListener l = list.get(i);
      if (l.matches(dst)) {
        return l;
      }
    }
    return null;
  }

  void removeListener(TcpListener l) {
    List<TcpListener> list = listeners.get(l.port);
    if (list != null) {
      list.remove(l);
      if (list.isEmpty()) {
        listeners.remove(l.port);
      }
    }
  }

  // ======================================================================================== connections

  private TcpConnection newConnection(ConnKey key, @Nullable TcpListener l, TcpHandler h, long now) {
    int[] isnTs = isn(key, now);
    TcpConnection c = new TcpConnection(this, key, l, h, isnTs[0], isnTs[1], now);
    register(c);
    return c;
  }

  private void register(TcpConnection c) {
    connections.put(c.key, c);
  }

  void unregister(TcpConnection c) {
    if (c.removed) {
      return;
    }
    c.removed = true;
    if (c.heapIndex >= 0) {
      heapRemove(c);
    }
    connections.remove(c.key);
    if (c.listener != null) {
      c.listener.childGone(c);
    }
    scheduleOutput(c); // deliver the closed event
  }

  /**
   * RFC 6528 ISN: a 4-microsecond clock plus a keyed hash of the 4-tuple; the same hash also yields a
   * per-connection timestamp offset (RFC 7323 section 7.1).
   */
  int[] isn(ConnKey key, long now) {
    sha256.reset();
    sha256.update(isnSecret);
    sha256.update(key.local, 0, key.addrLen);
    sha256.update(key.remote, 0, key.addrLen);
    sha256.update((byte) (key.localPort >>> 8));
    sha256.update((byte) key.localPort);
    sha256.update((byte) (key.remotePort >>> 8));
    sha256.update((byte) key.remotePort);
    byte[] h = sha256.digest();
    int f = Segment.i32(h, 0);
    int ts = Segment.i32(h, 4);
    int m = (int) (now / 4000);
    return new int[] {m + f, ts};
  }

  // ======================================================================================== transmit

  /** RFC 5961 section 7: at most this many challenge ACKs per second per stack (as Linux's default). */
  static final int CHALLENGE_ACK_LIMIT = 1000;
  private long challengeWindowStart = Long.MIN_VALUE;
  private int challengeAcksInWindow;

  boolean allowChallengeAck(long now) {
    if (challengeWindowStart == Long.MIN_VALUE || now - challengeWindowStart >= 1_000_000_000L) {
      challengeWindowStart = now;
      challengeAcksInWindow = 0;
    }
    return ++challengeAcksInWindow <= CHALLENGE_ACK_LIMIT;
  }

  byte[] scratch(int size) {
    if (scratch.length < size) {
      scratch = new byte[Math.max(size, scratch.length * 2)];
    }
    return scratch;
  }

  int checksum(byte[] src, byte[] dst, byte[] b, int len) {
    long sum = InternetChecksum.pseudoHeader(src, dst, 6, len);
    return InternetChecksum.finish(FastChecksum.add(sum, b, 0, len));
  }

  void transmit(byte[] src, byte[] dst, byte[] b, int len) {
    stats.segmentsOut++;
    busy++;
    try {
      ip.send(src, dst, 6, b, 0, len);
    } finally {
      busy--;
    }
  }

  /** Sends a bare RST (with ACK if {@code withAck}). */
  void sendReset(byte[] src, int srcPort, byte[] dst, int dstPort, int seq, int ack, boolean withAck) {
    byte[] b = scratch(20);
    Segment.put16(b, 0, srcPort);
    Segment.put16(b, 2, dstPort);
    Segment.put32(b, 4, seq);
    Segment.put32(b, 8, withAck ? ack : 0);
    b[12] = 5 << 4;
    b[13] = (byte) (Segment.RST | (withAck ? Segment.ACK : 0));
    b[14] = 0;
    b[15] = 0;
    b[16] = 0;
    b[17] = 0;
    b[18] = 0;
    b[19] = 0;
    Segment.put16(b, 16, checksum(src, dst, b, 20));
    stats.resetsOut++;
    transmit(src, dst, b, 20);
  }

  /** Mutable counters behind {@link TcpStats}. */
  static final class Counters {
    long segmentsIn;
    long segmentsOut;
    long bytesIn;
    long bytesOut;
    long retransmits;
    long fastRetransmits;
    long sackRecoveries;
    long rtoTimeouts;
    long dupAcks;
    long outOfOrderSegments;
    long checksumErrors;
    long malformed;
    long resetsIn;
    long resetsOut;
    long challengeAcks;
    long pawsDrops;
    long persistProbes;
    long keepaliveProbes;
    long delayedAcks;
    long connectionsOpened;
    long connectionsAccepted;
    long connectionsFailed;
    long listenDrops;
    long noListener;
    long unsentDataAcks;
    long dataSegmentsIn;
    long dataSegmentsOut;
    long pureAcksOut;
    long windowUpdatesOut;

    TcpStats snapshot() {
      return new TcpStats(segmentsIn, segmentsOut, bytesIn, bytesOut, retransmits, fastRetransmits, sackRecoveries,
          rtoTimeouts, dupAcks, outOfOrderSegments, checksumErrors, malformed, resetsIn, resetsOut, challengeAcks,
          pawsDrops, persistProbes, keepaliveProbes, delayedAcks, connectionsOpened, connectionsAccepted,
          connectionsFailed, listenDrops, noListener, unsentDataAcks, dataSegmentsIn, dataSegmentsOut, pureAcksOut,
          windowUpdatesOut);
    }
  }
}
