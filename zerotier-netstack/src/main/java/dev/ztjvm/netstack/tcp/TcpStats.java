package dev.ztjvm.netstack.tcp;

/**
 * A snapshot of a stack's TCP counters (monotonic since the stack was created).
 *
 * <p>The last four describe the packet economy of the stack (how many packets a peer has to receive, and over
 * ZeroTier decrypt, per byte of data): {@code dataSegmentsIn} / {@code dataSegmentsOut} count segments carrying
 * payload (retransmissions included); {@code pureAcksOut} counts segments we sent with only the ACK flag and no data
 * (delayed and immediate ACKs, duplicate ACKs, window updates; not zero-window or keepalive probes, which have their
 * own counters); {@code windowUpdatesOut} is the part of {@code pureAcksOut} sent because the application's read
 * reopened the window while no ACK was otherwise due (it may still acknowledge data whose ACK was being delayed).
 */
public record TcpStats(
    long segmentsIn,
    long segmentsOut,
    long bytesIn,
    long bytesOut,
    long retransmits,
    long fastRetransmits,
    long sackRecoveries,
    long rtoTimeouts,
    long dupAcks,
    long outOfOrderSegments,
    long checksumErrors,
    long malformed,
    long resetsIn,
    long resetsOut,
    long challengeAcks,
    long pawsDrops,
    long persistProbes,
    long keepaliveProbes,
    long delayedAcks,
    long connectionsOpened,
    long connectionsAccepted,
    long connectionsFailed,
    long listenDrops,
    long noListener,
    long unsentDataAcks,
    long dataSegmentsIn,
    long dataSegmentsOut,
    long pureAcksOut,
    long windowUpdatesOut) {

  /**
   * The counters known before the packet-economy ones were added (those start at zero), for code that still builds
   * a snapshot field by field.
   */
  public TcpStats(long segmentsIn, long segmentsOut, long bytesIn, long bytesOut, long retransmits,
      long fastRetransmits, long sackRecoveries, long rtoTimeouts, long dupAcks, long outOfOrderSegments,
      long checksumErrors, long malformed, long resetsIn, long resetsOut, long challengeAcks, long pawsDrops,
      long persistProbes, long keepaliveProbes, long delayedAcks, long connectionsOpened, long connectionsAccepted,
      long connectionsFailed, long listenDrops, long noListener, long unsentDataAcks) {
    this(segmentsIn, segmentsOut, bytesIn, bytesOut, retransmits, fastRetransmits, sackRecoveries, rtoTimeouts,
        dupAcks, outOfOrderSegments, checksumErrors, malformed, resetsIn, resetsOut, challengeAcks, pawsDrops,
        persistProbes, keepaliveProbes, delayedAcks, connectionsOpened, connectionsAccepted, connectionsFailed,
        listenDrops, noListener, unsentDataAcks, 0, 0, 0, 0);
  }

  /** Field-by-field sum (counters of several stacks, or of closed and live ones). */
  public TcpStats plus(TcpStats o) {
    return new TcpStats(segmentsIn + o.segmentsIn, segmentsOut + o.segmentsOut, bytesIn + o.bytesIn,
        bytesOut + o.bytesOut, retransmits + o.retransmits, fastRetransmits + o.fastRetransmits,
        sackRecoveries + o.sackRecoveries, rtoTimeouts + o.rtoTimeouts, dupAcks + o.dupAcks,
        outOfOrderSegments + o.outOfOrderSegments, checksumErrors + o.checksumErrors, malformed + o.malformed,
        resetsIn + o.resetsIn, resetsOut + o.resetsOut, challengeAcks + o.challengeAcks, pawsDrops + o.pawsDrops,
        persistProbes + o.persistProbes, keepaliveProbes + o.keepaliveProbes, delayedAcks + o.delayedAcks,
        connectionsOpened + o.connectionsOpened, connectionsAccepted + o.connectionsAccepted,
        connectionsFailed + o.connectionsFailed, listenDrops + o.listenDrops, noListener + o.noListener,
        unsentDataAcks + o.unsentDataAcks, dataSegmentsIn + o.dataSegmentsIn, dataSegmentsOut + o.dataSegmentsOut,
        pureAcksOut + o.pureAcksOut, windowUpdatesOut + o.windowUpdatesOut);
  }
}
