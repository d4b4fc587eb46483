package dev.ztjvm.node;

import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a node knows of one peer: identity, shared key, version, paths and timers. Confined to the node's loop. */
final class Peer {

  /** Paths kept per peer; the stalest is replaced when a new one is learned. */
  static final int MAX_PATHS = 16;

  final Identity identity;
  final long address;
  final SymmetricKey key;
  PeerInfo.Role role = PeerInfo.Role.LEAF;
  /** Stable endpoints for roots (only these are accepted as paths when non-empty). */
  List<InetSocketAddress> stableEndpoints = List.of();

  int protocolVersion = -1;
  int major = -1;
  int minor = -1;
  int revision = -1;

  final List<Path> paths = new ArrayList<>(2);
  long lastReceiveMillis;
  long lastSendMillis;
  long lastHelloSentMillis = Long.MIN_VALUE / 2;
  /** Last time the peer sent or received data-bearing verbs (what makes it "active"). */
  long lastDataMillis = Long.MIN_VALUE / 2;
  long lastPushDirectPathsMillis = Long.MIN_VALUE / 2;
  // Rate gates (ZeroTier One's Peer::rateGate*): the peer decides whether it may be answered or probed again.
  private long pushDirectPathsWindowStart = Long.MIN_VALUE / 2;
  private int pushDirectPathsInWindow;
  private long lastWhoisAnsweredMillis = Long.MIN_VALUE / 2;
  private long echoWindowStart = Long.MIN_VALUE / 2;
  private int echoesInWindow;
  /** Last confirming HELLO sent to an unknown path (rate limit, one per second per peer). */
  private long lastUnknownPathContactMillis = Long.MIN_VALUE / 2;

  Peer(Identity identity, SymmetricKey key, long now) {
    this.identity = identity.publicOnly();
    this.address = identity.address();
    this.key = key;
    this.lastReceiveMillis = now;
  }

  /** Whether an ECHO from this peer may be answered now: at most {@link Timing#ECHO_PER_SECOND} a second. */
  boolean rateGateEcho(long now) {
    if (now - echoWindowStart >= 1000) {
      echoWindowStart = now;
      echoesInWindow = 0;
    }
    return ++echoesInWindow <= Timing.ECHO_PER_SECOND;
  }

  /**
   * Whether a PUSH_DIRECT_PATHS from this peer may be acted on now: at most {@link
   * Timing#PUSH_DIRECT_PATHS_MAX_IN_WINDOW} per {@link Timing#PUSH_DIRECT_PATHS_WINDOW}.
   */
  boolean rateGatePushDirectPaths(long now) {
    if (now - pushDirectPathsWindowStart >= Timing.PUSH_DIRECT_PATHS_WINDOW) {
      pushDirectPathsWindowStart = now;
      pushDirectPathsInWindow = 0;
    }
    return ++pushDirectPathsInWindow <= Timing.PUSH_DIRECT_PATHS_MAX_IN_WINDOW;
  }

  /** Whether a WHOIS from this peer may be answered now (non-roots: one per {@link Timing#WHOIS_ANSWER_INTERVAL}). */
  boolean rateGateWhoisAnswer(long now) {
    if (now - lastWhoisAnsweredMillis < Timing.WHOIS_ANSWER_INTERVAL) {
      return false;
    }
    lastWhoisAnsweredMillis = now;
    return true;
  }

  /** Whether an unknown path of this peer may be probed with a HELLO now (one per second). */
  boolean rateGateUnknownPathContact(long now) {
    if (now - lastUnknownPathContactMillis < Timing.CONTACT_UNKNOWN_PATH_INTERVAL) {
      return false;
    }
    lastUnknownPathContactMillis = now;
    return true;
  }

  boolean isUpstream() {
    return role != PeerInfo.Role.LEAF;
  }

  /** AES-GMAC-SIV toward peers that announced protocol 12 or later, Salsa20/12-Poly1305 otherwise. */
  int sendSuite() {
    return protocolVersion >= 12 ? 3 : 1;
  }

  @Nullable
  Path path(int socketId, InetSocketAddress remote) {
    for (Path p : paths) {
      if (p.is(socketId, remote)) {
        return p;
      }
    }
    return null;
  }

  /** The best non-expired path: alive ones first, then lowest quality score. */
  @Nullable
  Path bestPath(long now) {
    Path best = null;
    for (Path p : paths) {
      if (p.expired(now)) {
        continue;
      }
      if (best == null
          || (p.alive(now) && !best.alive(now))
          || (p.alive(now) == best.alive(now) && p.quality(now) < best.quality(now))) {
        best = p;
      }
    }
    return best;
  }

  boolean hasAlivePath(long now) {
    for (Path p : paths) {
      if (p.alive(now)) {
        return true;
      }
    }
    return false;
  }

  Path learnPath(int socketId, InetSocketAddress remote, long now) {
    Path existing = path(socketId, remote);
    if (existing != null) {
      return existing;
    }
    if (paths.size() >= MAX_PATHS) {
      Path stalest = paths.get(0);
      for (Path p : paths) {
        if (p.lastReceiveMillis < stalest.lastReceiveMillis) {
          stalest = p;
        }
      }
      paths.remove(stalest);
    }
    Path p = new Path(socketId, remote, now);
    paths.add(p);
    return p;
  }

  void expirePaths(long now) {
    paths.removeIf(p -> p.expired(now));
  }

  boolean acceptsPath(InetSocketAddress remote) {
    return stableEndpoints.isEmpty() || stableEndpoints.contains(remote);
  }

  String version() {
    return major < 0 ? "" : major + "." + minor + "." + revision;
  }

  PeerInfo info(long now) {
    List<PathInfo> ps = new ArrayList<>(paths.size());
    for (Path p : paths) {
      ps.add(p.info(now));
    }
    Path best = bestPath(now);
    return new PeerInfo(address, role, protocolVersion, version(), best == null ? -1 : best.latencyMillis, ps);
  }
}
