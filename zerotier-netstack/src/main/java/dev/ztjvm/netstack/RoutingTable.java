package dev.ztjvm.netstack;

import dev.ztjvm.netstack.ipv4.Ipv4;
import dev.ztjvm.netstack.ipv6.Ipv6;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The addresses of one {@link NetworkInterface} with their on-link prefixes, and its routes: which addresses are ours,
 * the next hop of a destination and the source address to use towards it (smoltcp's {@code iface/route.rs} plus the
 * address half of its interface). Small arrays: an interface has a handful of each. Confined to the loop.
 */
final class RoutingTable {

  private int[] v4Addresses = new int[0];
  private int[] v4Prefixes = new int[0];
  private final ArrayList<byte[]> v6Addresses = new ArrayList<>();
  private final ArrayList<Integer> v6Prefixes = new ArrayList<>();
  private final ArrayList<Route> routes = new ArrayList<>();

  // ---------------------------------------------------------------------------------------------------------
  // Addresses

  boolean hasIpv4() {
    return v4Addresses.length > 0;
  }

  /** The IPv6 addresses (live list: do not modify). */
  List<byte[]> ipv6Addresses() {
    return v6Addresses;
  }

  byte[] ipv6Address(int index) {
    return v6Addresses.get(index);
  }

  void addIpv4(int address, int prefixLength) {
    v4Addresses = Arrays.copyOf(v4Addresses, v4Addresses.length + 1);
    v4Prefixes = Arrays.copyOf(v4Prefixes, v4Prefixes.length + 1);
    v4Addresses[v4Addresses.length - 1] = address;
    v4Prefixes[v4Prefixes.length - 1] = prefixLength;
  }

  boolean removeIpv4(int address) {
    for (int i = 0; i < v4Addresses.length; i++) {
      if (v4Addresses[i] == address) {
        int[] na = new int[v4Addresses.length - 1];
        int[] np = new int[na.length];
        for (int j = 0, k = 0; j < v4Addresses.length; j++) {
          if (j != i) {
            na[k] = v4Addresses[j];
            np[k++] = v4Prefixes[j];
          }
        }
        v4Addresses = na;
        v4Prefixes = np;
        return true;
      }
    }
    return false;
  }

  void addIpv6(byte[] address, int prefixLength) {
    v6Addresses.add(address);
    v6Prefixes.add(prefixLength);
  }

  boolean removeIpv6(byte[] address) {
    int i = ownV6Index(address, 0);
    if (i < 0) {
      return false;
    }
    v6Addresses.remove(i);
    v6Prefixes.remove(i);
    return true;
  }

  /** The assigned addresses, IPv4 first. */
  List<AssignedAddress> addresses() {
    ArrayList<AssignedAddress> list = new ArrayList<>();
    for (int i = 0; i < v4Addresses.length; i++) {
      list.add(new AssignedAddress(Ipv4.toInetAddress(v4Addresses[i]), v4Prefixes[i]));
    }
    for (int i = 0; i < v6Addresses.size(); i++) {
      list.add(new AssignedAddress(Ipv6.toInetAddress(v6Addresses.get(i)), v6Prefixes.get(i)));
    }
    return List.copyOf(list);
  }

  boolean isLocalAddress(byte[] address) {
    if (address.length == 4) {
      return isOwnV4(Bytes.i32(address, 0));
    }
    return address.length == 16 && ownV6Index(address, 0) >= 0;
  }

  byte @Nullable [] sourceAddressFor(byte[] destination) {
    if (destination.length == 4) {
      int s = sourceV4(Bytes.i32(destination, 0));
      return s == 0 ? null : Ipv4.toBytes(s);
    }
    byte[] s = sourceV6(destination);
    return s == null ? null : s.clone();
  }

  boolean isBroadcast(byte[] address) {
    return address.length == 4 && isBroadcastV4(Bytes.i32(address, 0));
  }

  boolean isOwnV4(int a) {
    int[] as = v4Addresses;
    for (int i = 0; i < as.length; i++) {
      if (as[i] == a) {
        return true;
      }
    }
    return false;
  }

  boolean isBroadcastV4(int a) {
    if (a == Ipv4.LIMITED_BROADCAST) {
      return true;
    }
    for (int i = 0; i < v4Addresses.length; i++) {
      int p = v4Prefixes[i];
      if (p <= 30 && a == (v4Addresses[i] | ~Ipv4.mask(p))) {
        return true;
      }
    }
    return false;
  }

