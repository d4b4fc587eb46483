package dev.ztjvm.netstack.tcp;

/** A snapshot of a stack's TCP counters (monotonic since the stack was created). */
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
    long unsentDataAcks) {}
