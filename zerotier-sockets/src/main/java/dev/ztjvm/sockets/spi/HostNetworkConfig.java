package dev.ztjvm.sockets.spi;

import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.util.List;

/**
 * What the controller of a network assigned to this node, to be applied to a host interface.
 *
 * @param networkId the network ID
 * @param name the network's name
 * @param mtu the network's MTU (the interface MTU; frames are up to MTU + 14 bytes)
 * @param broadcast whether Ethernet broadcast (and so IPv4 ARP) works on the network
 * @param addresses managed addresses with their prefix lengths ({@code 10.147.17.5/24},
 *     {@code fd..:..:../88})
 * @param routes managed routes: target, optional gateway, metric
 * @param revision the config revision
 */
public record HostNetworkConfig(
    long networkId, String name, int mtu, boolean broadcast, List<IpPrefix> addresses, List<Route> routes,
    long revision) {

  public HostNetworkConfig {
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
  }
}
