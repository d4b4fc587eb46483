package dev.ztjvm.spring.boot;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.PeerDetails;
import dev.ztjvm.sockets.TcpStatistics;
import dev.ztjvm.sockets.ZeroTierNode;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Reads a {@link ZeroTierNode}'s snapshots from health, endpoint, metrics and lifecycle threads that may run while the
 * node is stopped, starting or stopping: the SDK throws {@link IllegalStateException} then, these return "nothing".
 */
public final class ZeroTierSnapshots {

  private ZeroTierSnapshots() {}

  /** The joined networks, empty when the node is not running. */
  public static List<NetworkDetails> networks(ZeroTierNode node) {
    try {
      return node.networks();
    } catch (IllegalStateException notRunning) {
      return List.of();
    }
  }

  /** One joined network, empty when not joined or not running. */
  public static Optional<NetworkDetails> network(ZeroTierNode node, long networkId) {
    try {
      return Optional.ofNullable(node.network(networkId));
    } catch (IllegalStateException notRunning) {
      return Optional.empty();
    }
  }

  /** The known peers, empty when the node is not running. */
  public static List<PeerDetails> peers(ZeroTierNode node) {
    try {
      return node.peers();
    } catch (IllegalStateException notRunning) {
      return List.of();
    }
  }

  /** TCP statistics of the in-JVM stack, or null when the node is not running. */
  public static @Nullable TcpStatistics tcp(ZeroTierNode node) {
    try {
      return node.statistics().tcp();
    } catch (IllegalStateException notRunning) {
      return null;
    }
  }

  /** Whether the node is running and reaches a root. */
  public static boolean online(ZeroTierNode node) {
    return node.isRunning() && node.isOnline();
  }

  /** A node address as ZeroTier prints it: ten hex digits. */
  public static String nodeId(long address) {
    return String.format("%010x", address);
  }

  /** A network ID as ZeroTier prints it: sixteen hex digits. */
  public static String networkId(long networkId) {
    return String.format("%016x", networkId);
  }
}