  /** Index of our IPv6 address equal to {@code a[off, off+16)}, or -1. */
  int ownV6Index(byte[] a, int off) {
    for (int i = 0, n = v6Addresses.size(); i < n; i++) {
      if (Bytes.equal(v6Addresses.get(i), 0, a, off, 16)) {
        return i;
      }
    }
    return -1;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Source selection

  /** Our IPv4 address to send to {@code dst} from: on the same prefix, else on the gateway's, else the first; 0: none. */
  int sourceV4(int dst) {
    int[] as = v4Addresses;
    if (as.length == 0) {
      return 0;
    }
    for (int i = 0; i < as.length; i++) {
      int m = Ipv4.mask(v4Prefixes[i]);
      if ((as[i] & m) == (dst & m)) {
        return as[i];
      }
    }
    int gw = gatewayV4(dst);
    if (gw != 0) {
      for (int i = 0; i < as.length; i++) {
        int m = Ipv4.mask(v4Prefixes[i]);
        if ((as[i] & m) == (gw & m)) {
          return as[i];
        }
      }
    }
    return as[0];
  }

  /** Our IPv6 address to send to {@code dst} from (not a copy), or null without one. */
  byte @Nullable [] sourceV6(byte[] dst) {
    byte[] best = null;
    int bestLen = -1;
    boolean dstLinkLocal = Ipv6.isLinkLocal(dst, 0) || Ipv6.isMulticast(dst, 0) && (dst[1] & 0x0f) <= 2;
    for (int i = 0, n = v6Addresses.size(); i < n; i++) {
      byte[] a = v6Addresses.get(i);
      boolean ll = Ipv6.isLinkLocal(a, 0);
      // Prefer scope match: link-local for link-local destinations, global otherwise.
      int score = (ll == dstLinkLocal ? 256 : 0) + Ipv6.commonPrefixLength(a, dst);
      if (score > bestLen) {
        best = a;
        bestLen = score;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Routes

  /** Adds a route; a gateway must be on-link when used. A {@code 0.0.0.0/0} or {@code ::/0} route is a default. */
  void addRoute(Route route) {
    int max = route.network() instanceof Inet4Address ? 32 : 128;
    if (route.prefixLength() < 0 || route.prefixLength() > max) {
      throw new IllegalArgumentException("prefix length must be 0.." + max + ": " + route.prefixLength());
    }
    InetAddress gw = route.gateway();
    if (gw != null && gw.getAddress().length != route.network().getAddress().length) {
      throw new IllegalArgumentException("gateway " + gw + " is of another family than " + route.network());
    }
    routes.add(route);
  }

  boolean removeRoute(Route route) {
    return routes.remove(route);
  }

  List<Route> routes() {
    return List.copyOf(routes);
  }

  /** Next hop of an IPv4 unicast destination: the destination itself when on-link, a gateway, or 0 (none). */
  int nextHopV4(int dst) {
    for (int i = 0; i < v4Addresses.length; i++) {
      int m = Ipv4.mask(v4Prefixes[i]);
      if ((v4Addresses[i] & m) == (dst & m)) {
        return dst;
      }
    }
    Route r = bestRoute(Ipv4.toBytes(dst));
    if (r == null) {
      return 0;
    }
    InetAddress gw = r.gateway();
    return gw == null ? dst : Bytes.i32(gw.getAddress(), 0);
  }

  private int gatewayV4(int dst) {
    Route r = bestRoute(Ipv4.toBytes(dst));
    InetAddress gw = r == null ? null : r.gateway();
    return gw == null ? 0 : Bytes.i32(gw.getAddress(), 0);
  }

  /** Next hop of an IPv6 unicast destination: the destination itself when on-link, a gateway, or null (none). */
  byte @Nullable [] nextHopV6(byte[] dst) {
    if (Ipv6.isLinkLocal(dst, 0)) {
      return dst;
    }
    for (int i = 0, n = v6Addresses.size(); i < n; i++) {
      if (Ipv6.samePrefix(v6Addresses.get(i), 0, dst, 0, v6Prefixes.get(i))) {
        return dst;
      }
    }
    Route r = bestRoute(dst);
    if (r == null) {
      return null;
    }
    InetAddress gw = r.gateway();
    return gw == null ? dst : gw.getAddress();
  }

  private @Nullable Route bestRoute(byte[] dst) {
    Route best = null;
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route r = routes.get(i);
      byte[] net = r.network().getAddress();
      if (net.length != dst.length || (best != null && r.prefixLength() <= best.prefixLength())) {
        continue;
      }
      if (Ipv6.samePrefix(net, 0, dst, 0, r.prefixLength())) {
        best = r;
      }
    }
    return best;
  }
}
