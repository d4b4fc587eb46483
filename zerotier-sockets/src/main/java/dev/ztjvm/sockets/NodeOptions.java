package dev.ztjvm.sockets;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import dev.ztjvm.sockets.spi.HostInterfaceProvider;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.Prefix;
import dev.ztjvm.underlay.TcpRelayConfig;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The options of a {@link ZeroTierNode}, fixed when {@link ZeroTierNode.Builder#build()} checked them: what every run
 * of the node starts from. Immutable (the lists and the map are copies); the builder stays free to change.
 *
 * @param identity the given identity, or null to load or create one (in {@code storage} when set)
 * @param planetExplicit whether the planet was given (a cached newer revision of the default one may then not
 *     replace it)
 * @param hostInterface OS-interface mode for every network, or null
 * @param hostInterfaces OS-interface mode per network
 * @param portMapping whether to map the primary port on the gateway (PCP, else NAT-PMP) and advertise it
 * @param portMappingGateway the PCP/NAT-PMP server to ask, or null for the default gateway's port 5351
 */
record NodeOptions(
    @Nullable Path storage,
    @Nullable Identity identity,
    UnderlayConfig underlay,
    TcpRelayConfig tcpRelay,
    World planet,
    boolean planetExplicit,
    List<World> moons,
    List<String> allowedInterfaces,
    List<String> blockedInterfaces,
    List<Prefix> blockedPrefixes,
    boolean allowLoopbackPaths,
    boolean cacheNetworks,
    boolean cachePlanet,
    boolean cachePeers,
    boolean cacheIdentity,
    int eventQueueCapacity,
    List<ZeroTierEventListener> listeners,
    List<InetSocketAddress> dnsServers,
    TcpConfig tcp,
    @Nullable HostInterfaceProvider hostInterface,
    Map<Long, HostInterfaceProvider> hostInterfaces,
    boolean portMapping,
    @Nullable InetSocketAddress portMappingGateway) {

  NodeOptions {
    moons = List.copyOf(moons);
    allowedInterfaces = List.copyOf(allowedInterfaces);
    blockedInterfaces = List.copyOf(blockedInterfaces);
    blockedPrefixes = List.copyOf(blockedPrefixes);
    listeners = List.copyOf(listeners);
    dnsServers = List.copyOf(dnsServers);
    hostInterfaces = Map.copyOf(hostInterfaces);
  }

  /** The host interface provider for {@code networkId}: its own, else the one for every network, else null. */
  @Nullable
  HostInterfaceProvider hostInterfaceFor(long networkId) {
    HostInterfaceProvider p = hostInterfaces.get(networkId);
    return p != null ? p : hostInterface;
  }

  /**
   * The physical path policy: the blocked prefixes plus the addresses of the interfaces that the allow/block lists
   * exclude, read from the host now (a run reads them when it starts, so interfaces that came up since count).
   */
  PhysicalPathPolicy pathPolicy() {
    List<Prefix> blocked = new ArrayList<>(blockedPrefixes);
    if (!allowedInterfaces.isEmpty() || !blockedInterfaces.isEmpty()) {
      try {
        Enumeration<java.net.NetworkInterface> all = java.net.NetworkInterface.getNetworkInterfaces();
        while (all != null && all.hasMoreElements()) {
          java.net.NetworkInterface nif = all.nextElement();
          String name = nif.getName();
          boolean block = blockedInterfaces.stream().anyMatch(name::startsWith)
              || (!allowedInterfaces.isEmpty() && allowedInterfaces.stream().noneMatch(name::startsWith));
          if (block) {
            for (InetAddress a : Collections.list(nif.getInetAddresses())) {
              blocked.add(new Prefix(a, a.getAddress().length * 8));
            }
          }
        }
      } catch (SocketException e) {
        throw new IllegalStateException("cannot list the physical interfaces to apply allow/blockInterfaces", e);
      }
    }
    return new PhysicalPathPolicy(allowLoopbackPaths, blocked, a -> false);
  }

  /** Refuses a loopback bind address where loopback paths cannot work (the public planet, loopback not allowed). */
  static void checkBindAddresses(List<InetAddress> bindAddresses, boolean allowLoopbackPaths, boolean planetExplicit) {
    for (InetAddress a : bindAddresses) {
      if (a.isLoopbackAddress() && !allowLoopbackPaths && !planetExplicit) {
        throw new IllegalArgumentException("option 'bindAddress': " + a.getHostAddress()
            + " is loopback but loopback paths are not allowed and the planet is ZeroTier's public one; "
            + "use allowLoopbackPaths(true) with a local planet, or bind a real interface");
      }
    }
  }

  /** The UDP underlay's configuration from the builder's options, failures naming those options. */
  static UnderlayConfig underlayConfig(int port, int randomPortMin, int randomPortMax, boolean secondaryPort,
      List<InetAddress> bindAddresses) {
    try {
      boolean v4 = bindAddresses.isEmpty() || bindAddresses.stream().anyMatch(a -> a instanceof java.net.Inet4Address);
      boolean v6 = bindAddresses.isEmpty() || bindAddresses.stream().anyMatch(a -> a instanceof java.net.Inet6Address);
      return new UnderlayConfig(port, randomPortMin, randomPortMax, secondaryPort, bindAddresses, v4, v6);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("UDP options (port, randomPortRange, bindAddress): " + e.getMessage(), e);
    }
  }

  /** The TCP relay's configuration from the builder's options, failures naming those options. */
  static TcpRelayConfig tcpRelayConfig(@Nullable InetSocketAddress relay, boolean allow, boolean force,
      long fallbackAfterMillis) {
    try {
      return new TcpRelayConfig(relay, allow, force, fallbackAfterMillis);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("TCP relay options (tcpRelay, allowTcpRelay, forceTcpRelay): "
          + e.getMessage(), e);
    }
  }
}
