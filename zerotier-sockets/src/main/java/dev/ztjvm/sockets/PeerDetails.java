package dev.ztjvm.sockets;

import dev.ztjvm.identity.Address;
import dev.ztjvm.node.PathInfo;
import dev.ztjvm.node.PeerInfo;
import java.util.List;

/**
 * A snapshot of one peer of a {@link ZeroTierNode} (libzt cannot list peers; this SDK can).
 *
 * @param address the peer's 40-bit ZeroTier address
 * @param role planet root, moon root or leaf
 * @param version the software version {@code major.minor.revision} the peer announced, empty if unknown
 * @param protocolVersion the protocol version the peer announced, −1 if unknown
 * @param latencyMillis the best path's latency, −1 if unknown
 * @param paths the physical paths (empty when the peer is reached through a root)
 */
public record PeerDetails(
    long address, PeerInfo.Role role, String version, int protocolVersion, double latencyMillis, List<PathInfo> paths) {

  public PeerDetails {
    paths = List.copyOf(paths);
  }

  /** Converts the VL1 snapshot. */
  public static PeerDetails of(PeerInfo p) {
    return new PeerDetails(p.address(), p.role(), p.version(), p.protocolVersion(), p.latencyMillis(), p.paths());
  }

  /** Whether the peer has a direct path. */
  public boolean direct() {
    return !paths.isEmpty();
  }

  /** The address as 10 hex digits. */
  public String addressString() {
    return Address.toString(address);
  }
}
