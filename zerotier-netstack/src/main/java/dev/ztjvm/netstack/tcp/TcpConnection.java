package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.Segment.ACK;
import static dev.ztjvm.netstack.tcp.Segment.FIN;
import static dev.ztjvm.netstack.tcp.Segment.PSH;
import static dev.ztjvm.netstack.tcp.Segment.RST;
import static dev.ztjvm.netstack.tcp.Segment.SYN;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * One TCP connection (a transmission control block): the RFC 9293 state machine with its send and receive rings,
 * retransmission, congestion control and timers. Obtained from {@link TcpStack#connect} or
 * {@link TcpListener#accept()}; all methods must be called on the stack's event loop.
 *
 * <p>Backpressure: {@link #write} takes at most the free send-buffer space and returns the count; {@link #read}
 * drains the receive buffer, which reopens the advertised window.
 */
public final class TcpConnection {
  static final long NONE = Long.MAX_VALUE;
  private static final long MS = 1_000_000L;
  /** Timestamps older than this are not used for PAWS (RFC 7323 section 5.5, 24 days). */
  private static final long PAWS_IDLE_NANOS = 24L * 24 * 3600 * 1_000_000_000L;

  final TcpStack stack;
  private final TcpConfig cfg;
  final ConnKey key;
  final byte[] localAddr;
  final byte[] remoteAddr;
  final int localPort;
  final int remotePort;
  final @Nullable TcpListener listener;
  private TcpHandler handler;

  TcpState state;
  private @Nullable TcpError error;
  private @Nullable TcpError softError;

  // ---- send side
  private final int iss;
  private int sndUna;
  private int sndNxt;
  private int sndMax;
  private int sndWnd;
  private int sndWl1;
  private int sndWl2;
  private int maxSndWnd;
  private int sndWscale;
  private final ByteRing sndRing;
  /** Sequence number of the first byte in {@link #sndRing}. */
  private int sndBufSeq;
  private boolean finQueued;
  private boolean shutdownRequested;
  private boolean synPending;
  /** Effective send MSS: data bytes per segment without SACK blocks (options already subtracted). */
  private int mss;
  private int peerMss = 536;

  // ---- receive side
  private int irs;
  private int rcvNxt;
  private int rcvAdvEdge;
  private int rcvWscale;
  private final ByteRing rcvRing;
  private final SeqRanges ooo;
  private int lastOooSeq;
  private boolean oooFin;
  private int oooFinSeq;
  private boolean finReceived;
  private int rcvMss = 536;

  // ---- negotiated options
  private boolean wsOk;
  private boolean tsOk;
  private boolean sackOk;
  private boolean peerOfferedWs;
  private boolean peerOfferedTs;
  private boolean peerOfferedSack;
  private int peerWscale;
  private int tsRecent;
  private long tsRecentNanos;
  private boolean tsRecentValid;
  private int lastAckSent;
  /** When an ACK was last sent, or NONE. */
  private long lastAckSentNanos = NONE;
  private final int tsOffset;

  // ---- RTT and RTO (nanoseconds)
  private long srtt = -1;
  private long rttvar;
  private long rto;
  private int backoff;
  private int retries;
  private boolean rttTiming;
  private int rttSeq;
  private long rttStart;

  // ---- congestion control and loss recovery
  final CongestionControl cc;
  private int dupAcks;
  private boolean inRecovery;
  private int recover;
  private boolean recoverValid;
  private int highRxt;
  private final SeqRanges scoreboard;
  private boolean partialAckSeen;

  // ---- timers (absolute nanoseconds, NONE when off)
  private long rtoDeadline = NONE;
  private long delackDeadline = NONE;
  private long persistDeadline = NONE;
  private long keepaliveDeadline = NONE;
  private long closeDeadline = NONE;
  private int persistBackoff;
  private int keepaliveProbes;
  private long lastSendNanos;
  private long lastRecvNanos;

  // ---- ACK policy
  private boolean ackNow;
  private long lastOutOfWindowAck = NONE;
  private static final long OUT_OF_WINDOW_ACK_INTERVAL = 500 * MS;
  private int segsSinceAck;
  /** The pending ACK is owed only to a read that reopened the window (counted as a window update). */
  private boolean windowUpdateDue;

  // ---- options and user state
  private boolean noDelay;
  private boolean keepAlive;
  private long keepAliveIdleNanos;
  private long keepAliveIntervalNanos;
  private int keepAliveCount;
  private boolean userClosed;

  // ---- pending events
  private boolean evConnected;
  private boolean evReadable;
  private boolean evWritable;
  private boolean evClosed;
  private boolean closedNotified;
  boolean queuedForOutput;
  boolean removed;
  /** Position in the stack's timer heap (-1 when absent) and the deadline it is filed under. */
  int heapIndex = -1;
  long heapKey = NONE;

  TcpConnection(
      TcpStack stack, ConnKey key, @Nullable TcpListener listener, TcpHandler handler, int iss, int tsOffset,
      long now) {
    this.stack = stack;
    this.cfg = stack.config;
    this.key = key;
    this.localAddr = key.localAddress();
    this.remoteAddr = key.remoteAddress();
    this.localPort = key.localPort;
    this.remotePort = key.remotePort;
    this.listener = listener;
    this.handler = handler;
    this.iss = iss;
    this.tsOffset = tsOffset;
    this.sndUna = iss;
    this.sndNxt = iss;
    this.sndMax = iss;
    this.sndBufSeq = iss + 1;
    this.highRxt = iss;
    this.recover = iss;
    this.sndRing = new ByteRing(cfg.sendBufferSize(), cfg.initialBufferSize());
    this.rcvRing = new ByteRing(cfg.receiveBufferSize(), cfg.initialBufferSize());
    this.ooo = new SeqRanges(cfg.maxOutOfOrderRanges());
    this.scoreboard = new SeqRanges(64);
    this.noDelay = cfg.noDelay();
    this.keepAlive = cfg.keepAlive();
    this.keepAliveIdleNanos = cfg.keepAliveIdleNanos();
    this.keepAliveIntervalNanos = cfg.keepAliveIntervalNanos();
    this.keepAliveCount = cfg.keepAliveCount();
    this.rto = cfg.initialRtoNanos();
    int ws = 0;
    if (cfg.windowScaling()) {
      while (ws < 14 && (65535L << ws) < cfg.receiveBufferSize()) {
        ws++;
      }
    }
    this.rcvWscale = ws;
    int pathMss = pathMss();
    this.rcvMss = pathMss;
    this.mss = Math.min(536, pathMss);
    this.cc = cfg.congestionControl().create(this.mss, cfg.initialWindowSegments());
    this.lastRecvNanos = now;
    this.lastSendNanos = now;
  }

  private int pathMss() {
    int ipMax = stack.ip.maxPayload(remoteAddr) - 20;
    return Math.max(64, Math.min(cfg.maxMss(), ipMax));
  }

  // ======================================================================================== public API

  /** Current state. */
  public TcpState state() {
    return state;
  }

  /** Why the connection failed, or null (still open or closed in order). */
  public @Nullable TcpError error() {
    return error;
  }

  public byte[] localAddress() {
    return localAddr.clone();
  }

  public int localPort() {
    return localPort;
  }

  public byte[] remoteAddress() {
    return remoteAddr.clone();
  }

  public int remotePort() {
    return remotePort;
  }

  /** Replaces the readiness callbacks (e.g. right after {@link TcpListener#accept()}). */
  public void setHandler(TcpHandler handler) {
    this.handler = handler;
  }

  /** Disables (true) or enables Nagle's algorithm. */
  public void setNoDelay(boolean noDelay) {
    this.noDelay = noDelay;
    requestOutput();
  }

  public boolean noDelay() {
    return noDelay;
  }

  /** Turns keepalive probes on or off (timing from {@link TcpConfig}). */
  public void setKeepAlive(boolean on) {
    this.keepAlive = on;
    keepaliveProbes = 0;
    keepaliveDeadline = NONE;
    requestOutput();
  }

  /**
   * Overrides the keepalive timing of this connection (defaults from {@link TcpConfig}): idle time before the first
   * probe, interval between unanswered probes, and unanswered probes before the connection fails.
   */
  public void setKeepAliveTiming(long idleNanos, long intervalNanos, int count) {
    if (idleNanos <= 0 || intervalNanos <= 0 || count < 1) {
      throw new IllegalArgumentException("keepalive idle, interval and count must be positive");
    }
    this.keepAliveIdleNanos = idleNanos;
    this.keepAliveIntervalNanos = intervalNanos;
    this.keepAliveCount = count;
    keepaliveProbes = 0;
    keepaliveDeadline = NONE;
    requestOutput();
  }

  public long keepAliveIdleNanos() {
    return keepAliveIdleNanos;
  }

  public long keepAliveIntervalNanos() {
    return keepAliveIntervalNanos;
  }

  public int keepAliveCount() {
    return keepAliveCount;
  }

  public boolean keepAlive() {
    return keepAlive;
  }

  /** Bytes that can be read now. */
  public int available() {
    return rcvRing.size();
  }

  /** True once the peer's FIN was received and all data before it was read. */
  public boolean isEndOfStream() {
    return finReceived && rcvRing.size() == 0;
  }

  /**
   * Reads up to {@code len} bytes: returns the count, 0 if nothing is buffered yet, or -1 at the end of stream (or
   * after the connection failed and its data was drained).
   */
  public int read(byte[] dst, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, dst.length);
    int n = rcvRing.read(dst, off, len);
    if (n > 0) {
      // reopen the window if the edge would move by enough (receiver-side SWS avoidance)
      if (state.isSynchronized() && !finReceived && windowUpdateWorthSending()) {
        windowUpdateDue |= !ackNow;
        ackNow = true;
        requestOutput();
      }
      return n;
    }
    if (len == 0) {
      return 0;
    }
    return (finReceived || state == TcpState.CLOSED) ? -1 : 0;
  }

  /** Free send-buffer space: how much {@link #write} would take now. */
  public int writableBytes() {
    if (finQueued || shutdownRequested || state == TcpState.CLOSED) {
      return 0;
    }
    return sndRing.free();
  }

  /** Bytes written but not yet acknowledged by the peer. */
  public int unacknowledgedBytes() {
    return sndRing.size();
  }

  /**
   * Queues up to {@code len} bytes for sending and returns how many were taken (possibly 0 when the send buffer is
   * full: wait for {@link TcpHandler#onWritable}).
   *
   * @throws IllegalStateException if output was shut down or the connection is closed
   */
  public int write(byte[] src, int off, int len) {
    java.util.Objects.checkFromIndexSize(off, len, src.length);
    if (state == TcpState.CLOSED) {
      throw new IllegalStateException("connection closed" + (error != null ? " (" + error + ")" : ""));
    }
    if (finQueued || shutdownRequested) {
      throw new IllegalStateException("output already shut down");
    }
    int n = sndRing.write(src, off, len);
    if (n > 0) {
      requestOutput();
    }
    return n;
  }

  /** Half-close: sends FIN after the buffered data; reading continues until the peer's FIN. */
  public void shutdownOutput() {
    if (state == TcpState.CLOSED || finQueued || shutdownRequested) {
      return;
    }
    shutdownRequested = true;
    applyShutdown();
    requestOutput();
  }

  public boolean isOutputShutdown() {
    return shutdownRequested;
  }

  /**
   * Closes the connection: an orderly FIN after buffered data, or a RST if received data is still unread (RFC 2525)
   * or the handshake has not completed on an active open. Data arriving after close resets the connection.
   */
  public void close() {
    if (state == TcpState.CLOSED || userClosed) {
      return;
    }
    userClosed = true;
    if (state == TcpState.SYN_SENT) {
      terminate(null, false, stack.lastNow);
      return;
    }
    if (rcvRing.size() > 0) {
      terminate(TcpError.ABORTED, true, stack.lastNow);
      return;
    }
    shutdownOutput();
    if (state == TcpState.FIN_WAIT_2) {
      closeDeadline = stack.lastNow + cfg.finWait2TimeoutNanos();
    }
    requestOutput(); // re-files the timers
  }

  /** Resets the connection at once (RST to the peer); pending data is discarded. */
  public void abort() {
    if (state == TcpState.CLOSED) {
      return;
    }
    userClosed = true;
    terminate(TcpError.ABORTED, true, stack.lastNow);
  }

  /** Effective send MSS in bytes. */
  public int mss() {
    return mss;
  }

  /** Congestion window in bytes. */
  public int congestionWindow() {
    return cc.cwnd();
  }

  /** Smoothed RTT in nanoseconds, or -1 before the first sample. */
  public long smoothedRttNanos() {
    return srtt;
  }

  /** Current retransmission timeout including backoff, nanoseconds. */
  public long rtoNanos() {
    return currentRto();
  }

  /** Peer's advertised window in bytes. */
  public int sendWindow() {
    return sndWnd;
  }

  /** Whether window scaling, timestamps and SACK were negotiated: bit 0 WS, bit 1 TS, bit 2 SACK. */
  public int negotiatedOptions() {
    return (wsOk ? 1 : 0) | (tsOk ? 2 : 0) | (sackOk ? 4 : 0);
  }

  @Override
  public String toString() {
    return "TcpConnection[" + localPort + "->" + remotePort + " " + state + "]";
  }

  // ======================================================================================== opens

  /** Active open: SYN goes out on the next output. */
  void activeOpen() {
    state = TcpState.SYN_SENT;
    synPending = true;
    requestOutput();
  }

  /** Passive open from a SYN that reached {@code listener}. */
  void passiveOpen(Segment s, long now) {
    state = TcpState.SYN_RECEIVED;
    irs = s.seq;
    rcvNxt = s.seq + 1;
    takeSynOptions(s, now);
    if (!wsOk) {
      rcvWscale = 0;
    }
    sndWnd = s.window;
    sndWl1 = s.seq;
    sndWl2 = s.ack;
    maxSndWnd = sndWnd;
    synPending = true;
    output(now);
  }

  private void takeSynOptions(Segment s, long now) {
    peerOfferedWs = s.hasWindowScale;
    peerOfferedTs = s.hasTimestamp;
    peerOfferedSack = s.sackPermitted;
    peerWscale = s.windowScale;
    wsOk = cfg.windowScaling() && peerOfferedWs;
    tsOk = cfg.timestamps() && peerOfferedTs;
    sackOk = cfg.sack() && peerOfferedSack;
    sndWscale = wsOk ? peerWscale : 0;
    if (s.hasMss && s.mss > 0) {
      peerMss = s.mss;
    } else {
      peerMss = 536;
    }
    if (tsOk) {
      tsRecent = s.tsVal;
      tsRecentNanos = now;
      tsRecentValid = true;
    }
    updateMss();
  }

  private void updateMss() {
    int m = Math.min(peerMss, pathMss()) - (tsOk ? 12 : 0);
    mss = Math.max(64, m);
    cc.setMss(mss);
  }

  // ======================================================================================== segment arrival

  void segmentArrived(Segment s, long now) {
    if (state == TcpState.SYN_SENT) {
      synSentArrived(s, now);
    } else if (state != TcpState.CLOSED) {
      synchronizedArrived(s, now);
    }
  }

  private void synSentArrived(Segment s, long now) {
    boolean ackOk = false;
    if (s.has(ACK)) {
      if (Seq.le(s.ack, iss) || Seq.gt(s.ack, sndMax)) {
        if (!s.has(RST)) {
          stack.sendReset(localAddr, localPort, remoteAddr, remotePort, s.ack, 0, false);
        }
        return;
      }
      ackOk = true;
    }
    if (s.has(RST)) {
      if (ackOk) {
        stack.stats.resetsIn++;
        terminate(TcpError.CONNECTION_REFUSED, false, now);
      }
      return;
    }
    if (!s.has(SYN)) {
      return;
    }
    lastRecvNanos = now;
    irs = s.seq;
    rcvNxt = s.seq + 1;
    takeSynOptions(s, now);
    if (!wsOk) {
      rcvWscale = 0;
    }
    rcvAdvEdge = rcvNxt + Math.min(rcvRing.free(), 65535);
    if (ackOk) {
      // our SYN is acknowledged: established
      if (!tsOk && rttTiming) {
        rttSample(now - rttStart);
      } else if (tsOk && s.hasTimestamp && s.tsEcr != 0) {
        tsRttSample(s.tsEcr, now);
      }
      rttTiming = false;
      sndUna = s.ack;
      sndWnd = s.window; // never scaled in a SYN
      sndWl1 = s.seq;
      sndWl2 = s.ack;
      maxSndWnd = sndWnd;
      retries = 0;
      backoff = 0;
      rtoDeadline = NONE;
      state = TcpState.ESTABLISHED;
      stack.stats.connectionsOpened++;
      evConnected = true;
      evWritable = true;
      applyShutdown();
      ackNow = true;
      armKeepalive(now);
    } else {
      // simultaneous open: answer with SYN-ACK on the same ISS
      state = TcpState.SYN_RECEIVED;
      sndWnd = s.window;
      sndWl1 = s.seq;
      sndWl2 = s.ack;
      maxSndWnd = sndWnd;
      synPending = true;
      retries = 0;
    }
  }

  private void synchronizedArrived(Segment s, long now) {
    int len = s.dataLen;
    // Retransmitted SYN of a connection we are half-way through accepting: repeat the SYN-ACK.
    if (state == TcpState.SYN_RECEIVED && s.has(SYN) && !s.has(ACK) && !s.has(RST) && s.seq == irs) {
      synPending = true;
      return;
    }
    // PAWS (RFC 7323 section 5)
    // A reordered pure ACK at rcvNxt carries no data PAWS must protect; keep its ACK/SACK information.
    boolean pureAck = s.dataLen == 0 && (s.flags & (SYN | FIN | RST)) == 0 && s.seq == rcvNxt;
    if (tsOk && s.hasTimestamp && !s.has(RST) && !pureAck && tsRecentValid && Seq.lt(s.tsVal, tsRecent)) {
      if (now - tsRecentNanos > PAWS_IDLE_NANOS) {
        tsRecentValid = false;
      } else {
        stack.stats.pawsDrops++;
        ackNow = true;
        return;
      }
    }
    // sequence acceptability (RFC 9293 section 3.10.7.4)
    int rcvWnd = rcvAdvEdge - rcvNxt;
    int segLen = s.seqLength();
    boolean acceptable;
    if (segLen == 0) {
      acceptable = rcvWnd == 0 ? s.seq == rcvNxt : inWindow(s.seq, rcvNxt, rcvWnd);
    } else if (rcvWnd == 0) {
      // no window: only ACK/RST information of a segment at rcvNxt is used (data is dropped below)
      acceptable = s.seq == rcvNxt;
    } else {
      acceptable = inWindow(s.seq, rcvNxt, rcvWnd) || inWindow(s.seq + segLen - 1, rcvNxt, rcvWnd);
    }
    if (!acceptable) {
      if (!s.has(RST) && (segLen > 0 || !outOfWindowAckLimited(now)) && !finCrossingOurAck(s, segLen, now)) {
        ackNow = true;
      }
      if (state == TcpState.TIME_WAIT && s.has(FIN)) {
        closeDeadline = now + 2 * cfg.mslNanos();
      }
      return;
    }
    lastRecvNanos = now;
    keepaliveProbes = 0;
    // RST (RFC 5961 section 3: exact match resets, otherwise a challenge ACK)
    if (s.has(RST)) {
      if (s.seq != rcvNxt) {
        challengeAck(now);
        return;
      }
      stack.stats.resetsIn++;
      switch (state) {
        case SYN_RECEIVED -> terminate(listener != null ? null : TcpError.CONNECTION_REFUSED, false, now);
        case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT -> terminate(TcpError.CONNECTION_RESET, false, now);
        default -> terminate(null, false, now);
      }
      return;
    }
    // SYN in a synchronized state (RFC 5961 section 4): challenge ACK
    if (s.has(SYN)) {
      if (state == TcpState.SYN_RECEIVED && s.has(ACK) && s.seq == irs) {
        // SYN-ACK answering our SYN-ACK in a simultaneous open: treat as the ACK
      } else {
        challengeAck(now);
        return;
      }
    }
    if (!s.has(ACK)) {
      return;
    }
    // timestamps: remember the peer's clock (RFC 7323 section 4.3)
    if (tsOk && s.hasTimestamp && Seq.le(s.seq, lastAckSent) && (!tsRecentValid || Seq.ge(s.tsVal, tsRecent))) {
      tsRecent = s.tsVal;
      tsRecentNanos = now;
      tsRecentValid = true;
    }
    if (state == TcpState.SYN_RECEIVED) {
      if (Seq.gt(s.ack, sndUna) && Seq.le(s.ack, sndMax)) {
        if (listener != null && !listener.canComplete()) {
          stack.stats.listenDrops++;
          return; // accept queue full: pretend the ACK was lost; the peer retransmits
        }
        state = TcpState.ESTABLISHED;
        sndWnd = s.window << sndWscale;
        sndWl1 = s.seq;
        sndWl2 = s.ack;
        maxSndWnd = sndWnd;
        rtoDeadline = NONE;
        retries = 0;
        backoff = 0;
        armKeepalive(now);
        if (listener != null) {
          stack.stats.connectionsAccepted++;
          listener.completed(this);
        } else {
          stack.stats.connectionsOpened++;
          evConnected = true;
        }
        evWritable = true;
        applyShutdown();
      } else {
        stack.sendReset(localAddr, localPort, remoteAddr, remotePort, s.ack, 0, false);
        return;
      }
    }
    if (!processAck(s, now)) {
      return;
    }
    if (state == TcpState.CLOSED) {
      return;
    }
    // segment text
    if (len > 0) {
      switch (state) {
        case ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2 -> {
          if (userClosed) {
            // data for a connection the application closed: nobody will read it (RFC 9293 3.10.4 / RFC 2525)
            terminate(TcpError.ABORTED, true, now);
            return;
          }
          receiveData(s, now);
        }
        default -> {
          // the peer already sent FIN: ignore data
        }
      }
    } else if (s.has(FIN)) {
      checkFin(s.seq, now);
    }
  }

  /**
   * A retransmitted FIN in TIME_WAIT that arrives less than one round trip after we acknowledged the FIN was sent
   * before our ACK could reach the peer: that ACK is still on its way and will close the peer (LAST_ACK), so a
   * second ACK would only meet a closed port and draw a RST. If our ACK was lost, the peer retransmits again after
   * its (backed-off) timeout, later than one round trip, and that copy is answered (RFC 9293 3.10.7.4 TIME-WAIT).
   */
  private boolean finCrossingOurAck(Segment s, int segLen, long now) {
    return state == TcpState.TIME_WAIT && s.has(FIN) && s.seq + segLen == rcvNxt && lastAckSent == rcvNxt
        && lastAckSentNanos != NONE && now - lastAckSentNanos < Math.max(srtt, MS);
  }

  private static boolean inWindow(int seq, int start, int wnd) {
    return Seq.ge(seq, start) && Seq.lt(seq, start + wnd);
  }

  /**
   * Rate limit for ACKs answering empty out-of-window segments or ACKs of unsent data (as Linux's
   * tcp_invalid_ratelimit): two desynchronised peers must not ping-pong ACKs at line rate.
   */
  private boolean outOfWindowAckLimited(long now) {
    if (lastOutOfWindowAck != NONE && now - lastOutOfWindowAck < OUT_OF_WINDOW_ACK_INTERVAL) {
      return true;
    }
    lastOutOfWindowAck = now;
    return false;
  }

  private void challengeAck(long now) {
    if (stack.allowChallengeAck(now)) {
      stack.stats.challengeAcks++;
      ackNow = true;
    }
  }

  /** ACK field processing; false if the segment must be dropped. */
  private boolean processAck(Segment s, long now) {
    int ack = s.ack;
    if (Seq.gt(ack, sndMax)) {
      // acknowledges something never sent. SND.MAX, not SND.NXT: after a timeout rolls SND.NXT back (go-back-N),
      // ACKs for data sent before it are still valid (comparing with SND.NXT made two stacks ping-pong ACKs).
      stack.stats.unsentDataAcks++;
      if (s.seqLength() > 0 || !outOfWindowAckLimited(now)) {
        ackNow = true;
      }
      return false;
    }
    if (Seq.lt(ack, sndUna - Math.max(maxSndWnd, 65535))) {
      // RFC 5961 section 5: too old to be plausible
      challengeAck(now);
      return false;
    }
    int newWnd = s.window << sndWscale;
    boolean windowChanged = newWnd != sndWnd;
    if (sackOk && s.sackBlocks > 0) {
      takeSack(s);
    }
    if (Seq.gt(ack, sndUna)) {
      ackAdvanced(s, ack, now);
    } else if (ack == sndUna && s.dataLen == 0 && !s.has(SYN) && !s.has(FIN) && !windowChanged
        && sndMax != sndUna) {
      duplicateAck(now);
    }
    // window update (RFC 9293 SND.WL1/WL2 rule)
    if (Seq.lt(sndWl1, s.seq) || (sndWl1 == s.seq && Seq.le(sndWl2, ack))) {
      boolean opened = newWnd > sndWnd;
      sndWnd = newWnd;
      sndWl1 = s.seq;
      sndWl2 = ack;
      if (sndWnd > maxSndWnd) {
        maxSndWnd = sndWnd;
      }
      if (sndWnd > 0 && persistDeadline != NONE) {
        persistDeadline = NONE;
        persistBackoff = 0;
      }
      if (opened) {
        requestOutput();
      }
    }
    // state transitions driven by our FIN being acknowledged
    boolean finAcked = finQueued && Seq.gt(sndUna, finSeq());
    switch (state) {
      case FIN_WAIT_1 -> {
        if (finAcked) {
          state = TcpState.FIN_WAIT_2;
          if (userClosed) {
            closeDeadline = now + cfg.finWait2TimeoutNanos();
          }
        }
      }
      case CLOSING -> {
        if (finAcked) {
          enterTimeWait(now);
        }
      }
      case LAST_ACK -> {
        if (finAcked) {
          terminate(null, false, now);
          return false;
        }
      }
      case TIME_WAIT -> {
        if (s.has(FIN)) {
          ackNow = true;
          closeDeadline = now + 2 * cfg.mslNanos();
        }
      }
      default -> {
      }
    }
    return true;
  }

  private int finSeq() {
    return sndBufSeq + sndRing.size();
  }

  private void takeSack(Segment s) {
    for (int i = 0; i < s.sackBlocks; i++) {
      int a = s.sackStart[i];
      int b = s.sackEnd[i];
      // only blocks above the cumulative ACK and within what we sent (D-SACK and junk ignored)
      if (Seq.lt(a, b) && Seq.gt(b, sndUna) && Seq.le(b, sndMax) && Seq.ge(a, s.ack)) {
        scoreboard.add(Seq.max(a, sndUna), b);
      }
    }
  }

  private void ackAdvanced(Segment s, int ack, long now) {
    int acked = ack - sndUna;
    int flightBefore = sndMax - sndUna;
    // RTT sample (Karn: timing is cancelled on retransmission; timestamps are unambiguous)
    if (tsOk && s.hasTimestamp && s.tsEcr != 0) {
      tsRttSample(s.tsEcr, now);
    } else if (rttTiming && Seq.ge(ack, rttSeq)) {
      rttSample(now - rttStart);
      rttTiming = false;
    }
    // release acknowledged data
    int dataAcked = Math.min(Math.max(0, ack - sndBufSeq), sndRing.size());
    if (dataAcked > 0) {
      sndRing.skip(dataAcked);
      sndBufSeq += dataAcked;
      evWritable = true;
    }
    sndUna = ack;
    if (Seq.lt(sndNxt, sndUna)) {
      sndNxt = sndUna;
    }
    scoreboard.removeBelow(sndUna);
    if (Seq.lt(highRxt, sndUna)) {
      highRxt = sndUna;
    }
    retries = 0;
    backoff = 0;
    dupAcks = 0;
    if (inRecovery) {
      if (Seq.ge(ack, recover)) {
        inRecovery = false;
        cc.onRecoveryExit(sndMax - sndUna, now);
      } else if (!sackOk) {
        // NewReno partial ACK (RFC 6582 section 3.2 step 3)
        retransmitAt(sndUna, mss, now);
        int c = cc.cwnd() - acked;
        if (acked >= mss) {
          c += mss;
        }
        cc.setCwnd(c);
        if (!partialAckSeen) {
          partialAckSeen = true;
          rtoDeadline = now + currentRto();
        }
      }
    } else {
      cc.onAck(acked, flightBefore, now);
    }
    if (sndUna == sndMax) {
      rtoDeadline = NONE;
    } else if (!inRecovery || !partialAckSeen || sackOk) {
      rtoDeadline = now + currentRto();
    }
    requestOutput();
  }

  private void duplicateAck(long now) {
    stack.stats.dupAcks++;
    dupAcks++;
    if (inRecovery) {
      if (!sackOk) {
        cc.setCwnd(cc.cwnd() + mss); // NewReno inflation
      }
      requestOutput();
      return;
    }
    boolean mayRecover = !recoverValid || Seq.gt(sndUna, recover);
    // Early retransmit (RFC 5827): with fewer than four segments outstanding and nothing new to send, three
    // duplicate ACKs can never arrive; lower the threshold to outstanding - 1.
    int outstandingSegs = (sndMax - sndUna + mss - 1) / mss;
    boolean nothingNew = sndRing.size() - (sndMax - sndBufSeq) <= 0 || sndWnd <= sndMax - sndUna;
    int threshold = outstandingSegs < 4 && nothingNew ? Math.max(1, outstandingSegs - 1) : 3;
    boolean lossSignalled = dupAcks >= threshold || (sackOk && scoreboard.bytesAbove(sndUna) > 2L * mss);
    if (lossSignalled && mayRecover) {
      enterRecovery(now);
    } else if (dupAcks <= 2) {
      requestOutput(); // limited transmit (RFC 3042)
    }
  }

  private void enterRecovery(long now) {
    int flight = sndMax - sndUna;
    inRecovery = true;
    partialAckSeen = false;
    recover = sndMax;
    recoverValid = true;
    stack.stats.fastRetransmits++;
    cc.onCongestionEvent(flight, now);
    int limit = mss;
    if (sackOk && !scoreboard.isEmpty() && Seq.gt(scoreboard.start(0), sndUna)) {
      limit = Math.min(mss, scoreboard.start(0) - sndUna);
    }
    int sent = retransmitAt(sndUna, limit, now);
    if (sackOk) {
      stack.stats.sackRecoveries++;
      highRxt = sndUna + sent;
    } else {
      cc.setCwnd(cc.ssthresh() + 3 * mss);
    }
    rtoDeadline = now + currentRto();
    requestOutput();
  }

  private void receiveData(Segment s, long now) {
    int seq = s.seq;
    int off = s.dataOff;
    int len = s.dataLen;
    boolean fin = s.has(FIN);
    // trim what we already have
    if (Seq.lt(seq, rcvNxt)) {
      int skip = rcvNxt - seq;
      if (skip >= len) {
        // pure duplicate data (maybe with a FIN at its end)
        ackNow = true;
        if (fin) {
          checkFin(seq + len, now);
        }
        return;
      }
      seq += skip;
      off += skip;
      len -= skip;
    }
    // trim to the window we offered
    int room = rcvAdvEdge - seq;
    if (len > room) {
      len = Math.max(0, room);
      fin = false;
    }
    if (len == 0) {
      ackNow = true;
      return;
    }
    stack.stats.bytesIn += len;
    if (seq == rcvNxt) {
      rcvRing.copyIn(rcvRing.size(), s.buf, off, len);
      rcvRing.commit(len);
      rcvNxt += len;
      boolean filledHole = false;
      while (!ooo.isEmpty() && Seq.le(ooo.start(0), rcvNxt)) {
        int end = ooo.end(0);
        if (Seq.gt(end, rcvNxt)) {
          rcvRing.commit(end - rcvNxt);
          rcvNxt = end;
        }
        ooo.remove(0);
        filledHole = true;
      }
      evReadable = true;
      segsSinceAck++;
      if (filledHole || !ooo.isEmpty()) {
        ackNow = true;
      } else if (segsSinceAck >= 2) {
        ackNow = true;
      } else if (delackDeadline == NONE) {
        delackDeadline = now + cfg.delayedAckNanos();
      }
      if (fin) {
        checkFin(seq + len, now);
      } else if (oooFin) {
        checkFin(oooFinSeq, now);
      }
    } else {
      // out of order: keep it in the ring at its offset if within limits
      stack.stats.outOfOrderSegments++;
      int offset = seq - rcvNxt;
      if ((long) offset + len <= cfg.maxOutOfOrderBytes() && ooo.add(seq, seq + len)) {
        rcvRing.copyIn(rcvRing.size() + offset, s.buf, off, len);
        lastOooSeq = seq;
        if (fin) {
          oooFin = true;
          oooFinSeq = seq + len;
        }
      }
      ackNow = true; // duplicate ACK with SACK blocks right away
    }
  }

  private void checkFin(int finSeqNum, long now) {
    if (finSeqNum != rcvNxt) {
      if (Seq.gt(finSeqNum, rcvNxt)) {
        oooFin = true;
        oooFinSeq = finSeqNum;
      } else {
        ackNow = true; // retransmitted FIN
      }
      return;
    }
    if (finReceived) {
      ackNow = true;
      return;
    }
    finReceived = true;
    oooFin = false;
    rcvNxt++;
    ackNow = true;
    evReadable = true;
    switch (state) {
      case ESTABLISHED -> state = TcpState.CLOSE_WAIT;
      case FIN_WAIT_1 -> {
        if (finQueued && Seq.gt(sndUna, finSeq())) {
          enterTimeWait(now);
        } else {
          state = TcpState.CLOSING;
        }
      }
      case FIN_WAIT_2 -> enterTimeWait(now);
      default -> {
      }
    }
  }

  private void enterTimeWait(long now) {
    state = TcpState.TIME_WAIT;
    rtoDeadline = NONE;
    persistDeadline = NONE;
    keepaliveDeadline = NONE;
    closeDeadline = now + 2 * cfg.mslNanos();
    evClosed = true;
  }

  private void applyShutdown() {
    if (!shutdownRequested || finQueued) {
      return;
    }
    switch (state) {
      case ESTABLISHED -> {
        finQueued = true;
        state = TcpState.FIN_WAIT_1;
      }
      case CLOSE_WAIT -> {
        finQueued = true;
        state = TcpState.LAST_ACK;
      }
      default -> {
      }
    }
  }

  // ======================================================================================== RTT

  private int tsNow(long now) {
    return (int) (now / MS) + tsOffset;
  }

  private void tsRttSample(int tsEcr, long now) {
    int ms = tsNow(now) - tsEcr;
    if (ms >= 0 && ms < 600_000) {
      rttSample(ms * MS + MS / 2);
    }
  }

  private void rttSample(long r) {
    if (r < 0) {
      return;
    }
    if (srtt < 0) {
      srtt = r;
      rttvar = r / 2;
    } else {
      rttvar = (3 * rttvar + Math.abs(srtt - r)) / 4;
      srtt = (7 * srtt + r) / 8;
    }
    rto = Math.min(cfg.maxRtoNanos(), Math.max(cfg.minRtoNanos(), srtt + Math.max(MS, 4 * rttvar)));
    backoff = 0;
  }

  private long currentRto() {
    long r = rto;
    for (int i = 0; i < backoff && r < cfg.maxRtoNanos(); i++) {
      r <<= 1;
    }
    return Math.min(r, cfg.maxRtoNanos());
  }

  // ======================================================================================== timers

  long nextDeadline() {
    long d = rtoDeadline;
    if (delackDeadline < d) {
      d = delackDeadline;
    }
    if (persistDeadline < d) {
      d = persistDeadline;
    }
    if (keepaliveDeadline < d) {
      d = keepaliveDeadline;
    }
    if (closeDeadline < d) {
      d = closeDeadline;
    }
    return d;
  }

  void onTimers(long now) {
    if (closeDeadline <= now) {
      closeDeadline = NONE;
      if (state == TcpState.TIME_WAIT) {
        terminate(null, false, now);
      } else {
        terminate(TcpError.TIMED_OUT, true, now); // FIN_WAIT_2 after close(): give up on the peer's FIN
      }
      return;
    }
    if (rtoDeadline <= now) {
      rtoDeadline = NONE;
      onRetransmissionTimeout(now);
      if (state == TcpState.CLOSED) {
        return;
      }
    }
    if (persistDeadline <= now) {
      persistDeadline = NONE;
      onPersist(now);
    }
    if (delackDeadline <= now) {
      delackDeadline = NONE;
      stack.stats.delayedAcks++;
      ackNow = true;
    }
    if (keepaliveDeadline <= now) {
      keepaliveDeadline = NONE;
      onKeepalive(now);
    }
  }

  private void onRetransmissionTimeout(long now) {
    if (state == TcpState.SYN_SENT || state == TcpState.SYN_RECEIVED) {
      if (++retries > cfg.synRetries()) {
        terminate(softError != null ? softError : TcpError.TIMED_OUT, state == TcpState.SYN_RECEIVED, now);
        return;
      }
      stack.stats.rtoTimeouts++;
      backoff++;
      rttTiming = false;
      synPending = true;
      return;
    }
    if (sndMax == sndUna) {
      return;
    }
    if (++retries > cfg.maxRetransmits()) {
      terminate(softError != null ? softError : TcpError.TIMED_OUT, true, now);
      return;
    }
    stack.stats.rtoTimeouts++;
    cc.onRetransmissionTimeout(sndMax - sndUna, backoff == 0, now);
    backoff++;
    inRecovery = false;
    recover = sndMax;
    recoverValid = true;
    dupAcks = 0;
    // The scoreboard is kept (as Linux does): go-back-N below skips data the receiver already SACKed. Should the
    // receiver have reneged, the next RTO finds the same hole again and the SACK blocks will no longer cover it.
    if (backoff > 1) {
      scoreboard.clear();
    }
    highRxt = sndUna;
    rttTiming = false;
    sndNxt = sndUna; // go back N
    int sent = retransmitAt(sndUna, mss, now);
    if (sent > 0 || finQueued) {
      sndNxt = Seq.max(sndNxt, sndUna + sent);
    }
    rtoDeadline = now + currentRto();
  }

  private void armPersist(long now) {
    if (persistDeadline != NONE) {
      return;
    }
    long d = currentRto();
    for (int i = 0; i < persistBackoff && d < cfg.maxRtoNanos(); i++) {
      d <<= 1;
    }
    persistDeadline = now + Math.min(d, cfg.maxRtoNanos());
  }

  private void onPersist(long now) {
    int unsent = sndRing.size() - (sndNxt - sndBufSeq);
    if (unsent <= 0 || !state.isSynchronized() || sndNxt != sndUna) {
      persistBackoff = 0;
      return;
    }
    if (sndWnd == 0) {
      // zero-window probe: an old sequence number makes the peer answer with its current window
      stack.stats.persistProbes++;
      sendSegment(sndUna - 1, ACK, 0, false, now);
      persistBackoff++;
      armPersist(now);
      return;
    }
    // SWS override: the window stayed too small for a full segment; send what fits
    int len = Math.min(Math.min(unsent, sndWnd), mss - sackOptionBytes());
    sendSegment(sndNxt, ACK | (len == unsent ? PSH : 0), len, true, now);
    sndNxt += len;
    if (Seq.gt(sndNxt, sndMax)) {
      sndMax = sndNxt;
    }
    persistBackoff = 0;
  }

  private void armKeepalive(long now) {
    if (keepAlive && keepaliveDeadline == NONE) {
      keepaliveDeadline = lastRecvNanos + keepAliveIdleNanos;
      if (keepaliveDeadline <= now) {
        keepaliveDeadline = now + keepAliveIdleNanos;
      }
    }
  }

  private void onKeepalive(long now) {
    if (!keepAlive || !(state == TcpState.ESTABLISHED || state == TcpState.CLOSE_WAIT
        || state == TcpState.FIN_WAIT_2)) {
      return;
    }
    long idleUntil = lastRecvNanos + keepAliveIdleNanos;
    if (keepaliveProbes == 0 && idleUntil > now) {
      keepaliveDeadline = idleUntil; // traffic arrived meanwhile
      return;
    }
    if (keepaliveProbes >= keepAliveCount) {
      terminate(TcpError.KEEPALIVE_TIMED_OUT, true, now);
      return;
    }
    keepaliveProbes++;
    stack.stats.keepaliveProbes++;
    sendSegment(sndUna - 1, ACK, 0, false, now);
    keepaliveDeadline = now + keepAliveIntervalNanos;
  }

  // ======================================================================================== output

  void requestOutput() {
    stack.scheduleOutput(this);
  }

  /** Sends whatever is due: SYN, data, FIN, ACK. */
  void output(long now) {
    if (state == TcpState.CLOSED) {
      return;
    }
    if (synPending) {
      synPending = false;
      sendSyn(now);
      return;
    }
    boolean sent = false;
    switch (state) {
      case ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, CLOSING, LAST_ACK -> sent = sendData(now);
      default -> {
      }
    }
    if (ackNow && !sent && state != TcpState.SYN_SENT) {
      sendSegment(sndMax, ACK, 0, true, now);
    }
    if (keepAlive && keepaliveDeadline == NONE && state.isSynchronized()) {
      armKeepalive(now);
    }
  }

  private void sendSyn(long now) {
    int flags = state == TcpState.SYN_RECEIVED ? SYN | ACK : SYN;
    if (sndMax == iss && !rttTiming && retries == 0) {
      rttTiming = true;
      rttStart = now;
      rttSeq = iss + 1;
    }
    sendSegment(iss, flags, 0, false, now);
    if (Seq.lt(sndMax, iss + 1)) {
      sndMax = iss + 1;
    }
    sndNxt = iss + 1;
    rtoDeadline = now + currentRto();
  }

  /** Sends new data or go-back-N retransmissions; true if at least one segment went out. */
  private boolean sendData(long now) {
    boolean sent = false;
    if (inRecovery && sackOk) {
      sent = sackRecoveryOutput(now);
      if (Seq.ge(sndNxt, sndMax)) {
        return sent;
      }
    }
    if (sndMax == sndUna && now - lastSendNanos > currentRto() && sndRing.size() > 0) {
      cc.onIdleRestart(now);
    }
    int dataMss = mss - sackOptionBytes();
    for (int guard = 0; guard < 100_000; guard++) {
      int flight = sndNxt - sndUna;
      long win = Math.min((long) sndWnd, (long) cc.cwnd() + (inRecovery ? 0 : Math.min(dupAcks, 2) * (long) mss));
      int sackLimit = Integer.MAX_VALUE;
      if (Seq.lt(sndNxt, sndMax) && !scoreboard.isEmpty()) {
        // go-back-N after an RTO: skip what the receiver already holds
        int i = scoreboard.indexOf(sndNxt);
        if (i >= 0) {
          sndNxt = scoreboard.end(i);
          continue;
        }
        for (int k = 0; k < scoreboard.count(); k++) {
          if (Seq.gt(scoreboard.start(k), sndNxt)) {
            sackLimit = scoreboard.start(k) - sndNxt;
            break;
          }
        }
      }
      int dataOffset = sndNxt - sndBufSeq;
      int unsent = sndRing.size() - dataOffset;
      boolean finPending = finQueued && Seq.le(sndNxt, finSeq());
      if (unsent <= 0 && !finPending) {
        break;
      }
      long usable = win - flight;
      int len = Math.max(0, Math.min(Math.min(unsent, dataMss), sackLimit));
      if (len > usable) {
        len = (int) Math.max(0, usable);
        // sender-side SWS avoidance: a window-limited runt only if it is a good fraction of the peer's window
        if (len < dataMss && len < maxSndWnd / 2) {
          len = 0;
        }
      }
      if (len == 0 && unsent > 0) {
        if (flight == 0) {
          armPersist(now); // zero window, or SWS-blocked: the persist timer probes or overrides
        }
        break;
      }
      boolean retransmission = Seq.lt(sndNxt, sndMax);
      if (len > 0 && len == unsent && len < dataMss && !noDelay && flight > 0 && !retransmission && !finPending) {
        break; // Nagle: hold a runt while data is unacknowledged
      }
      boolean fin = finPending && len == unsent;
      if (len == 0 && !fin) {
        break;
      }
      int flags = ACK | (fin ? FIN : 0) | (len > 0 && len == unsent ? PSH : 0);
      sendSegment(sndNxt, flags, len, true, now);
      sndNxt += len + (fin ? 1 : 0);
      if (Seq.gt(sndNxt, sndMax)) {
        sndMax = sndNxt;
      }
      sent = true;
      if (fin) {
        break;
      }
    }
    return sent;
  }

  /** RFC 6675 NextSeg / pipe-driven sending during SACK recovery. */
  private boolean sackRecoveryOutput(long now) {
    boolean sent = false;
    for (int guard = 0; guard < 10_000; guard++) {
      long pipe = pipe();
      if (cc.cwnd() - pipe < mss) {
        break;
      }
      // rule 1: the first lost, not yet retransmitted hole
      long hole = nextLostHole();
      if (hole != Long.MIN_VALUE) {
        int s = (int) (hole >> 32);
        int e = (int) hole;
        int n = retransmitAt(s, Math.min(mss - sackOptionBytes(), e - s), now);
        if (n <= 0) {
          break;
        }
        highRxt = s + n;
        sent = true;
        continue;
      }
      // rule 2: new data
      if (Seq.ge(sndNxt, sndMax)) {
        int unsent = sndRing.size() - (sndNxt - sndBufSeq);
        int room = sndUna + sndWnd - sndNxt;
        int len = Math.min(Math.min(unsent, mss - sackOptionBytes()), room);
        if (len > 0) {
          sendSegment(sndNxt, ACK | (len == unsent ? PSH : 0), len, true, now);
          sndNxt += len;
          sndMax = sndNxt;
          sent = true;
          continue;
        }
      }
      break;
    }
    return sent;
  }

  private boolean isLost(int holeStart) {
    return scoreboard.bytesAbove(holeStart) > 2L * mss;
  }

  /** The next lost hole at or above highRxt, packed (start << 32 | end), or Long.MIN_VALUE. */
  private long nextLostHole() {
    int from = Seq.max(sndUna, highRxt);
    int cursor = sndUna;
    for (int i = 0; i < scoreboard.count(); i++) {
      int hs = cursor;
      int he = scoreboard.start(i);
      if (Seq.lt(hs, he)) {
        int s = Seq.max(hs, from);
        if (Seq.lt(s, he) && isLost(hs)) {
          return ((long) s << 32) | (he & 0xffffffffL);
        }
      }
      cursor = Seq.max(cursor, scoreboard.end(i));
    }
    return Long.MIN_VALUE;
  }

  /** RFC 6675 pipe: bytes presumed in the network. */
  private long pipe() {
    long pipe = 0;
    int cursor = sndUna;
    for (int i = 0; i < scoreboard.count(); i++) {
      int hs = cursor;
      int he = scoreboard.start(i);
      if (Seq.lt(hs, he)) {
        if (isLost(hs)) {
          if (Seq.gt(highRxt, hs)) {
            pipe += Seq.min(highRxt, he) - hs;
          }
        } else {
          pipe += he - hs;
        }
      }
      cursor = Seq.max(cursor, scoreboard.end(i));
    }
    if (Seq.lt(cursor, sndMax)) {
      pipe += sndMax - cursor;
    }
    return pipe;
  }

  /** Retransmits up to {@code maxLen} data bytes at {@code seq} (with FIN if it was sent there); returns bytes. */
  private int retransmitAt(int seq, int maxLen, long now) {
    int off = seq - sndBufSeq;
    if (off < 0) {
      return 0;
    }
    int avail = sndRing.size() - off;
    // SACK blocks we append for our own out-of-order data take room from the payload
    int len = Math.max(0, Math.min(Math.min(maxLen, mss - sackOptionBytes()), avail));
    boolean fin = finQueued && Seq.gt(sndMax, finSeq()) && len == avail;
    if (len == 0 && !fin) {
      return 0;
    }
    sendSegment(seq, ACK | (fin ? FIN : 0) | (len > 0 && len == avail ? PSH : 0), len, true, now);
    return len + (fin ? 1 : 0);
  }

  private int sackOptionBytes() {
    if (!sackOk || ooo.isEmpty()) {
      return 0;
    }
    int blocks = Math.min(ooo.count(), tsOk ? 3 : 4);
    return 4 + 8 * blocks;
  }

  /** Advertised window edge with receiver-side SWS avoidance; never shrinks. */
  private int windowField() {
    int free = rcvRing.free();
    long maxWnd = 65535L << rcvWscale;
    int w = (int) Math.min(free, maxWnd);
    w = (w >>> rcvWscale) << rcvWscale;
    int edge = rcvNxt + w;
    if (Seq.gt(edge, rcvAdvEdge)) {
      int threshold = Math.min(rcvRing.capacity() / 2, rcvMss);
      if (edge - rcvAdvEdge >= threshold || rcvAdvEdge == rcvNxt && w >= threshold || free == rcvRing.capacity()) {
        rcvAdvEdge = edge;
      }
    }
    if (Seq.lt(rcvAdvEdge, rcvNxt)) {
      rcvAdvEdge = rcvNxt;
    }
    return Math.min(65535, (rcvAdvEdge - rcvNxt) >>> rcvWscale);
  }

  private boolean windowUpdateWorthSending() {
    int free = rcvRing.free();
    int w = (int) Math.min(free, 65535L << rcvWscale);
    int edge = rcvNxt + ((w >>> rcvWscale) << rcvWscale);
    int threshold = Math.min(rcvRing.capacity() / 2, 2 * rcvMss);
    return Seq.gt(edge, rcvAdvEdge) && edge - rcvAdvEdge >= threshold;
  }

  /** Builds one segment into the stack's scratch buffer and hands it to IP. */
  private void sendSegment(int seq, int flags, int len, boolean withSack, long now) {
    byte[] b = stack.scratch(60 + len);
    boolean syn = (flags & SYN) != 0;
    int o = 20;
    if (syn) {
      Segment.put16(b, o, 0x0204);
      Segment.put16(b, o + 2, rcvMss);
      o += 4;
      boolean offerWs = cfg.windowScaling() && (state == TcpState.SYN_SENT || wsOk);
      boolean offerTs = cfg.timestamps() && (state == TcpState.SYN_SENT || tsOk);
      boolean offerSack = cfg.sack() && (state == TcpState.SYN_SENT || sackOk);
      if (offerWs) {
        b[o++] = 1;
        b[o++] = 3;
        b[o++] = 3;
        b[o++] = (byte) rcvWscale;
      }
      if (offerSack && offerTs) {
        b[o++] = 4;
        b[o++] = 2;
      } else if (offerSack) {
        b[o++] = 1;
        b[o++] = 1;
        b[o++] = 4;
        b[o++] = 2;
      } else if (offerTs) {
        b[o++] = 1;
        b[o++] = 1;
      }
      if (offerTs) {
        o = putTimestamp(b, o, now);
      }
    } else {
      if (tsOk) {
        b[o++] = 1;
        b[o++] = 1;
        o = putTimestamp(b, o, now);
      }
      if (withSack && sackOk && !ooo.isEmpty() && (flags & ACK) != 0) {
        o = putSackBlocks(b, o);
      }
    }
    int hlen = o;
    Segment.put16(b, 0, localPort);
    Segment.put16(b, 2, remotePort);
    Segment.put32(b, 4, seq);
    boolean ack = (flags & ACK) != 0;
    Segment.put32(b, 8, ack ? rcvNxt : 0);
    b[12] = (byte) ((hlen / 4) << 4);
    b[13] = (byte) flags;
    int wnd;
    if (syn) {
      wnd = Math.min(rcvRing.free(), 65535);
      if (ack) {
        rcvAdvEdge = rcvNxt + wnd;
      }
    } else {
      wnd = windowField();
    }
    if (len == 0 && flags == ACK && seq == sndMax) {
      // a pure ACK (probes go out below SND.UNA and are counted as probes)
      stack.stats.pureAcksOut++;
      if (windowUpdateDue) {
        stack.stats.windowUpdatesOut++;
      }
    } else if (len > 0) {
      stack.stats.dataSegmentsOut++;
    }
    Segment.put16(b, 14, wnd);
    b[16] = 0;
    b[17] = 0;
    b[18] = 0;
    b[19] = 0;
    if (len > 0) {
      sndRing.copyOut(seq - sndBufSeq, b, hlen, len);
    }
    int total = hlen + len;
    Segment.put16(b, 16, stack.checksum(localAddr, remoteAddr, b, total));
    // bookkeeping
    int seqLen = len + (syn ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
    if (seqLen > 0 && !syn) {
      if (Seq.lt(seq, sndMax)) {
        stack.stats.retransmits++;
        rttTiming = false; // Karn
      } else if (!tsOk && !rttTiming) {
        rttTiming = true;
        rttSeq = seq + seqLen;
        rttStart = now;
      }
      if (rtoDeadline == NONE) {
        rtoDeadline = now + currentRto();
      }
      // a retransmission may carry bytes never sent before (it fills up to the MSS): they count as sent
      if (Seq.gt(seq + seqLen, sndMax)) {
        sndMax = seq + seqLen;
      }
    } else if (syn && retries > 0) {
      stack.stats.retransmits++;
    }
    if (ack) {
      lastAckSent = rcvNxt;
      lastAckSentNanos = now;
      ackNow = false;
      windowUpdateDue = false;
      delackDeadline = NONE;
      segsSinceAck = 0;
    }
    stack.stats.bytesOut += len;
    lastSendNanos = now;
    stack.transmit(localAddr, remoteAddr, b, total);
  }

  private int putTimestamp(byte[] b, int o, long now) {
    b[o] = 8;
    b[o + 1] = 10;
    Segment.put32(b, o + 2, tsNow(now));
    Segment.put32(b, o + 6, tsRecentValid ? tsRecent : 0);
    return o + 10;
  }

  private int putSackBlocks(byte[] b, int o) {
    int max = tsOk ? 3 : 4;
    int n = Math.min(ooo.count(), max);
    b[o++] = 1;
    b[o++] = 1;
    b[o++] = 5;
    b[o++] = (byte) (2 + 8 * n);
    // the block holding the most recent arrival first (RFC 2018 section 4), then the others in order
    int first = ooo.indexOf(lastOooSeq);
    int written = 0;
    if (first >= 0) {
      Segment.put32(b, o, ooo.start(first));
      Segment.put32(b, o + 4, ooo.end(first));
      o += 8;
      written++;
    }
    for (int i = 0; i < ooo.count() && written < n; i++) {
      if (i == first) {
        continue;
      }
      Segment.put32(b, o, ooo.start(i));
      Segment.put32(b, o + 4, ooo.end(i));
      o += 8;
      written++;
    }
    return o;
  }

  // ======================================================================================== teardown and events

  /** Ends the connection: optional RST, CLOSED, unregistered; the closed event fires once. */
  void terminate(@Nullable TcpError cause, boolean sendRst, long now) {
    if (state == TcpState.CLOSED) {
      return;
    }
    if (sendRst && state != TcpState.SYN_SENT && state != TcpState.TIME_WAIT) {
      stack.sendReset(localAddr, localPort, remoteAddr, remotePort, sndMax, rcvNxt, true);
    }
    boolean wasOpen = state.isSynchronized();
    if (cause != null && !wasOpen && cause != TcpError.ABORTED) {
      stack.stats.connectionsFailed++;
    }
    TcpState prev = state;
    state = TcpState.CLOSED;
    if (error == null) {
      error = cause;
    }
    rtoDeadline = NONE;
    delackDeadline = NONE;
    persistDeadline = NONE;
    keepaliveDeadline = NONE;
    closeDeadline = NONE;
    ackNow = false;
    synPending = false;
    if (prev != TcpState.TIME_WAIT) {
      evClosed = true;
    }
    if (cause != null) {
      evReadable = true; // readers see -1
    }
    stack.unregister(this);
  }

  /** Delivers pending readiness events to the handler. */
  void fireEvents() {
    if (listener != null && !listener.handedOut(this)) {
      return; // not accepted yet: events wait until the application takes the connection
    }
    if (evConnected) {
      evConnected = false;
      handler.onConnected(this);
    }
    if (evReadable) {
      evReadable = false;
      handler.onReadable(this);
    }
    if (evWritable) {
      evWritable = false;
      if (state != TcpState.CLOSED && !finQueued && !shutdownRequested && sndRing.free() > 0) {
        handler.onWritable(this);
      }
    }
    if (evClosed && !closedNotified) {
      evClosed = false;
      closedNotified = true;
      handler.onClosed(this, error);
    }
  }

  /** Handles an ICMP error about this connection. */
  void icmpError(dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind kind, int mtu, long now) {
    switch (kind) {
      case PACKET_TOO_BIG -> {
        int overhead = (remoteAddr.length == 4 ? 40 : 60);
        int newMss = mtu - overhead - (tsOk ? 12 : 0);
        if (newMss >= 64 && newMss < mss) {
          mss = newMss;
          rcvMss = Math.min(rcvMss, mtu - overhead);
          cc.setMss(mss);
          if (sndMax != sndUna) {
            retransmitAt(sndUna, mss, now);
          }
        }
      }
      case HOST_UNREACHABLE, PORT_UNREACHABLE -> softError =
          kind == dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind.HOST_UNREACHABLE
              ? TcpError.HOST_UNREACHABLE : TcpError.CONNECTION_REFUSED;
      default -> {
      }
    }
  }

  /** Next sequence number expected from the peer (tests and diagnostics). */
  int receiveNext() {
    return rcvNxt;
  }

  /** Highest sequence number sent plus one (tests and diagnostics). */
  int sendMax() {
    return sndMax;
  }

  /** The peer's most recent timestamp value (tests and diagnostics). */
  int timestampRecent() {
    return tsRecent;
  }

  /** For tests and diagnostics. */
  String debugState() {
    return state + " una=" + Integer.toUnsignedString(sndUna) + " nxt=" + Integer.toUnsignedString(sndNxt)
        + " max=" + Integer.toUnsignedString(sndMax) + " wnd=" + sndWnd + " cwnd=" + cc.cwnd() + " rec=" + inRecovery
        + " sb=" + scoreboard.count() + " rcvNxt=" + Integer.toUnsignedString(rcvNxt) + " ooo=" + ooo.count()
        + " buf=" + sndRing.size() + " " + Arrays.toString(new long[] {rtoDeadline, persistDeadline});
  }
}
