package dev.ztjvm.nativeio.internal;

import dev.ztjvm.sockets.spi.HostNetworkConfig;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * What a host interface should carry for a network config, and the {@code ip} commands that take it from one state
 * to the next. Pure: no process runs here, so the policy (which routes are installed) is unit-tested without root.
 *
 * <p>Route policy, as ZeroTier One's defaults ({@code allowManaged=1, allowGlobal=0, allowDefault=0}): default
 * routes ({@code 0.0.0.0/0}, {@code ::/0}) only when allowed; no route whose gateway is one of this node's own
 * addresses (the node is that gateway); no gateway of the other address family; no on-link route that the kernel
 * already adds for an address's own prefix.
 */
public final class HostConfigPlan {

  private HostConfigPlan() {}

  /** One managed route as the kernel gets it: network-aligned target, optional gateway, metric. */
  public record RouteSpec(IpPrefix target, @Nullable InetAddress via, int metric) {
    /** Arguments after {@code ip [-6] route replace|del}. */
    List<String> args(String dev) {
      List<String> a = new ArrayList<>();
      a.add(IpPrefix.format(target.address()) + "/" + target.bits());
      if (via != null) {
        a.add("via");
        a.add(IpPrefix.format(via));
      }
      a.add("dev");
      a.add(dev);
      if (metric != 0) {
        a.add("metric");
        a.add(Integer.toString(metric));
      }
      return a;
    }

    boolean isIpv4() {
      return target.address() instanceof Inet4Address;
    }
  }

  /** The interface's managed state: MTU, addresses (with host bits) and routes. */
  public record State(int mtu, Set<IpPrefix> addresses, Set<RouteSpec> routes) {
    public State {
      // insertion order kept: commands come out in the config's order, which keeps plans reproducible
      addresses = Collections.unmodifiableSet(new LinkedHashSet<>(addresses));
      routes = Collections.unmodifiableSet(new LinkedHashSet<>(routes));
    }

    /** A fresh interface: the given MTU, nothing else. */
    public static State empty(int mtu) {
      return new State(mtu, Set.of(), Set.of());
    }
  }

  /** One step of a transition; {@code removal} steps may fail harmlessly (the kernel already dropped the item). */
  public record Step(List<String> ipArgs, boolean removal, @Nullable IpPrefix address, @Nullable RouteSpec route) {}

  /** The state a config asks for, after the route policy. */
  public static State desired(HostNetworkConfig config, boolean allowDefaultRoute) {
    Set<IpPrefix> addresses = new LinkedHashSet<>();
    for (IpPrefix p : config.addresses()) {
      int max = p.address() instanceof Inet4Address ? 32 : 128;
      if (p.bits() <= max) {
        addresses.add(p);
      }
    }
    Set<RouteSpec> routes = new LinkedHashSet<>();
    for (Route r : config.routes()) {
      InetAddress target = r.target().address();
      int max = target instanceof Inet4Address ? 32 : 128;
      if (r.target().bits() > max) {
        continue;
      }
      IpPrefix aligned = new IpPrefix(network(target, r.target().bits()), r.target().bits());
      InetAddress via = r.via() == null ? null : r.via().address();
      if (aligned.bits() == 0 && !allowDefaultRoute) {
        continue;
      }
      if (via != null && (via instanceof Inet4Address) != (target instanceof Inet4Address)) {
        continue;
      }
      if (via != null && isOwnAddress(addresses, via)) {
        continue;
      }
      if (via == null && isAddressPrefix(addresses, aligned)) {
        continue;
      }
      routes.add(new RouteSpec(aligned, via, r.metric()));
    }
    return new State(config.mtu(), addresses, routes);
  }

  /**
   * The {@code ip} commands (arguments after {@code ip}, without a namespace option) from {@code from} to
   * {@code to} on interface {@code dev}: stale routes, stale addresses, MTU, new addresses, new routes, in this
   * order so that a gateway's on-link prefix exists before routes through it.
   */
  public static List<Step> transition(String dev, State from, State to) {
    List<Step> steps = new ArrayList<>();
    for (RouteSpec r : from.routes()) {
      if (!to.routes().contains(r)) {
        steps.add(new Step(routeCommand(r, "del", dev), true, null, r));
      }
    }
    for (IpPrefix a : from.addresses()) {
      if (!to.addresses().contains(a)) {
        steps.add(new Step(addressCommand(a, "del", dev), true, a, null));
      }
    }
    if (from.mtu() != to.mtu()) {
      steps.add(new Step(List.of("link", "set", "dev", dev, "mtu", Integer.toString(to.mtu())), false, null, null));
    }
    for (IpPrefix a : to.addresses()) {
      if (!from.addresses().contains(a)) {
        steps.add(new Step(addressCommand(a, "replace", dev), false, a, null));
      }
    }
    for (RouteSpec r : to.routes()) {
      if (!from.routes().contains(r)) {
        steps.add(new Step(routeCommand(r, "replace", dev), false, null, r));
      }
    }
    return steps;
  }

  private static List<String> addressCommand(IpPrefix a, String verb, String dev) {
    List<String> c = new ArrayList<>();
    boolean v4 = a.address() instanceof Inet4Address;
    c.add(v4 ? "-4" : "-6");
    c.add("addr");
    c.add(verb);
    c.add(IpPrefix.format(a.address()) + "/" + a.bits());
    c.add("dev");
    c.add(dev);
    if (verb.equals("replace")) {
      if (v4) {
        c.add("broadcast");
        c.add("+");
      } else {
        // The controller hands out unique addresses (RFC4193 and 6PLANE ones even embed the node ID), so
        // duplicate detection would only delay the address by a second or two.
        c.add("nodad");
      }
    }
    return c;
  }

  private static List<String> routeCommand(RouteSpec r, String verb, String dev) {
    List<String> c = new ArrayList<>();
    c.add(r.isIpv4() ? "-4" : "-6");
    c.add("route");
    c.add(verb);
    c.addAll(r.args(dev));
    if (verb.equals("replace")) {
      c.add("proto");
      c.add("static");
    }
    return c;
  }

  private static boolean isOwnAddress(Set<IpPrefix> addresses, InetAddress a) {
    for (IpPrefix p : addresses) {
      if (p.address().equals(a)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isAddressPrefix(Set<IpPrefix> addresses, IpPrefix target) {
    for (IpPrefix p : addresses) {
      if (p.bits() == target.bits() && network(p.address(), p.bits()).equals(target.address())) {
        return true;
      }
    }
    return false;
  }

  /** {@code a} with the host bits beyond {@code bits} cleared. */
  static InetAddress network(InetAddress a, int bits) {
    byte[] b = a.getAddress();
    for (int i = 0; i < b.length; i++) {
      int keep = Math.max(0, Math.min(8, bits - i * 8));
      b[i] &= (byte) (0xff << (8 - keep));
    }
    return IpPrefix.ip(b);
  }
}
