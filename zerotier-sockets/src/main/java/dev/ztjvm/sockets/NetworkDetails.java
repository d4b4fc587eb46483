package dev.ztjvm.sockets;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.Route;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * A snapshot of one joined network as a {@link ZeroTierNode} sees it.
 *
 * @param networkId the 64-bit network ID
 * @param status the network's status
 * @param reason what the status means (e.g. which node to authorize where); empty when OK
 * @param name the network's name (empty before the first config)
 * @param isPrivate true for private networks (members need authorization), false for public ones
 * @param mtu the virtual MTU
 * @param mac this node's MAC address on the network (48 bits)
 * @param broadcast whether Ethernet broadcast is enabled
 * @param addresses the managed addresses assigned to this node (v4 and v6, with prefix lengths)
 * @param routes the managed routes
 * @param multicastSubscriptions the multicast groups the node subscribed to on the network
 * @param transportReady true once the in-JVM stack holds at least one managed address (sockets can be used)
 * @param dnsDomain the search domain the controller pushes (empty if none)
 * @param dnsServers the DNS servers the controller pushes
 * @param revision the config revision (0 before the first config)
 * @param authenticationUrl the SSO URL when the network requires authentication, else null
 */
public record NetworkDetails(
    long networkId,
    NetworkStatus status,
    String reason,
    String name,
    boolean isPrivate,
    int mtu,
    long mac,
    boolean broadcast,
    List<IpPrefix> addresses,
    List<Route> routes,
    List<MulticastGroup> multicastSubscriptions,
    boolean transportReady,
    String dnsDomain,
    List<InetSocketAddress> dnsServers,
    long revision,
    @Nullable String authenticationUrl) {

  public NetworkDetails {
    addresses = List.copyOf(addresses);
    routes = List.copyOf(routes);
    multicastSubscriptions = List.copyOf(multicastSubscriptions);
    dnsServers = List.copyOf(dnsServers);
  }

  /** The MAC address as {@code xx:xx:xx:xx:xx:xx}. */
  public String macString() {
    return MacAddress.toString(mac);
  }

  /** The network ID as 16 hex digits. */
  public String networkIdString() {
    return dev.ztjvm.vl2.NetworkId.toString(networkId);
  }

  /** The first assigned IPv4 address, if any. */
  public Optional<InetAddress> ipv4() {
    return addresses.stream().filter(IpPrefix::isIpv4).map(IpPrefix::address).findFirst();
  }

  /** The first assigned IPv6 address, if any. */
  public Optional<InetAddress> ipv6() {
    return addresses.stream().filter(p -> !p.isIpv4()).map(IpPrefix::address).findFirst();
  }
}
