package dev.ztjvm.sockets;

/**
 * Reaches the builder's test-only TCP relay fallback delay from the NAT lab's member process (default 60 s, as in
 * ZeroTier One; the lab shortens it so a member behind a UDP-dropping firewall falls back within seconds).
 */
public final class NatLabAccess {

  private NatLabAccess() {}

  /** Sets how long the node waits without any UDP packet before it falls back to its TCP relay. */
  public static ZeroTierNode.Builder tcpRelayFallbackAfterMillis(ZeroTierNode.Builder builder, long millis) {
    return builder.tcpRelayFallbackAfterMillis(millis);
  }
}
