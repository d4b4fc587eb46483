package dev.ztjvm.underlay;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Decides which remote physical addresses may carry ZeroTier traffic (spec 6.5).
 *
 * <p>Like ZeroTier One it accepts private, pseudo-private, shared and global addresses, and refuses loopback,
 * link-local, multicast, Hurricane Electric tunnel addresses (2001:470::/32) and addresses inside ranges a joined
 * ZeroTier network assigns (no ZeroTier inside ZeroTier). Unlike stock ZeroTier, loopback can be allowed explicitly:
 * tests and local demos run several nodes on 127.0.0.1.
 *
 * @param allowLoopback whether 127.0.0.0/8 and ::1 may be paths
 * @param blocked prefixes never used as paths (user configuration)
 * @param insideVirtualNetworks tells whether an address lies inside a range assigned by a joined network
 */
public record PhysicalPathPolicy(
    boolean allowLoopback, List<Prefix> blocked, Predicate<InetAddress> insideVirtualNetworks) {

  /** ZeroTier One's rules: loopback refused, nothing else blocked, no virtual networks known. */
  public static final PhysicalPathPolicy DEFAULT = new PhysicalPathPolicy(false, List.of(), a -> false);

  public PhysicalPathPolicy {
    blocked = List.copyOf(blocked);
    Objects.requireNonNull(insideVirtualNetworks, "insideVirtualNetworks");
  }

  /** The same policy with loopback allowed or refused. */
  public PhysicalPathPolicy withAllowLoopback(boolean allow) {
    return new PhysicalPathPolicy(allow, blocked, insideVirtualNetworks);
  }

  /** The same policy consulting {@code inside} for addresses assigned by joined networks. */
  public PhysicalPathPolicy withVirtualNetworks(Predicate<InetAddress> inside) {
    return new PhysicalPathPolicy(allowLoopback, blocked, inside);
  }

  /** Whether {@code address} may be used as the remote end of a path. */
  public boolean isAllowed(InetAddress address) {
    switch (AddressScope.of(address)) {
      case LOOPBACK:
        if (!allowLoopback) {
          return false;
        }
        break;
      case PRIVATE:
      case PSEUDOPRIVATE:
      case SHARED:
      case GLOBAL:
        break;
      default:
        return false;
    }
    if (address instanceof Inet6Address) {
      byte[] a = address.getAddress();
      if ((a[0] & 0xff) == 0x20 && (a[1] & 0xff) == 0x01 && (a[2] & 0xff) == 0x04 && (a[3] & 0xff) == 0x70) {
        return false;
      }
    }
    for (Prefix p : blocked) {
      if (p.contains(address)) {
        return false;
      }
    }
    return !insideVirtualNetworks.test(address);
  }
}
