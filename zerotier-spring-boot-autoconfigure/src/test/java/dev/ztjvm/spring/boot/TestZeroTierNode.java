package dev.ztjvm.spring.boot;

import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.node.PathInfo;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;

/**
 * A scriptable {@link ManagedZeroTierNode} for tests of the Spring layer: the test sets the state a real node would
 * reach (online, a network's status and addresses, peers) and every change fires the state-change callbacks, as a
 * node's event thread would. Joining records the network as REQUESTING_CONFIGURATION; {@link #onJoin} lets a test
 * script what the controller answers.
 */
public final class TestZeroTierNode implements ManagedZeroTierNode {

  private final long address;
  private final List<Runnable> callbacks = new CopyOnWriteArrayList<>();
  private final Map<Long, NetworkInfo> networks = new LinkedHashMap<>();
  private final List<PeerInfo> peers = new ArrayList<>();
  private final List<String> calls = new CopyOnWriteArrayList<>();
  private volatile boolean running;
  private volatile boolean online;
  private volatile java.util.function.@Nullable LongConsumer onJoin;

  public TestZeroTierNode(long address) {
    this.address = address;
  }

  /** What a join does next (e.g. answer with a config); runs after the network is recorded. */
  public TestZeroTierNode onJoin(java.util.function.LongConsumer action) {
    this.onJoin = action;
    return this;
  }

  /** start/stop/join/leave calls in order. */
  public List<String> calls() {
    return List.copyOf(calls);
  }

  public void setOnline(boolean value) {
    online = value;
    fire();
  }

  public void setNetwork(long nwid, NetworkStatus status, String... addresses) {
    List<IpPrefix> prefixes = new ArrayList<>();
    for (String a : addresses) {
      prefixes.add(IpPrefix.parse(a));
    }
    List<Route> routes = prefixes.isEmpty() ? List.of()
        : List.of(new Route(IpPrefix.parse(prefixes.get(0).toString()), null, 0, 0));
    NetworkInfo info = new NetworkInfo(nwid, status,
        status == NetworkStatus.ACCESS_DENIED ? "authorize node " + ManagedZeroTierNode.formatAddress(address)
            + " on network " + ManagedZeroTierNode.formatNetworkId(nwid) : "",
        status == NetworkStatus.OK ? "lab" : "", 0x32a1b2c3d4e5L, 2800, true, false, prefixes, routes,
        status == NetworkStatus.OK ? 3 : 0, 0, false, null);
    synchronized (networks) {
      networks.put(nwid, info);
    }
    fire();
  }

  public void setPeers(PeerInfo... list) {
    synchronized (peers) {
      peers.clear();
      peers.addAll(List.of(list));
    }
    fire();
  }

  public static PeerInfo root(long address, double latency) {
    return new PeerInfo(address, PeerInfo.Role.PLANET, 12, "1.14.2", latency,
        List.of(new PathInfo(new InetSocketAddress("127.0.0.1", 9993), 0, 10, 10, latency, true)));
  }

  public static PeerInfo relayedLeaf(long address) {
    return new PeerInfo(address, PeerInfo.Role.LEAF, 12, "1.14.2", -1, List.of());
  }

  private void fire() {
    callbacks.forEach(Runnable::run);
  }

  @Override
  public void start() {
    calls.add("start");
    running = true;
    fire();
  }

  @Override
  public void stop() {
    calls.add("stop");
    running = false;
    online = false;
    fire();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public long address() {
    return address;
  }

  @Override
  public boolean isOnline() {
    return online;
  }

  @Override
  public List<NetworkInfo> networks() {
    synchronized (networks) {
      return List.copyOf(networks.values());
    }
  }

  @Override
  public List<PeerInfo> peers() {
    synchronized (peers) {
      return List.copyOf(peers);
    }
  }

  private volatile dev.ztjvm.sockets.@Nullable TcpStatistics tcp;

  @Override
  public @Nullable Vl1Counters counters() {
    return null;
  }

  /** Sets what {@link #tcpStatistics()} returns. */
  public void setTcpStatistics(dev.ztjvm.sockets.@Nullable TcpStatistics value) {
    tcp = value;
  }

  @Override
  public dev.ztjvm.sockets.@Nullable TcpStatistics tcpStatistics() {
    return tcp;
  }

  @Override
  public void join(long networkId) {
    calls.add("join " + ManagedZeroTierNode.formatNetworkId(networkId));
    boolean added;
    synchronized (networks) {
      added = !networks.containsKey(networkId);
    }
    if (added) {
      setNetwork(networkId, NetworkStatus.REQUESTING_CONFIGURATION);
      var action = onJoin;
      if (action != null) {
        action.accept(networkId);
      }
    }
  }

  @Override
  public void leave(long networkId) {
    calls.add("leave " + ManagedZeroTierNode.formatNetworkId(networkId));
    synchronized (networks) {
      networks.remove(networkId);
    }
    fire();
  }

  @Override
  public AutoCloseable onStateChange(Runnable callback) {
    callbacks.add(callback);
    return () -> callbacks.remove(callback);
  }
}
