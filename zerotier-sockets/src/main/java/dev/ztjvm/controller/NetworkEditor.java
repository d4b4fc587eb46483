package dev.ztjvm.controller;

import dev.ztjvm.controller.internal.Json;
import dev.ztjvm.controller.internal.RuleJson;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Rule;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Edits one network record (the JSON object of spec 9.1) inside {@link ControllerDatabase#updateNetwork}. Setters
 * validate their input; {@link #json()} gives the raw object for fields without a setter.
 */
public final class NetworkEditor {
  private final Map<String, Object> m;

  NetworkEditor(Map<String, Object> m) {
    this.m = m;
  }

  /** The raw JSON object being edited (changes are saved). */
  public Map<String, Object> json() {
    return m;
  }

  public NetworkEditor name(String name) {
    m.put("name", name);
    return this;
  }

  public NetworkEditor privateNetwork(boolean isPrivate) {
    m.put("private", isPrivate);
    return this;
  }

  public NetworkEditor enableBroadcast(boolean on) {
    m.put("enableBroadcast", on);
    return this;
  }

  public NetworkEditor mtu(int mtu) {
    m.put("mtu", (long) mtu);
    return this;
  }

  public NetworkEditor multicastLimit(int limit) {
    m.put("multicastLimit", (long) limit);
    return this;
  }

  /** Adds an IP assignment pool (an inclusive range of addresses of one family). */
  public NetworkEditor addPool(InetAddress first, InetAddress last) {
    if (first.getAddress().length != last.getAddress().length) {
      throw new IllegalArgumentException("pool ends must be of the same address family");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("ipRangeStart", IpPrefix.format(first));
    p.put("ipRangeEnd", IpPrefix.format(last));
    List<Object> pools = Json.list(m, "ipAssignmentPools");
    pools.add(p);
    m.put("ipAssignmentPools", pools);
    return this;
  }

  public NetworkEditor clearPools() {
    m.put("ipAssignmentPools", new ArrayList<>());
    return this;
  }

  /** Adds a managed route; {@code via} null for an on-link route. */
  public NetworkEditor addRoute(IpPrefix target, @Nullable InetAddress via) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("target", target.toString());
    r.put("via", via == null ? Json.NULL : IpPrefix.format(via));
    List<Object> routes = Json.list(m, "routes");
    routes.add(r);
    m.put("routes", routes);
    return this;
  }

  public NetworkEditor clearRoutes() {
    m.put("routes", new ArrayList<>());
    return this;
  }

  /** IPv4 auto-assignment from the pools ({@code v4AssignMode.zt}). */
  public NetworkEditor v4AutoAssign(boolean on) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("zt", on);
    m.put("v4AssignMode", o);
    return this;
  }

  /** IPv6 modes: RFC4193, 6PLANE, and assignment from IPv6 pools. */
  public NetworkEditor v6Modes(boolean rfc4193, boolean sixPlane, boolean fromPools) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("rfc4193", rfc4193);
    o.put("6plane", sixPlane);
    o.put("zt", fromPools);
    m.put("v6AssignMode", o);
    return this;
  }

  /** The flow rules (accept-all when set to a single accept). */
  public NetworkEditor rules(List<Rule> rules) {
    m.put("rules", RuleJson.toJsonList(rules));
    return this;
  }

  /** DNS: search domain and up to 4 servers. */
  public NetworkEditor dns(String domain, List<InetAddress> servers) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("domain", domain);
    List<Object> s = new ArrayList<>();
    for (InetAddress a : servers) {
      s.add(IpPrefix.format(a));
    }
    d.put("servers", s);
    m.put("dns", d);
    return this;
  }
}
