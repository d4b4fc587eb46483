package dev.ztjvm.underlay;

/**
 * When a node sends through its TCP relay, following ZeroTier One's service ({@code OneService}):
 *
 * <ul>
 *   <li>forced: always through the relay, never over UDP;
 *   <li>otherwise the relay is used when nothing (at least 16 bytes) was received over UDP for {@code
 *       fallbackAfter} ms <em>and</em> the node has been running for longer than that; packets then go both through
 *       the relay and over UDP, so that UDP takes over as soon as it works again;
 *   <li>the tunnel is closed as soon as UDP delivers again (ZeroTier One closes it in its main loop once the last UDP
 *       receipt is less than half the fallback time ago, which is right after any receipt).
 * </ul>
 *
 * <p>Differences to ZeroTier One, on purpose: it considers only UDP from and to global-scope IPv4 addresses (LAN
 * peers never need the public relay); private deployments here run roots on private and loopback addresses, so every
 * IPv4 destination counts. ZeroTier One only opens the connection after sending steadily for a few seconds; here a
 * failed or closed connection is retried at most every {@link #RECONNECT_BACKOFF_MILLIS} ms.
 *
 * <p>Times are milliseconds from any monotonic origin, passed in. Confined to the node's loop.
 */
public final class TcpRelayPolicy {

  /** Minimum time between two connection attempts. */
  public static final long RECONNECT_BACKOFF_MILLIS = 2_000;

  private final boolean force;
  private final boolean allow;
  private final long fallbackAfter;
  private final long startMillis;
  private long lastUdpReceiveMillis;
  private boolean udpEverReceived;
  private long lastConnectAttemptMillis;
  private boolean connectAttempted;

  /** A policy for {@code config}, for a node started at {@code startMillis}. */
  public TcpRelayPolicy(TcpRelayConfig config, long startMillis) {
    this.force = config.force();
    this.allow = config.enabled();
    this.fallbackAfter = config.fallbackAfterMillis();
    this.startMillis = startMillis;
  }

  /** Notes a datagram received over UDP. Returns true when an open tunnel should now be closed. */
  public boolean udpReceived(int length, long now) {
    if (length < TcpRelayCodec.MIN_DATAGRAM) {
      return false;
    }
    lastUdpReceiveMillis = now;
    udpEverReceived = true;
    return !force;
  }

  /** Whether a packet sent now goes through the relay. */
  public boolean useRelay(long now) {
    if (force) {
      return true;
    }
    if (!allow || now - startMillis <= fallbackAfter) {
      return false;
    }
    return !udpEverReceived || now - lastUdpReceiveMillis > fallbackAfter;
  }

  /** Whether a packet sent now also goes over UDP. */
  public boolean useUdp() {
    return !force;
  }

  /** Whether to open a connection now (none is open); records the attempt when it returns true. */
  public boolean connectNow(long now) {
    if (connectAttempted && now - lastConnectAttemptMillis < RECONNECT_BACKOFF_MILLIS) {
      return false;
    }
    connectAttempted = true;
    lastConnectAttemptMillis = now;
    return true;
  }

  /** Whether relaying is forced. */
  public boolean forced() {
    return force;
  }
}
