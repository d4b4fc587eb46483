package dev.ztjvm.network;

import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one joined network.
 *
 * @param networkId the network ID
 * @param status the network's status
 * @param reason what the status means for the user, e.g. "authorize node 89e92ceee5 on network 8056c2e21c000001 at
 *     its controller 8056c2e21c"; empty when {@link NetworkStatus#OK}
 * @param name the network's name (empty before the first config)
 * @param mac this node's MAC address on the network (spec 8.1)
 * @param mtu the virtual MTU
 * @param isPrivate whether the network is private (members need authorization)
 * @param broadcast whether Ethernet broadcast is enabled
 * @param addresses managed addresses assigned to this node
 * @param routes managed routes
 * @param revision the config revision (0 before the first config)
 * @param configTimestamp the controller's timestamp of the config held (0 before the first)
 * @param fromCache whether the config held was loaded from the storage cache and not (yet) refreshed by the controller
 * @param authenticationUrl the SSO URL when {@link NetworkStatus#AUTHENTICATION_REQUIRED}, else null
 */
public record NetworkInfo(
    long networkId,
    NetworkStatus status,
    String reason,
    String name,
    long mac,
    int mtu,
    boolean isPrivate,
    boolean broadcast,
    List<IpPrefix> addresses,
    List<Route> routes,
    long revision,
    long configTimestamp,
    boolean fromCache,
    @Nullable String authenticationUrl) {

  public NetworkInfo {
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
  }
}
