package dev.ztjvm.central.server;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.ControllerJson;
import dev.ztjvm.controller.MemberEditor;
import dev.ztjvm.controller.NetworkEditor;
import dev.ztjvm.controller.RuleSchema;
import dev.ztjvm.identity.Address;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The request dispatcher behind {@link ControllerApiServer}, free of HTTP plumbing: method, path segments and body in,
 * status and JSON out. Runs on a blocking thread (the database does file I/O).
 */
final class ControllerApi {

  private static final System.Logger LOG = System.getLogger(ControllerApi.class.getName());

  /** Header of listings that passed over unreadable records: how many, and which (each one's problem). */
  static final String UNREADABLE_HEADER = "X-ZT-Unreadable-Records";

  /** An HTTP answer: status, JSON body and extra headers. */
  record Reply(int status, String json, Map<String, String> headers) {
    Reply(int status, String json) {
      this(status, json, Map.of());
    }

    static Reply ok(Object value) {
      return new Reply(200, ControllerJson.write(value));
    }

    /** A listing; records that could not be read are named in {@link #UNREADABLE_HEADER} (and logged). */
    static Reply listing(Object value, List<String> unreadable) {
      if (unreadable.isEmpty()) {
        return ok(value);
      }
      for (String u : unreadable) {
        LOG.log(System.Logger.Level.WARNING, "controller API: listing without " + u);
      }
      String names = String.join(" | ", unreadable).replaceAll("[^\\x20-\\x7e]", "?");
      return new Reply(200, ControllerJson.write(value), Map.of(UNREADABLE_HEADER, unreadable.size() + "; " + names));
    }

