package dev.ztjvm.node;

import java.util.List;

/**
 * A snapshot of one peer, as a node's peer listing shows it.
 *
 * @param address the peer's ZeroTier address
 * @param role {@link Role#PLANET} for planet roots, {@link Role#MOON} for moon roots, else {@link Role#LEAF}
 * @param protocolVersion protocol version the peer announced, −1 if unknown
 * @param version software version {@code major.minor.revision}, empty if unknown
 * @param latencyMillis latency of the best path, −1 if unknown
 * @param paths the known physical paths (empty if the peer is reached through a relay)
 */
public record PeerInfo(
    long address, Role role, int protocolVersion, String version, double latencyMillis, List<PathInfo> paths) {

  /** What a peer is to this node. */
  public enum Role {
    LEAF, MOON, PLANET
  }

  public PeerInfo {
    paths = List.copyOf(paths);
  }

  /** Whether the peer has at least one direct path. */
  public boolean direct() {
    return !paths.isEmpty();
  }
}
