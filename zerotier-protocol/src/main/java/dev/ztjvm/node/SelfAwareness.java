package dev.ztjvm.node;

import dev.ztjvm.underlay.UdpUnderlay;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a node knows of its own physical addresses (ZeroTier One's {@code SelfAwareness}): the external addresses its
 * upstreams report in OK(HELLO), and the addresses it advertises in PUSH_DIRECT_PATHS. Confined to the node's loop.
 */
final class SelfAwareness {

  /** External addresses remembered; the least recently reported goes first. */
  private static final int MAX_SURFACES = 16;

  private final Vl1Node node;
  private final BoundedMap<InetSocketAddress, Boolean> surfaces = new BoundedMap<>(MAX_SURFACES);
  /** External addresses a gateway mapped to our port (PCP/NAT-PMP), advertised like the observed surfaces. */
  private final Set<InetSocketAddress> mapped = new LinkedHashSet<>();

  SelfAwareness(Vl1Node node) {
    this.node = node;
  }

  /** An upstream told us it saw us at {@code external}. */
  void reported(InetSocketAddress external) {
    surfaces.put(external, Boolean.TRUE);
  }

  void addMapped(InetSocketAddress external) {
    mapped.add(external);
  }

  void removeMapped(InetSocketAddress external) {
    mapped.remove(external);
  }

  List<InetSocketAddress> surfaces() {
    return List.copyOf(surfaces.keySet());
  }

  /**
   * Our mapped addresses, observed surfaces and bound addresses (expanding wildcards to interface addresses), allowed
   * by policy.
   */
  List<InetSocketAddress> advertisedAddresses() {
    UdpUnderlay u = node.underlay();
    if (u == null) {
      return List.of();
    }
    Set<InetSocketAddress> out = new LinkedHashSet<>(mapped);
    out.addAll(surfaces.keySet());
    for (UdpUnderlay.LocalSocket s : u.sockets()) {
      InetAddress a = s.localAddress().getAddress();
      if (a.isAnyLocalAddress()) {
        try {
          for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress ia : Collections.list(ni.getInetAddresses())) {
              if (s.dualStack() || (ia instanceof Inet4Address) == (a instanceof Inet4Address)) {
                out.add(new InetSocketAddress(ia, s.localAddress().getPort()));
              }
            }
          }
        } catch (SocketException e) {
          // no interface list: advertise what we have
        }
      } else {
        out.add(s.localAddress());
      }
    }
    out.removeIf(a -> !node.config().pathPolicy().isAllowed(a.getAddress()));
    return new ArrayList<>(out);
  }
}
