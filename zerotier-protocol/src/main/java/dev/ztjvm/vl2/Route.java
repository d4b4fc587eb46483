package dev.ztjvm.vl2;

import org.jspecify.annotations.Nullable;

/**
 * A managed route (spec 7.5): target network, optional gateway, flags and metric.
 *
 * @param target destination network (address with prefix length)
 * @param via gateway, or null for a route directly on the virtual network; its {@code bits} carry the encoded
 *     16-bit port field (0 in practice)
 * @param flags 16-bit flags
 * @param metric 16-bit metric
 */
public record Route(IpPrefix target, @Nullable IpPrefix via, int flags, int metric) {
  /** A route with no gateway, flags 0, metric 0. */
  public static Route direct(IpPrefix target) {
    return new Route(target, null, 0, 0);
  }

  @Override
  public String toString() {
    return target + (via == null ? "" : " via " + IpPrefix.format(via.address())) + (metric != 0 ? " metric "
        + metric : "");
  }
}
