package dev.ztjvm.spring.boot;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.sockets.TcpStatistics;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What the Spring integration needs from a ZeroTier node: start/stop, its state as snapshots, join/leave and a change
 * signal. The lifecycle, events, health, endpoint and metrics are written against this contract only, so any node
 * implementation can be managed by declaring a bean of this type.
 *
 * <p>Implementations must be thread-safe: snapshots are read from request, metrics and lifecycle threads.
 */
public interface ManagedZeroTierNode {

  /** Starts the node (binds its UDP port, contacts the roots). Idempotent. */
  void start();

  /** Stops the node and releases its ports. Idempotent. */
  void stop();

  /** Whether {@link #start()} has been called and {@link #stop()} has not. */
  boolean isRunning();

  /** This node's 40-bit ZeroTier address. Available before {@link #start()}. */
  long address();

  /** Whether the node currently reaches at least one root. */
  boolean isOnline();

  /** Snapshots of the networks this node has joined, in join order. */
  List<NetworkInfo> networks();

  /** Snapshot of one joined network, empty if not joined. */
  default Optional<NetworkInfo> network(long networkId) {
    return networks().stream().filter(n -> n.networkId() == networkId).findFirst();
  }

  /** Snapshots of the peers this node knows. */
  List<PeerInfo> peers();

  /** Packet, byte and drop counters, or null when the implementation keeps none. */
  @Nullable Vl1Counters counters();

  /**
   * TCP statistics of the node's in-JVM stack (connections open/established, counters such as retransmissions),
   * summed over its networks, or null when the implementation has none or the node is not running. May wait briefly
   * for the node's loop: call it for metrics, not per packet.
   */
  default @Nullable TcpStatistics tcpStatistics() {
    return null;
  }

  /** Joins a network (no-op if already joined). */
  void join(long networkId);

  /** Leaves a network (no-op if not joined). */
  void leave(long networkId);

  /**
   * Registers a callback run after any state change (online state, network status or config, peers' paths). It may
   * run on the node's own threads and must not block. Returns a handle that removes the callback.
   */
  AutoCloseable onStateChange(Runnable callback);

  /** A node address as ZeroTier prints it: ten hex digits. */
  static String formatAddress(long address) {
    return String.format("%010x", address);
  }

  /** A network ID as ZeroTier prints it: sixteen hex digits. */
  static String formatNetworkId(long networkId) {
    return String.format("%016x", networkId);
  }
}
