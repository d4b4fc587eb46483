package dev.ztjvm.sockets.internal.node;

import dev.ztjvm.netstack.AssignedAddress;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.network.VirtualTap;
import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.Route;
import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * One joined network's link between its {@link VirtualTap} and a netstack {@link NetworkInterface} on the node's
 * loop: frames both ways, and the interface's addresses, routes and multicast subscriptions kept equal to the
 * network config. Loop only.
 */
public final class NetworkAttachment extends TapAttachment {

  /** What changed on the interface, reported back to the node (for events). */
  public interface Changes {
    void addressAdded(long nwid, InetAddress address, int prefixLength);

    void addressRemoved(long nwid, InetAddress address, int prefixLength);

    /** A managed route of the config is new (reported whether or not the stack needed a route entry for it). */
    default void routeAdded(long nwid, Route route) {}

    /** A managed route left the config. */
    default void routeRemoved(long nwid, Route route) {}
  }

  private final NetstackHost host;
  private final NetworkInterface nif;
  private final List<dev.ztjvm.netstack.Route> routes = new ArrayList<>();
  private final Set<Long> subscribedMacs = new HashSet<>();
  private final Set<Route> managed = new java.util.LinkedHashSet<>();

  private NetworkAttachment(long networkId, VirtualTap tap, NetstackHost host, NetworkInterface nif) {
    super(networkId, tap);
    this.host = host;
    this.nif = nif;
    // Sockets joining or leaving multicast groups change the Ethernet groups to announce (MULTICAST_LIKE).
    nif.setSubscriptionListener(this::syncMulticast);
  }

  /** Creates the interface (MTU = the tap's current MTU), wires it to the tap and adds it to the host. Loop only. */
  public static NetworkAttachment attach(long networkId, VirtualTap tap, NetstackHost host, TcpConfig tcp)
      throws IOException {
    InterfaceConfig cfg = InterfaceConfig.builder(new MacAddress(tap.mac())).mtu(tap.mtu()).build();
    NetworkInterface nif = new NetworkInterface(cfg, tap);
    nif.enableTcp(tcp);
    host.addInterface(nif);
    tap.setReceiver((frame, off, len) -> host.receiveFrame(nif, frame, off, len));
    return new NetworkAttachment(networkId, tap, host, nif);
  }

  public NetworkInterface networkInterface() {
    return nif;
  }

  /** Applies the managed addresses and routes of a config. Returns which address families just became ready. */
  public int sync(List<IpPrefix> addresses, List<Route> managedRoutes, Changes changes) {
    if (isClosed()) {
      return 0;
    }
    long networkId = networkId();
    adoptAddresses(addresses, p -> nif.removeAddress(p.address()), p -> nif.addAddress(p.address(), p.bits()),
        changes);
    for (dev.ztjvm.netstack.Route r : routes) {
      nif.removeRoute(r);
    }
    routes.clear();
    for (Route r : managedRoutes) {
      dev.ztjvm.netstack.Route nr = new dev.ztjvm.netstack.Route(
          r.target().address(), r.target().bits(), r.via() == null ? null : r.via().address());
      if (r.via() == null && coveredByAddress(r.target())) {
        continue; // on-link: the address's own prefix already reaches it
      }
      try {
        nif.addRoute(nr);
        routes.add(nr);
      } catch (IllegalArgumentException e) {
        // a route the stack cannot use (e.g. a gateway of the other family): skipped, the rest still apply
      }
    }
    Set<Route> nowManaged = new java.util.LinkedHashSet<>(managedRoutes);
    for (Route r : List.copyOf(managed)) {
      if (!nowManaged.contains(r)) {
        managed.remove(r);
        changes.routeRemoved(networkId, r);
      }
    }
    for (Route r : nowManaged) {
      if (managed.add(r)) {
        changes.routeAdded(networkId, r);
      }
    }
    syncMulticast();
    host.wakeup();
    return newlyReady();
  }

  /** Announces the stack's multicast groups (e.g. IPv6 groups of its sockets) on the network. */
  public void syncMulticast() {
    Set<Long> now = new HashSet<>();
    for (MacAddress m : nif.multicastSubscriptions()) {
      now.add(m.value());
    }
    for (Long mac : now) {
      if (subscribedMacs.add(mac)) {
        tap().subscribe(new MulticastGroup(mac, 0));
      }
    }
    for (Long mac : List.copyOf(subscribedMacs)) {
      if (!now.contains(mac)) {
        subscribedMacs.remove(mac);
        tap().unsubscribe(new MulticastGroup(mac, 0));
      }
    }
  }

  /** The managed address families of the interface: bit 0 IPv4, bit 1 IPv6. */
  public List<AssignedAddress> interfaceAddresses() {
    return nif.addresses();
  }

  /** Detaches from the tap and removes the interface from the host. Loop only. */
  public void detach(@Nullable Consumer<Exception> onError) {
    if (!stopFrames()) {
      return;
    }
    try {
      host.removeInterface(nif);
    } catch (IOException e) {
      if (onError != null) {
        onError.accept(e);
      }
    }
  }
}