    static Reply error(int status, String message) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("message", message);
      return new Reply(status, ControllerJson.write(m));
    }
  }

  /** A request the caller sent in a form we cannot use (answered 400 with the message). */
  static final class BadRequest extends RuntimeException {
    BadRequest(String message) {
      super(message);
    }
  }

  private static final Set<String> NETWORK_FIELDS = Set.of("name", "private", "enableBroadcast", "mtu",
      "multicastLimit", "v4AssignMode", "v6AssignMode", "ipAssignmentPools", "routes", "rules", "rulesSource",
      "capabilities", "tags", "dns", "remoteTraceTarget", "remoteTraceLevel", "ssoEnabled", "clientId",
      "authorizationEndpoint");

  private final ControllerDatabase db;
  private final UserTokens userTokens;

  ControllerApi(ControllerDatabase db, UserTokens userTokens) {
    this.db = db;
    this.userTokens = userTokens;
  }

  // ------------------------------------------------------------------------------------------------ dispatch

  /** zerotier-one's local API: {@code /status}, {@code /controller}, {@code /controller/network/...}. */
  Reply local(String method, List<String> p, String body) throws IOException {
    long now = System.currentTimeMillis();
    if (p.equals(List.of("status")) && method.equals("GET")) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("address", Address.toString(db.controllerAddress()));
      s.put("clock", now);
      s.put("online", true);
      return Reply.ok(s);
    }
    if (p.isEmpty() || !p.get(0).equals("controller")) {
      return notFound();
    }
    if (p.size() == 1) {
      if (!method.equals("GET")) {
        return notAllowed();
      }
      Map<String, Object> c = new LinkedHashMap<>();
      c.put("controller", true);
      c.put("apiVersion", 4L);
      c.put("clock", now);
      c.put("databaseReady", true);
      return Reply.ok(c);
    }
    if (!p.get(1).equals("network")) {
      return notFound();
    }
    if (p.size() == 2) {
      if (!method.equals("GET")) {
        return notAllowed();
      }
      List<Object> ids = new ArrayList<>();
      for (long id : db.networkIds()) {
        ids.add(NetworkId.toString(id));
      }
      ids.sort(null);
      return Reply.ok(ids);
    }
    String idText = p.get(2);
    if (p.size() == 3 && method.equals("POST") && idText.length() == 16 && idText.endsWith("______")) {
      long ctl = parseAddress(idText.substring(0, 10));
      if (ctl != db.controllerAddress()) {
        return notFound();
      }
      Map<String, Object> in = object(body);
      long nwid = db.createNetwork(e -> applyNetwork(e, in));
      return Reply.ok(db.network(nwid).orElseThrow());
    }
    long nwid = parseNetworkId(idText);
    if (p.size() == 3) {
      switch (method) {
        case "GET":
          return db.network(nwid).<Reply>map(Reply::ok).orElseGet(ControllerApi::notFound);
        case "POST": {
          Map<String, Object> in = object(body);
          if (db.network(nwid).isPresent()) {
            db.updateNetwork(nwid, e -> applyNetwork(e, in));
          } else if (NetworkId.controllerAddress(nwid) == db.controllerAddress()) {
            db.createNetwork(nwid, e -> applyNetwork(e, in)); // zerotier-one's POST is an upsert
          } else {
            return notFound();
          }
          return Reply.ok(db.network(nwid).orElseThrow());
        }
        case "DELETE": {
          Optional<Map<String, Object>> n = db.network(nwid);
          if (n.isEmpty() || !db.deleteNetwork(nwid)) {
            return notFound();
          }
          return Reply.ok(n.get()); // zerotier-one answers with the deleted object
        }
        default:
          return notAllowed();
      }
    }
    if (!p.get(3).equals("member") || p.size() > 5) {
      return notFound();
    }
    if (db.network(nwid).isEmpty()) {
      return notFound();
    }
    if (p.size() == 4) {
      if (!method.equals("GET")) {
        return notAllowed();
      }
      Map<String, Object> revisions = new TreeMap<>();
      ControllerDatabase.Listing members = db.members(nwid);
      members.records().forEach((a, m) -> revisions.put(Address.toString(a), ControllerJson.num(m, "revision", 0)));
      return Reply.listing(revisions, members.unreadable());
    }
    long node = parseAddress(p.get(4));
    switch (method) {
      case "GET":
        return db.member(nwid, node).<Reply>map(Reply::ok).orElseGet(ControllerApi::notFound);
      case "POST": {
        Map<String, Object> in = object(body);
        checkMember(in);
        db.updateMember(nwid, node, e -> applyMember(e, in));
        return Reply.ok(db.member(nwid, node).orElseThrow());
      }
      case "DELETE": {
        Optional<Map<String, Object>> m = db.member(nwid, node);
        if (m.isEmpty() || !db.deleteMember(nwid, node)) {
          return notFound();
        }
        return Reply.ok(m.get());
      }
      default:
        return notAllowed();
    }
  }

  /** The Central v1 subset, {@code p} being the segments after {@code /api/v1}. */
  Reply central(String method, List<String> p, String body) throws IOException {
    long now = System.currentTimeMillis();
    if (p.equals(List.of("status")) && method.equals("GET")) {
      Map<String, Object> s = new LinkedHashMap<>();
      s.put("id", "controller");
      s.put("type", "CentralStatus");
      s.put("clock", now);
      s.put("apiVersion", "4");
      s.put("readOnlyMode", false);
      return Reply.ok(s);
    }
    if (p.equals(List.of("randomToken")) && method.equals("GET")) {
      return Reply.ok(ApiTokens.randomTokenJson(now));
    }
    if (!p.isEmpty() && p.get(0).equals("user")) {
      return user(method, p, body);
    }
    if (p.isEmpty() || !p.get(0).equals("network") || p.size() > 4) {
      return notFound();
    }
    if (p.size() == 1) {
      switch (method) {
        case "GET": {
          List<Object> out = new ArrayList<>();
          ControllerDatabase.Listing networks = db.networks();
          List<String> unreadable = new ArrayList<>(networks.unreadable());
          for (Map.Entry<Long, Map<String, Object>> n : networks.records().entrySet()) {
            out.add(centralNetwork(n.getKey(), n.getValue(), now, unreadable));
          }
          return Reply.listing(out, unreadable);
        }
        case "POST": {
          Map<String, Object> in = object(body);
          Map<String, Object> flat = centralNetworkBody(in);
          long nwid = db.createNetwork(e -> applyNetwork(e, flat));
          return Reply.ok(centralNetwork(nwid, db.network(nwid).orElseThrow(), now));
        }
        default:
          return notAllowed();
      }
    }
    long nwid = parseNetworkId(p.get(1));
    if (p.size() == 2) {
      switch (method) {
        case "GET": {
          Optional<Map<String, Object>> n = db.network(nwid);
          return n.isPresent() ? Reply.ok(centralNetwork(nwid, n.get(), now)) : notFound();
        }
        case "POST": {
          if (db.network(nwid).isEmpty()) {
            return notFound();
          }
          Map<String, Object> flat = centralNetworkBody(object(body));
          db.updateNetwork(nwid, e -> applyNetwork(e, flat));
          return Reply.ok(centralNetwork(nwid, db.network(nwid).orElseThrow(), now));
        }
        case "DELETE":
          return db.deleteNetwork(nwid) ? Reply.ok(Map.of()) : notFound();
        default:
          return notAllowed();
      }
    }
    if (!p.get(2).equals("member") || db.network(nwid).isEmpty()) {
      return notFound();
    }
    if (p.size() == 3) {
      if (!method.equals("GET")) {
        return notAllowed();
      }
      List<Object> out = new ArrayList<>();
      ControllerDatabase.Listing members = db.members(nwid);
      members.records().forEach((a, m) -> out.add(centralMember(nwid, a, m, now)));
      return Reply.listing(out, members.unreadable());
    }
    long node = parseMemberId(nwid, p.get(3));
    switch (method) {
      case "GET":
        return db.member(nwid, node).<Reply>map(m -> Reply.ok(centralMember(nwid, node, m, now)))
            .orElseGet(ControllerApi::notFound);
      case "POST": {
        Map<String, Object> in = object(body);
        Map<String, Object> flat = new LinkedHashMap<>();
        Object config = in.get("config");
        if (config instanceof Map<?, ?> c) {
          for (Map.Entry<?, ?> e : c.entrySet()) {
            flat.put((String) e.getKey(), e.getValue());
          }
        } else if (config != null && config != ControllerJson.NULL) {
          throw new BadRequest("config must be an object");
        }
        if (in.containsKey("name")) {
          flat.put("name", in.get("name"));
        }
        checkMember(flat);
        db.updateMember(nwid, node, e -> applyMember(e, flat));
        return Reply.ok(centralMember(nwid, node, db.member(nwid, node).orElseThrow(), now));
      }
      case "DELETE":
        return db.deleteMember(nwid, node) ? Reply.ok(Map.of()) : notFound();
      default:
        return notAllowed();
    }
  }

  /**
   * {@code /user/{id}}, {@code /user/{id}/token}, {@code /user/{id}/token/{name}}: the controller has one user, named
   * by the controller's address or {@code self}. Token values are never answered back.
   */
  private Reply user(String method, List<String> p, String body) throws IOException {
    if (p.size() < 2 || p.size() > 4) {
      return notFound();
    }
    String userId = Address.toString(db.controllerAddress());
    if (!p.get(1).equals(SELF) && !p.get(1).equalsIgnoreCase(userId)) {
      return notFound();
    }
    if (p.size() == 2) {
      if (!method.equals("GET")) {
        return notAllowed();
      }
      Map<String, Object> perms = new LinkedHashMap<>();
      for (String k : List.of("a", "d", "m", "r")) {
        perms.put(k, true);
      }
      Map<String, Object> u = new LinkedHashMap<>();
      u.put("id", userId);
      u.put("orgId", "");
      u.put("globalPermissions", perms);
      u.put("displayName", "controller " + userId);
      u.put("email", "");
      u.put("auth", new LinkedHashMap<>());
      u.put("smsNumber", "");
      u.put("tokens", new ArrayList<Object>(userTokens.names()));
      return Reply.ok(u);
    }
    if (!p.get(2).equals("token")) {
      return notFound();
    }
    if (p.size() == 3) {
      if (!method.equals("POST")) {
        return notAllowed();
      }
      Map<String, Object> in = object(body);
      String name = string("tokenName", in.get("tokenName"));
      userTokens.add(name, string("token", in.get("token")));
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("tokenName", name); // the token itself stays write-only
      return Reply.ok(out);
    }
    if (!method.equals("DELETE")) {
      return notAllowed();
    }
    return userTokens.remove(p.get(3)) ? Reply.ok(Map.of()) : notFound();
  }

  /** The user ID that always names the controller's one user. */
  static final String SELF = "self";

  // ------------------------------------------------------------------------------------------------ Central shapes

  private Map<String, Object> centralNetwork(long nwid, Map<String, Object> n, long now) throws IOException {
    return centralNetwork(nwid, n, now, new ArrayList<>());
  }

  /** Central's network object; member records that could not be counted are added to {@code unreadable}. */
  private Map<String, Object> centralNetwork(long nwid, Map<String, Object> n, long now, List<String> unreadable)
      throws IOException {
    Map<String, Object> config = new LinkedHashMap<>();
    for (String k : List.of("id", "creationTime", "capabilities", "enableBroadcast", "ipAssignmentPools", "mtu",
        "multicastLimit", "name", "private", "routes", "rules", "tags", "v4AssignMode", "v6AssignMode")) {
      config.put(k, n.getOrDefault(k, ControllerJson.NULL));
    }
    Object dns = n.get("dns");
    config.put("dns", dns instanceof Map ? dns : ControllerJson.NULL); // zerotier-one writes [] for "no DNS"
    config.put("lastModified", n.getOrDefault("lastModified", ControllerJson.NULL));
    int total = 0;
    int authorized = 0;
    ControllerDatabase.Listing members = db.members(nwid);
    unreadable.addAll(members.unreadable());
    for (Map<String, Object> m : members.records().values()) {
      total++;
      if (ControllerJson.bool(m, "authorized", false)) {
        authorized++;
      }
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", NetworkId.toString(nwid));
    out.put("type", "Network");
    out.put("clock", now);
    out.put("config", config);
    out.put("description", "");
    out.put("rulesSource", n.getOrDefault("rulesSource", ""));
    out.put("ownerId", "");
    out.put("authorizedMemberCount", (long) authorized);
    out.put("totalMemberCount", (long) total);
    out.put("capabilitiesByName", new LinkedHashMap<>());
    out.put("tagsByName", new LinkedHashMap<>());
    return out;
  }

  private Map<String, Object> centralMember(long nwid, long node, Map<String, Object> m, long now) {
    Map<String, Object> config = new LinkedHashMap<>();
    for (String k : List.of("activeBridge", "authorized", "capabilities", "creationTime", "id", "identity",
        "ipAssignments", "lastAuthorizedTime", "lastDeauthorizedTime", "noAutoAssignIps", "revision", "ssoExempt",
        "tags", "vMajor", "vMinor", "vRev", "vProto")) {
      config.put(k, m.getOrDefault(k, ControllerJson.NULL));
    }
    long major = ControllerJson.num(m, "vMajor", -1);
    long minor = ControllerJson.num(m, "vMinor", -1);
    long rev = ControllerJson.num(m, "vRev", -1);
    long proto = ControllerJson.num(m, "vProto", -1);
    Map<String, Object> out = new LinkedHashMap<>();
    String a = Address.toString(node);
    out.put("id", NetworkId.toString(nwid) + "-" + a);
    out.put("type", "Member");
    out.put("clock", now);
    out.put("networkId", NetworkId.toString(nwid));
    out.put("nodeId", a);
    out.put("controllerId", Address.toString(db.controllerAddress()));
    out.put("hidden", false);
    out.put("name", m.getOrDefault("name", ""));
    out.put("description", "");
    out.put("config", config);
    out.put("clientVersion", major >= 0 ? major + "." + minor + "." + rev : ControllerJson.NULL);
    out.put("protocolVersion", proto >= 0 ? proto : ControllerJson.NULL);
    out.put("supportsRulesEngine", proto >= 7);
    return out;
  }

  /** Central's {@code {config: {...}, rulesSource}} as the flat fields the controller keeps. */
  private static Map<String, Object> centralNetworkBody(Map<String, Object> in) {
    Map<String, Object> flat = new LinkedHashMap<>();
    Object config = in.get("config");
    if (config instanceof Map<?, ?> c) {
      for (Map.Entry<?, ?> e : c.entrySet()) {
        String k = (String) e.getKey();
        if (NETWORK_FIELDS.contains(k)) {
          flat.put(k, e.getValue());
        }
      }
    } else if (config != null && config != ControllerJson.NULL) {
      throw new BadRequest("config must be an object");
    }
    if (in.get("rulesSource") instanceof String s) {
      flat.put("rulesSource", s);
    }
    return flat;
  }

  // ------------------------------------------------------------------------------------------------ edits

  /** Applies the known fields of a flat network object; unknown fields are ignored as zerotier-one does. */
  static void applyNetwork(NetworkEditor e, Map<String, Object> in) {
    Map<String, Object> n = e.json();
    for (Map.Entry<String, Object> f : in.entrySet()) {
      String k = f.getKey();
      Object v = f.getValue();
      if (!NETWORK_FIELDS.contains(k)) {
        continue;
      }
      switch (k) {
        case "name", "rulesSource", "clientId", "authorizationEndpoint" -> n.put(k, string(k, v));
        case "private", "enableBroadcast", "ssoEnabled" -> n.put(k, bool(k, v));
        case "mtu" -> e.mtu((int) range(k, v, 1280, 10000));
        case "multicastLimit" -> e.multicastLimit((int) range(k, v, 0, 1 << 20));
        case "remoteTraceLevel" -> n.put(k, range(k, v, 0, 255));
        case "remoteTraceTarget" -> n.put(k, v == ControllerJson.NULL ? ControllerJson.NULL : string(k, v));
        case "v4AssignMode", "v6AssignMode" -> {
          Map<String, Object> merged = new LinkedHashMap<>(objectOrEmpty(n.get(k)));
          for (Map.Entry<String, Object> m : object(k, v).entrySet()) {
            if (Set.of("zt", "rfc4193", "6plane").contains(m.getKey())) {
              merged.put(m.getKey(), bool(k + "." + m.getKey(), m.getValue()));
            }
          }
          n.put(k, merged);
        }
        case "ipAssignmentPools" -> {
          e.clearPools();
          for (Object o : list(k, v)) {
            Map<String, Object> pool = object(k + "[]", o);
            e.addPool(ip(string("ipRangeStart", pool.get("ipRangeStart"))),
                ip(string("ipRangeEnd", pool.get("ipRangeEnd"))));
          }
        }
        case "routes" -> {
          e.clearRoutes();
          for (Object o : list(k, v)) {
            Map<String, Object> r = object(k + "[]", o);
            IpPrefix target;
            try {
              target = IpPrefix.parse(string("target", r.get("target")));
            } catch (IllegalArgumentException x) {
              throw new BadRequest("routes: " + x.getMessage());
            }
            Object via = r.get("via");
            e.addRoute(target, via == null || via == ControllerJson.NULL ? null : ip(string("via", via)));
          }
        }
        case "rules" -> {
          RuleSchema.checkRules(k, v);
          n.put(k, v);
        }
        case "capabilities" -> {
          RuleSchema.checkCapabilities(k, v);
          n.put(k, v);
        }
        case "tags" -> {
          RuleSchema.checkTags(k, v);
          n.put(k, v);
        }
        case "dns" -> {
          if (v instanceof List<?> l && l.isEmpty() || v == ControllerJson.NULL) {
            n.put(k, new ArrayList<>());
          } else {
            Map<String, Object> d = object(k, v);
            List<java.net.InetAddress> servers = new ArrayList<>();
            Object s = d.get("servers");
            if (s != null && s != ControllerJson.NULL) {
              for (Object o : list("dns.servers", s)) {
                servers.add(ip(string("dns.servers[]", o)));
              }
            }
            if (servers.size() > 4) {
              throw new BadRequest("dns.servers: at most 4");
            }
            Object domain = d.get("domain");
            e.dns(domain == null || domain == ControllerJson.NULL ? "" : string("dns.domain", domain), servers);
          }
        }
        default -> throw new IllegalStateException(k);
      }
    }
  }

  /** Validates a flat member object before the database is touched (the edit callback cannot fail cleanly). */
  static void checkMember(Map<String, Object> in) {
    applyMember(null, in);
  }

  /** Applies the known fields of a flat member object (validates only when {@code e} is null). */
  static void applyMember(@Nullable MemberEditor e, Map<String, Object> in) {
    for (Map.Entry<String, Object> f : in.entrySet()) {
      String k = f.getKey();
      Object v = f.getValue();
      switch (k) {
        case "authorized" -> {
          boolean b = bool(k, v);
          if (e != null) {
            e.authorized(b);
          }
        }
        case "activeBridge", "noAutoAssignIps", "ssoExempt" -> {
          boolean b = bool(k, v);
          if (e != null) {
            e.json().put(k, b);
          }
        }
        case "name" -> {
          String s = string(k, v);
          if (e != null) {
            e.name(s);
          }
        }
        case "remoteTraceLevel" -> {
          long l = range(k, v, 0, 255);
          if (e != null) {
            e.json().put(k, l);
          }
        }
        case "remoteTraceTarget" -> {
          Object t = v == ControllerJson.NULL ? ControllerJson.NULL : string(k, v);
          if (e != null) {
            e.json().put(k, t);
          }
        }
        case "ipAssignments" -> {
          List<java.net.InetAddress> ips = new ArrayList<>();
          for (Object o : list(k, v)) {
            ips.add(ip(string(k + "[]", o)));
          }
          if (e != null) {
            e.ipAssignments(ips);
          }
        }
        case "capabilities" -> {
          List<Long> ids = new ArrayList<>();
          for (Object o : list(k, v)) {
            ids.add(range(k + "[]", o, 0, 0xffffffffL));
          }
          if (e != null) {
            e.capabilities(ids);
          }
        }
        case "tags" -> {
          List<Object> tags = new ArrayList<>();
          for (Object o : list(k, v)) {
            List<Object> pair = list(k + "[]", o);
            if (pair.size() != 2) {
              throw new BadRequest("tags: each tag is an [id, value] pair");
            }
            tags.add(new ArrayList<>(List.of(tagNumber(pair.get(0)), tagNumber(pair.get(1)))));
          }
          if (e != null) {
            e.json().put(k, tags);
          }
        }
        default -> {
          // identity, revision, versions, timestamps: kept by the controller; unknown fields ignored
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ parsing

  private static Map<String, Object> object(String body) {
    if (body.isBlank()) {
      return new LinkedHashMap<>();
    }
    try {
      return ControllerJson.parseObject(body);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }

  private static long parseNetworkId(String s) {
    if (!s.matches("[0-9a-fA-F]{16}")) {
      throw new NotFound();
    }
    return Long.parseUnsignedLong(s, 16);
  }

  private static long parseAddress(String s) {
    if (!s.matches("[0-9a-fA-F]{10}")) {
      throw new NotFound();
    }
    return Long.parseLong(s, 16);
  }

  /** Central names members by node ID or by {@code <network>-<node>}. */
  private static long parseMemberId(long nwid, String s) {
    String prefix = NetworkId.toString(nwid) + "-";
    return parseAddress(s.regionMatches(true, 0, prefix, 0, prefix.length()) ? s.substring(prefix.length()) : s);
  }

  /** A path naming nothing (answered 404). */
  static final class NotFound extends RuntimeException {
    NotFound() {
      super("not found", null, false, false);
    }
  }

  static Reply notFound() {
    return Reply.error(404, "not found");
  }

  private static Reply notAllowed() {
    return Reply.error(405, "method not allowed");
  }

  private static String string(String k, @Nullable Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw new BadRequest(k + ": expected a string");
  }

  private static boolean bool(String k, @Nullable Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new BadRequest(k + ": expected true or false");
  }

  private static long range(String k, @Nullable Object v, long min, long max) {
    if (v instanceof Number n && n.doubleValue() == n.longValue() && n.longValue() >= min && n.longValue() <= max) {
      return n.longValue();
    }
    throw new BadRequest(k + ": expected an integer in " + min + ".." + max);
  }

  private static long tagNumber(@Nullable Object v) {
    if (v instanceof Boolean b) {
      return b ? 1 : 0;
    }
    return range("tags", v, 0, 0xffffffffL);
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(String k, @Nullable Object v) {
    if (v instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw new BadRequest(k + ": expected an array");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> object(String k, @Nullable Object v) {
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    throw new BadRequest(k + ": expected an object");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> objectOrEmpty(@Nullable Object v) {
    return v instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static java.net.InetAddress ip(String s) {
    try {
      return IpPrefix.parseIp(s);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(e.getMessage());
    }
  }
}
