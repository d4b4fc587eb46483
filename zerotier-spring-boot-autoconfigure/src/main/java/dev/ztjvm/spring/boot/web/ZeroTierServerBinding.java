package dev.ztjvm.spring.boot.web;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import dev.ztjvm.spring.boot.ZeroTierReadiness;
import dev.ztjvm.spring.boot.ZeroTierSnapshots;
import dev.ztjvm.vl2.IpPrefix;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.DisposableBean;

/**
 * Where a web server on ZeroTier listens, and which connections it keeps: the server listens on the wildcard address
 * of the node's own stack (never the OS stack), so it can bind at start even while the network waits for
 * authorization and serves as soon as the network's address arrives, without a restart. Connections to an address of
 * another joined network are closed, so only {@code networkId} is served.
 *
 * <p>Logs one line when the server can be reached: {@code ZeroTier: serving http://<ip>:<port> on network <nwid>
 * (node <id>)} (again after the network was lost and came back).
 */
public final class ZeroTierServerBinding implements DisposableBean {

  private static final Log log = LogFactory.getLog(ZeroTierServerBinding.class);

  private final ZeroTierNode node;
  private final long networkId;
  private final Set<InetAddress> addresses = ConcurrentHashMap.newKeySet();
  private final ZeroTierEventListener listener;
  private volatile int port = -1;
  private volatile boolean announced;

  /**
   * @param node the node whose stack carries the server
   * @param networkId the network whose addresses are served
   */
  public ZeroTierServerBinding(ZeroTierNode node, long networkId) {
    this.node = node;
    this.networkId = networkId;
    this.listener = this::onEvent;
    node.addListener(listener);
  }

  /** The network served. */
  public long networkId() {
    return networkId;
  }

  /** The address to bind on the node's stack: its wildcard (every address of the node, also later ones). */
  public InetSocketAddress bindAddress(int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[4]), port);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Whether a connection that arrived at {@code local} is for the served network. Answered from the addresses the
   * node's events announced, without waiting for the node: it is called on the server's event loop.
   */
  public boolean accepts(@Nullable SocketAddress local) {
    return local instanceof InetSocketAddress inet && addresses.contains(inet.getAddress());
  }

  /** The server is listening on {@code port}: announces it if the network is ready. */
  public void serverStarted(int port) {
    this.port = port;
    refresh();
  }

  /** The server stopped. */
  public void serverStopped() {
    this.port = -1;
    announced = false;
  }

  private void onEvent(ZeroTierEvent event) {
    if (event instanceof ZeroTierEvent.AddressAdded added && added.networkId() == networkId) {
      addresses.add(added.address());
    } else if (event instanceof ZeroTierEvent.AddressRemoved removed && removed.networkId() == networkId) {
      addresses.remove(removed.address());
      if (addresses.isEmpty()) {
        announced = false;
      }
    } else if (event instanceof ZeroTierEvent.NetworkReadyIpv4 ready && ready.network().networkId() == networkId
        || event instanceof ZeroTierEvent.NetworkReadyIpv6 ready6 && ready6.network().networkId() == networkId) {
      refresh();
    } else if (event instanceof ZeroTierEvent.NetworkDown down && down.networkId() == networkId
        || event instanceof ZeroTierEvent.NodeDown) {
      addresses.clear();
      announced = false;
    }
  }

  /** Reads the network's state and announces the server once it is ready. */
  private synchronized void refresh() {
    NetworkDetails network = ZeroTierSnapshots.network(node, networkId).orElse(null);
    if (network == null) {
      return;
    }
    for (IpPrefix prefix : network.addresses()) {
      addresses.add(prefix.address());
    }
    int listening = port;
    if (listening >= 0 && !announced && ZeroTierReadiness.ready(network)) {
      announced = true;
      InetAddress address = network.ipv4().orElseGet(() -> network.addresses().get(0).address());
      log.info("ZeroTier: serving " + url(address, listening) + " on network " + network.networkIdString()
          + " (node " + node.nodeIdString() + ")");
    }
  }

  /** {@code http://ip:port}, with brackets for IPv6. */
  public static String url(InetAddress address, int port) {
    String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    return "http://" + host + ":" + port;
  }

  @Override
  public void destroy() {
    node.removeListener(listener);
  }
}
