package dev.ztjvm.spring.boot.event;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Republishes a node's state changes as typed {@link ZeroTierEvent}s and keeps the most recent ones for the actuator
 * endpoint.
 *
 * <p>On every change signal it compares the node's snapshots with the previous ones and publishes, in this order:
 * online/offline, then per network status change, addresses removed/added and ready, then peers whose path kind
 * changed. Signals are handled one at a time, so listeners see events in the order the states occurred.
 */
public final class ZeroTierEventBridge implements DisposableBean {

  private static final Log log = LogFactory.getLog(ZeroTierEventBridge.class);

  private final ManagedZeroTierNode node;
  private final ApplicationEventPublisher publisher;
  private final int capacity;
  private final ArrayDeque<ZeroTierEvent> recent = new ArrayDeque<>();
  private final AutoCloseable subscription;

  // Previous state; guarded by "this".
  private boolean online;
  private final Map<Long, NetworkInfo> networks = new HashMap<>();
  private final Map<Long, Boolean> peerDirect = new HashMap<>();

  /**
   * @param node the node to watch
   * @param publisher where events go (the application context)
   * @param capacity how many recent events to keep for {@link #recentEvents()}
   */
  public ZeroTierEventBridge(ManagedZeroTierNode node, ApplicationEventPublisher publisher, int capacity) {
    this.node = node;
    this.publisher = publisher;
    this.capacity = Math.max(0, capacity);
    this.subscription = node.onStateChange(this::refresh);
  }

  /** Compares the node's state with the last one seen and publishes an event per difference. */
  public synchronized void refresh() {
    List<ZeroTierEvent> events = new ArrayList<>();
    boolean nowOnline = node.isRunning() && node.isOnline();
    if (nowOnline != online) {
      events.add(nowOnline ? new NodeOnlineEvent(node) : new NodeOfflineEvent(node));
      online = nowOnline;
    }

    Map<Long, NetworkInfo> current = new HashMap<>();
    for (NetworkInfo info : node.networks()) {
      current.put(info.networkId(), info);
      NetworkInfo before = networks.get(info.networkId());
      @Nullable NetworkStatus previousStatus = before == null ? null : before.status();
      if (previousStatus != info.status()) {
        events.add(new NetworkStatusChangedEvent(node, info, previousStatus));
      }
      Set<IpPrefix> oldAddresses = before == null ? Set.of() : new LinkedHashSet<>(before.addresses());
      Set<IpPrefix> newAddresses = new LinkedHashSet<>(info.addresses());
      for (IpPrefix gone : oldAddresses) {
        if (!newAddresses.contains(gone)) {
          events.add(new AddressRemovedEvent(node, info.networkId(), gone));
        }
      }
      for (IpPrefix added : newAddresses) {
        if (!oldAddresses.contains(added)) {
          events.add(new AddressAddedEvent(node, info.networkId(), added));
        }
      }
      if (ready(info) && (before == null || !ready(before))) {
        events.add(new NetworkReadyEvent(node, info));
      }
    }
    for (NetworkInfo left : networks.values()) {
      if (!current.containsKey(left.networkId())) {
        for (IpPrefix gone : left.addresses()) {
          events.add(new AddressRemovedEvent(node, left.networkId(), gone));
        }
      }
    }
    networks.clear();
    networks.putAll(current);

    Map<Long, Boolean> peersNow = new HashMap<>();
    for (PeerInfo peer : node.peers()) {
      peersNow.put(peer.address(), peer.direct());
      Boolean before = peerDirect.get(peer.address());
      if (before == null || before != peer.direct()) {
        events.add(new PeerPathChangedEvent(node, peer));
      }
    }
    peerDirect.clear();
    peerDirect.putAll(peersNow);

    for (ZeroTierEvent event : events) {
      remember(event);
      try {
        publisher.publishEvent(event);
      } catch (RuntimeException e) {
        // A failing listener must not stop the other events or the node's thread.
        log.warn("ZeroTier event listener failed on " + event, e);
      }
    }
  }

  private static boolean ready(NetworkInfo info) {
    return info.status() == NetworkStatus.OK && !info.addresses().isEmpty();
  }

  private void remember(ZeroTierEvent event) {
    if (capacity == 0) {
      return;
    }
    synchronized (recent) {
      if (recent.size() == capacity) {
        recent.removeFirst();
      }
      recent.addLast(event);
    }
  }

  /** The most recent events, oldest first. */
  public List<ZeroTierEvent> recentEvents() {
    synchronized (recent) {
      return List.copyOf(recent);
    }
  }

  @Override
  public void destroy() throws Exception {
    subscription.close();
  }
}
