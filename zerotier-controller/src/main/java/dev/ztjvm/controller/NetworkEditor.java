package dev.ztjvm.controller;

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
public final class NetworkEditor extends JsonRecordEditor<NetworkEditor> {

  NetworkEditor(Map<String, Object> m) {
    super(m);
  }

  @Override
  NetworkEditor self() {
    return this;
  }

  public NetworkEditor name(String name) {
    return set("name", name);
  }

  public NetworkEditor privateNetwork(boolean isPrivate) {
    return set("private", isPrivate);
  }

  public NetworkEditor enableBroadcast(boolean on) {
    return set("enableBroadcast", on);
  }

  public NetworkEditor mtu(int mtu) {
    return set("mtu", (long) mtu);
  }

  public NetworkEditor multicastLimit(int limit) {
    return set("multicastLimit", (long) limit);
  }

  /** Adds an IP assignment pool (an inclusive range of addresses of one family). */
  public NetworkEditor addPool(InetAddress first, InetAddress last) {
    if (first.getAddress().length != last.getAddress().length) {
      throw new IllegalArgumentException("pool ends must be of the same address family");
    }
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("ipRangeStart", IpPrefix.format(first));
    p.put("ipRangeEnd", IpPrefix.format(last));
    return append("ipAssignmentPools", p);
  }

  public NetworkEditor clearPools() {
    return set("ipAssignmentPools", new ArrayList<>());
  }

  /** Adds a managed route; {@code via} null for an on-link route. */
  public NetworkEditor addRoute(IpPrefix target, @Nullable InetAddress via) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("target", target.toString());
    r.put("via", via == null ? ControllerJson.NULL : IpPrefix.format(via));
    return append("routes", r);
  }

  public NetworkEditor clearRoutes() {
    return set("routes", new ArrayList<>());
  }

  /** IPv4 auto-assignment from the pools ({@code v4AssignMode.zt}). */
  public NetworkEditor v4AutoAssign(boolean on) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("zt", on);
    return set("v4AssignMode", o);
  }

  /** IPv6 modes: RFC4193, 6PLANE, and assignment from IPv6 pools. */
  public NetworkEditor v6Modes(boolean rfc4193, boolean sixPlane, boolean fromPools) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("rfc4193", rfc4193);
    o.put("6plane", sixPlane);
    o.put("zt", fromPools);
    return set("v6AssignMode", o);
  }

  /** The flow rules (accept-all when set to a single accept). */
  public NetworkEditor rules(List<Rule> rules) {
    return set("rules", RuleJson.toJsonList(rules));
  }

  /** DNS: search domain and up to 4 servers. */
  public NetworkEditor dns(String domain, List<InetAddress> servers) {
    Map<String, Object> d = new LinkedHashMap<>();
    d.put("domain", domain);
    d.put("servers", formatAll(servers));
    return set("dns", d);
  }
}
