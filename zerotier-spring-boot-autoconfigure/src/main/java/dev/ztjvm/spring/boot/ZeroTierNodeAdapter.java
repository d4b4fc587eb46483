package dev.ztjvm.spring.boot;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.PeerDetails;
import dev.ztjvm.sockets.TcpStatistics;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Manages an SDK {@link ZeroTierNode}: every SDK event becomes a state-change signal (on the node's event thread, in
 * order), snapshots are converted to the VL1/VL2 records the Spring layer reads.
 */
public final class ZeroTierNodeAdapter implements ManagedZeroTierNode {

  private final ZeroTierNode node;
  private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
  private final List<Consumer<ZeroTierEvent>> eventListeners = new CopyOnWriteArrayList<>();

  /** @param node the SDK node; its own listeners keep working */
  public ZeroTierNodeAdapter(ZeroTierNode node) {
    this.node = node;
    ZeroTierEventListener listener = event -> {
      eventListeners.forEach(l -> l.accept(event));
      callbacks.forEach(Runnable::run);
    };
    node.addListener(listener);
  }

  /** The SDK node, for sockets, ping and DNS. */
  public ZeroTierNode node() {
    return node;
  }

  @Override
  public void start() {
    try {
      node.start();
    } catch (IOException e) {
      throw new UncheckedIOException("ZeroTier node " + node.nodeIdString() + " failed to start: " + e.getMessage(), e);
    }
  }

  @Override
  public void stop() {
    node.stop();
    callbacks.forEach(Runnable::run);
  }

  @Override
  public boolean isRunning() {
    return node.isRunning();
  }

  @Override
  public long address() {
    return node.nodeId();
  }

  @Override
  public boolean isOnline() {
    return node.isOnline();
  }

  @Override
  public List<NetworkInfo> networks() {
    try {
      return node.networks().stream().map(ZeroTierNodeAdapter::info).toList();
    } catch (IllegalStateException notStarted) {
      // Not started, or stopping/starting concurrently (events may arrive while start() is still running).
      return List.of();
    }
  }

  @Override
  public Optional<NetworkInfo> network(long networkId) {
    try {
      return Optional.ofNullable(node.network(networkId)).map(ZeroTierNodeAdapter::info);
    } catch (IllegalStateException notStarted) {
      return Optional.empty();
    }
  }

  @Override
  public List<PeerInfo> peers() {
    try {
      return node.peers().stream().map(ZeroTierNodeAdapter::info).toList();
    } catch (IllegalStateException notStarted) {
      return List.of();
    }
  }

  @Override
  public @Nullable Vl1Counters counters() {
    return node.vl1Counters();
  }

  @Override
  public @Nullable TcpStatistics tcpStatistics() {
    try {
      return node.statistics().tcp();
    } catch (IllegalStateException notRunning) {
      return null;
    }
  }

  @Override
  public void join(long networkId) {
    node.join(networkId);
  }

  @Override
  public void leave(long networkId) {
    node.leave(networkId);
  }

  /**
   * Registers a listener for every SDK event, called on the node's event thread in order, before the state-change
   * callbacks. Returns a handle that removes it.
   */
  public AutoCloseable onEvent(Consumer<ZeroTierEvent> listener) {
    eventListeners.add(listener);
    return () -> eventListeners.remove(listener);
  }

  @Override
  public AutoCloseable onStateChange(Runnable callback) {
    callbacks.add(callback);
    return () -> callbacks.remove(callback);
  }

  private static NetworkInfo info(NetworkDetails n) {
    return new NetworkInfo(n.networkId(), n.status(), n.reason(), n.name(), n.mac(), n.mtu(), n.isPrivate(),
        n.broadcast(), n.addresses(), n.routes(), n.revision(), 0, false, n.authenticationUrl());
  }

  private static PeerInfo info(PeerDetails p) {
    return new PeerInfo(p.address(), p.role(), p.protocolVersion(), p.version(), p.latencyMillis(), p.paths());
  }

  @Override
  public String toString() {
    return "ZeroTierNodeAdapter[" + node + "]";
  }
}
