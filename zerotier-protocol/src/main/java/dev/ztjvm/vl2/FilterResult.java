package dev.ztjvm.vl2;

/**
 * The outcome of running the flow rules on one frame; mutable and reused by the caller so the per-frame path does not
 * allocate. Read it after {@link RuleEngine#filterOutbound} or {@link RuleEngine#filterInbound}.
 *
 * <p>When {@link #accepted()} is true the caller delivers/sends the frame unless {@link #redirectTo()} is non-zero,
 * in which case the frame goes (as EXT_FRAME, flag 0x04 outbound / 0x0a inbound in 1.x) to that node instead and is
 * not delivered locally. Independently, each tee target receives a copy of the first {@link #teeLength(int)} bytes
 * (EXT_FRAME flags 0x02 outbound / 0x08 inbound, or 0x16 / 0x1c when {@link #teeWatch(int)}).
 */
public final class FilterResult {
  boolean accepted;
  boolean superAccepted;
  long redirectTo;
  int capabilityIndex;
  int qosBucket;
  int teeCount;
  final long[] teeTo = new long[2];
  final int[] teeLength = new int[2];
  final boolean[] teeWatch = new boolean[2];

  public FilterResult() {
    reset();
  }

  void reset() {
    accepted = false;
    superAccepted = false;
    redirectTo = 0;
    capabilityIndex = -1;
    qosBucket = -1;
    teeCount = 0;
  }

  void addTee(long to, int length, boolean watch) {
    teeTo[teeCount] = to;
    teeLength[teeCount] = length;
    teeWatch[teeCount] = watch;
    teeCount++;
  }

  /** True if the frame may pass. */
  public boolean accepted() {
    return accepted;
  }

  /**
   * True if accepted inbound because this node is a TEE/WATCH/REDIRECT target: the frame is delivered even though
   * its MAC/ZeroTier destination is another node.
   */
  public boolean superAccepted() {
    return superAccepted;
  }

  /** Node to redirect the frame to instead of its destination, or 0. */
  public long redirectTo() {
    return redirectTo;
  }

  /** Index of the capability whose rules accepted the frame, or -1 (accepted by the network's own rules). */
  public int capabilityIndex() {
    return capabilityIndex;
  }

  /** QoS bucket set by an ACTION_PRIORITY, or -1. */
  public int qosBucket() {
    return qosBucket;
  }

  /** Number of tee/watch copies to send (0..2). */
  public int teeCount() {
    return teeCount;
  }

  public long teeTo(int i) {
    check(i);
    return teeTo[i];
  }

  /** Bytes of the Ethernet payload to copy. */
  public int teeLength(int i) {
    check(i);
    return teeLength[i];
  }

  /** True for WATCH (the copy carries the watch flag), false for TEE. */
  public boolean teeWatch(int i) {
    check(i);
    return teeWatch[i];
  }

  private void check(int i) {
    if (i < 0 || i >= teeCount) {
      throw new IndexOutOfBoundsException(i);
    }
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(accepted ? (superAccepted ? "SUPER_ACCEPT" : "ACCEPT") : "DROP");
    if (redirectTo != 0) {
      sb.append(" redirect ").append(Long.toHexString(redirectTo));
    }
    for (int i = 0; i < teeCount; i++) {
      sb.append(teeWatch[i] ? " watch " : " tee ").append(Long.toHexString(teeTo[i])).append('/').append(teeLength[i]);
    }
    if (capabilityIndex >= 0) {
      sb.append(" cap#").append(capabilityIndex);
    }
    return sb.toString();
  }
}
