package dev.ztjvm.controller;

import dev.ztjvm.controller.internal.RuleJson;
import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.network.MulticastSubscriptions;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.node.Vl2Hook;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl2.Capability;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.CertificateOfOwnership;
import dev.ztjvm.vl2.ConfigChunk;
import dev.ztjvm.vl2.ConfigRequest;
import dev.ztjvm.vl2.Dictionary;
import dev.ztjvm.vl2.DnsConfig;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.ManagedAddresses;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkCredentials;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.Revocation;
import dev.ztjvm.vl2.Route;
import dev.ztjvm.vl2.Rule;
import dev.ztjvm.vl2.Tag;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * An embedded network controller on a {@link Vl1Node} (spec 7.8): answers NETWORK_CONFIG_REQUEST for networks whose
 * ID starts with this node's address from a {@link ControllerDatabase}, issues and signs COMs, COOs, tags,
 * capabilities and config chunks with the node's identity, pushes fresh configs (NETWORK_CONFIG) to members that asked
 * recently whenever their network or member record changes (through the Java API or by another process editing the
 * store, polled every second), broadcasts a COM revocation when a member is de-authorized, and answers multicast
 * gathers for its networks.
 */
public final class NetworkController implements Vl2Hook, NetworkManager.LocalController, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(NetworkController.class.getName());

  /** Members that requested within this window get pushes (1.x: 120 s; members refresh every 60 s). */
  static final long PUSH_WINDOW_MILLIS = 120_000;
  static final long REQUEST_RATE_LIMIT_MILLIS = 1_000;
  static final long POLL_MILLIS = 1_000;
  static final long DEFAULT_CTMD = 1_800_000;

  private final Vl1Node node;
  private final ControllerDatabase db;
  private final Identity identity;
  private final long self;
  private final SplittableRandom random = new SplittableRandom();
  private final Map<Long, Map<Long, Session>> sessions = new HashMap<>();
  private final Map<Long, MulticastSubscriptions> multicast = new HashMap<>();
  private final AtomicLong configsSent = new AtomicLong();
  private final AtomicLong errorsSent = new AtomicLong();
  private EventLoop.@Nullable Timer timer;
  private volatile boolean running;
  private volatile @Nullable NetworkManager localMember;

  /** A member that has talked to us recently. */
  private static final class Session {
    final Identity identity;
    long lastRequest = Long.MIN_VALUE / 2;
    long lastRequestPacketId;
    ConfigRequest.Metadata metadata;
    boolean authorized;

    Session(Identity identity, ConfigRequest.Metadata metadata) {
      this.identity = identity;
      this.metadata = metadata;
    }
  }

  public NetworkController(Vl1Node node, ControllerDatabase db) {
    this.node = Objects.requireNonNull(node, "node");
    this.db = Objects.requireNonNull(db, "db");
    this.identity = node.identity();
    this.self = node.address();
    if (db.controllerAddress() != self) {
      throw new IllegalArgumentException("database is for controller " + Address.toString(db.controllerAddress())
          + " but the node is " + Address.toString(self));
    }
    db.addListener(c -> {
      if (running) {
        node.loop().execute(() -> changed(c));
      }
    });
  }

  public ControllerDatabase database() {
    return db;
  }

  /** Configs sent so far (answers and pushes). */
  public long configsSent() {
    return configsSent.get();
  }

  /** Errors (not found / access denied) sent so far. */
  public long errorsSent() {
    return errorsSent.get();
  }

  /** Installs the controller as the node's VL2 hook (a controller-only node) and starts watching the store. */
  public void start() {
    node.loop().execute(() -> {
      node.setVl2Hook(this);
      begin();
    });
  }

  /**
   * Starts behind a member-side manager on the same node: it forwards requests, LIKEs and GATHERs here, and this node
   * may join its own networks (their configs are issued locally).
   */
  public void startBehind(NetworkManager manager) {
    localMember = manager;
    manager.setControllerHook(this);
    manager.setLocalController(this);
    node.loop().execute(this::begin);
  }

  private void begin() {
    if (running) {
      return;
    }
    running = true;
    try {
      db.store().pollExternalChanges(); // baseline
    } catch (IOException e) {
      LOG.log(Level.WARNING, "controller store not readable", e);
    }
    // A shared store tells us of other instances' changes as they happen (PostgreSQL NOTIFY) instead of at the poll.
    db.store().watch(c -> {
      if (running) {
        node.loop().execute(() -> changed(c));
      }
    });
    schedulePoll();
  }

  @Override
  public void close() {
    running = false;
    node.loop().execute(() -> {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
    });
  }

  private void schedulePoll() {
    timer = node.loop().schedule(POLL_MILLIS * 1_000_000L, () -> {
      if (!running) {
        return;
      }
      try {
        for (ControllerStore.Change c : db.store().pollExternalChanges()) {
          changed(c);
        }
        for (ControllerStore.MemberSession orphan : db.store().orphanedSessions()) {
          adopt(orphan);
        }
      } catch (IOException | RuntimeException e) {
        LOG.log(Level.WARNING, "polling the controller store failed", e);
      }
      schedulePoll();
    });
  }

  // ------------------------------------------------------------------------------------------------ receive

  @Override
  public void onPacket(Vl1Node n, long source, int verbCode, byte[] pkt, int off, int len, int hops, long now) {
    try {
      int p = off + Packet.IDX_PAYLOAD;
      int end = off + len;
      switch (verbCode) {
        case 0x0b -> receiveRequest(source, Packet.packetId(pkt, off), pkt, p, end, now);
        case 0x09 -> receiveLike(source, pkt, p, end, now);
        case 0x0d -> receiveGather(source, Packet.packetId(pkt, off), pkt, p, end, now);
        default -> {
        } // OK(NETWORK_CONFIG) acknowledgements and the rest: nothing to do
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "controller store failed while answering " + Address.toString(source), e);
    } catch (RuntimeException e) {
      if (!(e instanceof IllegalArgumentException)) {
        LOG.log(Level.WARNING, "unexpected error in controller receive path", e);
      }
    }
  }

  private void receiveRequest(long source, long packetId, byte[] pkt, int p, int end, long now) throws IOException {
    ConfigRequest req = ConfigRequest.parse(pkt, p, end - p);
    long nwid = req.networkId();
    if (NetworkId.controllerAddress(nwid) != self) {
      return; // not ours: ignored, as 1.x does
    }
    Identity id = node.peerIdentity(source);
    if (id == null) {
      return;
    }
    Map<Long, Session> net = sessions.computeIfAbsent(nwid, k -> new HashMap<>());
    Session s = net.get(source);
    if (s == null || !s.identity.equals(id)) {
      s = new Session(id, req.metadata());
      net.put(source, s);
    } else if (now - s.lastRequest < REQUEST_RATE_LIMIT_MILLIS) {
      return;
    }
    s.lastRequest = now;
    s.lastRequestPacketId = packetId;
    s.metadata = req.metadata();
    db.store().memberRequested(nwid, source, req.metadata().toDictionary().toBytes());
    answer(nwid, source, s, packetId, now);
  }

  /**
   * Serves a member whose controller instance (another process sharing the store, same identity) stopped: a session
   * from what it last asked there, and its current config pushed (it would otherwise wait for its next refresh).
   */
  private void adopt(ControllerStore.MemberSession orphan) throws IOException {
    long nwid = orphan.networkId();
    long address = orphan.memberAddress();
    String known = db.member(nwid, address).map(m -> ControllerJson.str(m, "identity")).orElse(null);
    if (known == null || known.isEmpty() || address == self) {
      return;
    }
    ConfigRequest.Metadata metadata;
    Identity id;
    try {
      metadata = ConfigRequest.Metadata.fromDictionary(Dictionary.parse(orphan.requestMetadata()));
      id = Identity.parse(known);
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "cannot take over member " + Address.toString(address) + ": " + e.getMessage());
      return;
    }
    long now = node.now();
    Session s = new Session(id, metadata);
    s.lastRequest = now;
    sessions.computeIfAbsent(nwid, k -> new HashMap<>()).put(address, s);
    db.store().memberRequested(nwid, address, orphan.requestMetadata());
    answer(nwid, address, s, 0, now);
  }

  /** What the controller decided for one member: a config, or an error (with the network for SSO details). */
  private record Outcome(@Nullable NetworkConfig config, @Nullable ErrorCode error, Map<String, Object> network) {}

  /** Answers (packetId ≠ 0) or pushes (packetId = 0) the member's config or the reason it gets none. */
  private void answer(long nwid, long address, Session s, long packetId, long now) throws IOException {
    if (address == self) {
      NetworkManager m = localMember;
      if (m != null) {
        m.refresh(nwid); // our own membership: the manager asks us again directly
      }
      return;
    }
    Outcome o = decide(nwid, address, s, now);
    long inRe = packetId != 0 ? packetId : s.lastRequestPacketId;
    if (o.config() != null) {
      sendConfig(address, nwid, o.config(), packetId);
    } else if (o.error() == ErrorCode.NETWORK_AUTHENTICATION_REQUIRED) {
      authenticationRequired(address, inRe, nwid, o.network());
    } else if (o.error() != null) {
      error(address, inRe, o.error(), nwid);
    }
  }

  /**
   * Answers this node's own request for one of its networks (a controller that is also a member, as zerotier-one
   * allows): the config, or the error a remote member would get.
   */
  @Override
  public NetworkManager.LocalAnswer requestLocal(long nwid, ConfigRequest.Metadata metadata) {
    try {
      Map<Long, Session> net = sessions.computeIfAbsent(nwid, k -> new HashMap<>());
      Session s = net.computeIfAbsent(self, k -> new Session(identity.publicOnly(), metadata));
      long now = node.now();
      s.lastRequest = now;
      s.metadata = metadata;
      Outcome o = decide(nwid, self, s, now);
      return new NetworkManager.LocalAnswer(o.config(), o.error());
    } catch (IOException e) {
      LOG.log(Level.WARNING, "controller store failed answering our own request", e);
      return new NetworkManager.LocalAnswer(null, ErrorCode.OBJ_NOT_FOUND);
    }
  }

  /**
   * Reads the member, decides and saves what changed as one step under the database's lock: an authorization saved
   * by another writer (the command line, the API) in between would otherwise be overwritten.
   */
  private Outcome decide(long nwid, long address, Session s, long now) throws IOException {
    return db.locked(() -> decideLocked(nwid, address, s, now));
  }

  private Outcome decideLocked(long nwid, long address, Session s, long now) throws IOException {
    Optional<Map<String, Object>> network = db.network(nwid);
    if (network.isEmpty()) {
      s.authorized = false;
      return new Outcome(null, ErrorCode.OBJ_NOT_FOUND, Map.of());
    }
    Map<String, Object> net = network.get();
    Optional<Map<String, Object>> existing = db.member(nwid, address);
    Map<String, Object> m = existing.orElseGet(() -> ControllerDatabase.defaultMember(nwid, address, now));
    Map<String, Object> before = existing.isPresent() ? ControllerJson.copy(m) : Map.of();
    String known = ControllerJson.str(m, "identity");
    String presented = s.identity.toPublicString();
    if (known != null && !known.isEmpty() && !known.equals(presented)) {
      s.authorized = false;
      return new Outcome(null, ErrorCode.NETWORK_ACCESS_DENIED, net);
    }
    m.put("identity", presented);
    boolean authorized = ControllerJson.bool(m, "authorized", false);
    if (!authorized && !ControllerJson.bool(net, "private", true)) {
      authorized = true;
      m.put("authorized", true);
      m.put("lastAuthorizedTime", now);
      m.put("lastAuthorizedCredentialType", "public");
    }
    String token = s.metadata.authToken();
    Map<String, Object> tokens = ControllerJson.obj(net, "authTokens");
    if (!authorized && token != null && tokens != null && tokens.get(token) instanceof Number exp
        && (exp.longValue() == 0 || exp.longValue() > now)) {
      authorized = true;
      m.put("authorized", true);
      m.put("lastAuthorizedTime", now);
      m.put("lastAuthorizedCredentialType", "token");
      m.put("lastAuthorizedCredential", token);
    }
    if (authorized && ControllerJson.bool(net, "ssoEnabled", false) && !ControllerJson.bool(m, "ssoExempt", false)
        && ControllerJson.num(m, "authenticationExpiryTime", 0) <= now) {
      db.saveMemberQuietly(nwid, address, m, before);
      s.authorized = false;
      return new Outcome(null, ErrorCode.NETWORK_AUTHENTICATION_REQUIRED, net);
    }
    if (!authorized) {
      db.saveMemberQuietly(nwid, address, m, before);
      s.authorized = false;
      return new Outcome(null, ErrorCode.NETWORK_ACCESS_DENIED, net);
    }
    ConfigRequest.Metadata md = s.metadata;
    m.put("vMajor", md.majorVersion());
    m.put("vMinor", md.minorVersion());
    m.put("vRev", md.revision());
    m.put("vProto", md.protocolVersion());
    NetworkConfig config = buildConfig(nwid, net, address, s.identity, m, md, now);
    db.saveMemberQuietly(nwid, address, m, before);
    s.authorized = true;
    return new Outcome(config, null, net);
  }

  private void error(long to, long inRePacketId, ErrorCode code, long nwid) {
    if (inRePacketId == 0) {
      return;
    }
    errorsSent.incrementAndGet();
    WireWriter w = node.begin(to, Verb.ERROR);
    w.u8(Verb.NETWORK_CONFIG_REQUEST.code()).u64(inRePacketId).u8(code.code()).u64(nwid);
    node.send(w, false, false);
  }

  private void authenticationRequired(long to, long inRePacketId, long nwid, Map<String, Object> net) {
    if (inRePacketId == 0) {
      return;
    }
    errorsSent.incrementAndGet();
    Dictionary d = new Dictionary().putU64("aV", 0);
    String url = ControllerJson.str(net, "authorizationEndpoint");
    d.putString("aU", url == null ? "" : url);
    byte[] dict = d.toBytes();
    WireWriter w = node.begin(to, Verb.ERROR);
    w.u8(Verb.NETWORK_CONFIG_REQUEST.code()).u64(inRePacketId).u8(ErrorCode.NETWORK_AUTHENTICATION_REQUIRED.code())
        .u64(nwid).u16(dict.length).bytes(dict);
    node.send(w, false, false);
  }

  private void sendConfig(long to, long nwid, NetworkConfig config, long inRePacketId) {
    byte[] dict = config.toBytes();
    long updateId;
    do {
      updateId = random.nextLong();
    } while (updateId == 0);
    for (ConfigChunk chunk : ConfigChunk.sign(identity, nwid, dict, updateId, 0)) {
      byte[] data = chunk.toBytes();
      WireWriter w;
      if (inRePacketId != 0) {
        w = node.begin(to, Verb.OK);
        w.u8(Verb.NETWORK_CONFIG_REQUEST.code()).u64(inRePacketId).bytes(data);
        node.send(w, true, false);
      } else {
        w = node.begin(to, Verb.NETWORK_CONFIG);
        w.bytes(data);
        node.send(w, true, true);
      }
    }
    configsSent.incrementAndGet();
  }

  // ------------------------------------------------------------------------------------------------ config building

  private NetworkConfig buildConfig(long nwid, Map<String, Object> net, long address, Identity member,
      Map<String, Object> m, ConfigRequest.Metadata md, long now) throws IOException {
    long ctmd = Math.max(300_000,
        Math.min(7_200_000, ControllerJson.num(net, "certificateTimeoutWindowSize", DEFAULT_CTMD)));
    Map<String, Object> v6 = ControllerJson.obj(net, "v6AssignMode");
    boolean rfc4193 = v6 != null && ControllerJson.bool(v6, "rfc4193", false);
    boolean sixPlane = v6 != null && ControllerJson.bool(v6, "6plane", false);
    long flags = 0;
    if (ControllerJson.bool(net, "enableBroadcast", true)) {
      flags |= NetworkConfig.FLAG_ENABLE_BROADCAST;
    }
    if (rfc4193 || sixPlane) {
      flags |= NetworkConfig.FLAG_ENABLE_IPV6_NDP_EMULATION;
    }
    NetworkConfig.Builder b = NetworkConfig.builder(nwid, address)
        .timestamp(now)
        .credentialTimeMaxDelta(ctmd)
        .revision(ControllerJson.num(net, "revision", 0))
        .flags(flags)
        .multicastLimit(ControllerJson.num(net, "multicastLimit", 32))
        .type(ControllerJson.bool(net, "private", true) ? NetworkConfig.TYPE_PRIVATE : NetworkConfig.TYPE_PUBLIC)
        .name(truncate(Objects.requireNonNullElse(ControllerJson.str(net, "name"), "")))
        .mtu((int) Math.max(NetworkConfig.MIN_MTU,
            Math.min(NetworkConfig.MAX_MTU, ControllerJson.num(net, "mtu", 2800))));
    String trace = ControllerJson.str(net, "remoteTraceTarget");
    if (trace != null && trace.length() == 10) {
      b.remoteTrace(Address.parse(trace), ControllerJson.num(net, "remoteTraceLevel", 0));
    }
    // active bridges
    List<Long> specialists = new ArrayList<>();
    Map<Long, Map<String, Object>> members = db.members(nwid).records(); // unreadable records are passed over
    for (long a : db.memberAddresses(nwid)) {
      Map<String, Object> o = a == address ? m : members.get(a);
      if (o != null && ControllerJson.bool(o, "activeBridge", false) && ControllerJson.bool(o, "authorized", false)) {
        specialists.add(a | NetworkConfig.SPECIALIST_ACTIVE_BRIDGE);
      }
    }
    b.specialists(specialists);
    // rules, capabilities, tags
    List<Rule> rules = md.rulesEngineRevision() == 0 ? List.of(Rule.accept()) : RuleJson.fromJsonList(net.get("rules"));
    b.rules(rules.size() > Rule.MAX_NETWORK_RULES ? rules.subList(0, Rule.MAX_NETWORK_RULES) : rules);
    b.capabilities(capabilities(nwid, net, address, m, now));
    b.tags(tags(nwid, net, address, m, now));
    // routes
    List<Route> routes = new ArrayList<>();
    for (Object o : ControllerJson.list(net, "routes")) {
      if (o instanceof Map<?, ?> r) {
        @SuppressWarnings("unchecked") Map<String, Object> rm = (Map<String, Object>) r;
        String target = ControllerJson.str(rm, "target");
        if (target == null) {
          continue;
        }
        String via = ControllerJson.str(rm, "via");
        routes.add(new Route(IpPrefix.parse(target), via == null ? null : new IpPrefix(IpPrefix.parseIp(via), 0),
            (int) ControllerJson.num(rm, "flags", 0), (int) ControllerJson.num(rm, "metric", 0)));
      }
    }
    b.routes(routes);
    // addresses
    List<IpPrefix> ips = assignAddresses(nwid, net, address, m, routes, rfc4193, sixPlane);
    b.staticIps(ips);
    // DNS
    Map<String, Object> dns = ControllerJson.obj(net, "dns");
    if (dns != null) {
      List<InetSocketAddress> servers = new ArrayList<>();
      for (Object o : ControllerJson.list(dns, "servers")) {
        if (o instanceof String s && servers.size() < DnsConfig.MAX_SERVERS) {
          servers.add(new InetSocketAddress(IpPrefix.parseIp(s), 53));
        }
      }
      b.dns(new DnsConfig(Objects.requireNonNullElse(ControllerJson.str(dns, "domain"), ""), servers));
    }
    // certificates
    if (!ips.isEmpty()) {
      List<CertificateOfOwnership.Thing> things = new ArrayList<>();
      for (IpPrefix p : ips) {
        if (things.size() < CertificateOfOwnership.MAX_THINGS) {
          things.add(CertificateOfOwnership.Thing.ip(p.address()));
        }
      }
      b.certificatesOfOwnership(List.of(CertificateOfOwnership.of(nwid, now, 0, 1, things, address).sign(identity)));
    }
    b.com(CertificateOfMembership.issue(nwid, now, ctmd, member).sign(identity));
    return b.build();
  }

  private static String truncate(String name) {
    byte[] u = name.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    return u.length <= NetworkConfig.MAX_NAME_LENGTH ? name
        : new String(u, 0, NetworkConfig.MAX_NAME_LENGTH, java.nio.charset.StandardCharsets.UTF_8);
  }

  @SuppressWarnings("unchecked")
  private List<Capability> capabilities(long nwid, Map<String, Object> net, long address, Map<String, Object> m,
      long now) {
    Set<Long> granted = new HashSet<>();
    for (Object o : ControllerJson.list(m, "capabilities")) {
      if (o instanceof Number n) {
        granted.add(n.longValue());
      }
    }
    List<Capability> out = new ArrayList<>();
    for (Object o : ControllerJson.list(net, "capabilities")) {
      if (!(o instanceof Map<?, ?> c)) {
        continue;
      }
      Map<String, Object> cm = (Map<String, Object>) c;
      long id = ControllerJson.num(cm, "id", -1);
      if (id < 0 || !(granted.contains(id) || ControllerJson.bool(cm, "default", false))) {
        continue;
      }
      List<Rule> rules = RuleJson.fromJsonList(cm.get("rules"));
      if (rules.size() > Rule.MAX_CAPABILITY_RULES || out.size() >= NetworkConfig.MAX_CAPABILITIES) {
        continue;
      }
      out.add(Capability.of(nwid, now, id, rules, Capability.MAX_CUSTODY_CHAIN_LENGTH).sign(identity, address));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  private List<Tag> tags(long nwid, Map<String, Object> net, long address, Map<String, Object> m, long now) {
    Map<Long, Long> values = new java.util.TreeMap<>();
    for (Object o : ControllerJson.list(net, "tags")) {
      if (o instanceof Map<?, ?> t && ((Map<String, Object>) t).get("default") instanceof Number d) {
        values.put(ControllerJson.num((Map<String, Object>) t, "id", 0), d.longValue());
      }
    }
    for (Object o : ControllerJson.list(m, "tags")) {
      if (o instanceof List<?> pair && pair.size() == 2 && pair.get(0) instanceof Number id
          && pair.get(1) instanceof Number v) {
        values.put(id.longValue(), v.longValue());
      }
    }
    List<Tag> out = new ArrayList<>();
    for (Map.Entry<Long, Long> e : values.entrySet()) {
      if (out.size() < NetworkConfig.MAX_TAGS) {
        out.add(Tag.of(nwid, now, e.getKey(), e.getValue() & 0xffffffffL, address).sign(identity));
      }
    }
    return out;
  }

  /** Spec 7.9: explicit assignments inside a route, then RFC4193 / 6PLANE, then IPv4 pools (stored back). */
  private List<IpPrefix> assignAddresses(long nwid, Map<String, Object> net, long address, Map<String, Object> m,
      List<Route> routes, boolean rfc4193, boolean sixPlane) throws IOException {
    List<IpPrefix> out = new ArrayList<>();
    boolean haveV4 = false;
    for (Object o : ControllerJson.list(m, "ipAssignments")) {
      if (!(o instanceof String s)) {
        continue;
      }
      InetAddress a;
      try {
        a = IpPrefix.parseIp(s);
      } catch (IllegalArgumentException e) {
        continue;
      }
      int bits = longestRoute(routes, a);
      if (bits >= 0 && out.size() < NetworkConfig.MAX_STATIC_IPS) {
        out.add(new IpPrefix(a, bits));
        haveV4 |= a instanceof Inet4Address;
      }
    }
    if (ControllerJson.bool(m, "noAutoAssignIps", false)) {
      return out;
    }
    if (rfc4193) {
      out.add(ManagedAddresses.rfc4193(nwid, address));
    }
    if (sixPlane) {
      out.add(ManagedAddresses.sixPlane(nwid, address));
    }
    Map<String, Object> v4 = ControllerJson.obj(net, "v4AssignMode");
    if (!haveV4 && v4 != null && ControllerJson.bool(v4, "zt", false)) {
      Set<String> allocated = allocated(nwid, address);
      for (Object o : ControllerJson.list(net, "ipAssignmentPools")) {
        if (!(o instanceof Map<?, ?> pool)) {
          continue;
        }
        @SuppressWarnings("unchecked") Map<String, Object> pm = (Map<String, Object>) pool;
        InetAddress first;
        InetAddress last;
        try {
          first = IpPrefix.parseIp(Objects.requireNonNullElse(ControllerJson.str(pm, "ipRangeStart"), ""));
          last = IpPrefix.parseIp(Objects.requireNonNullElse(ControllerJson.str(pm, "ipRangeEnd"), ""));
        } catch (IllegalArgumentException e) {
          continue;
        }
        if (!(first instanceof Inet4Address) || !(last instanceof Inet4Address)) {
          continue;
        }
        long start = Bytes.u32(first.getAddress(), 0);
        long end = Bytes.u32(last.getAddress(), 0);
        if (start == 0 || end < start) {
          continue;
        }
        long len = end - start;
        long counter = address & 0xffffffffL;
        long trials = Math.min(1000, len + 1);
        IpPrefix picked = null;
        for (long t = 0; t < trials && picked == null; t++) {
          long ip = len == 0 ? start : start + (counter % len);
          counter++;
          if ((ip & 0xff) == 0xff) {
            continue;
          }
          byte[] raw = new byte[4];
          Bytes.put32(raw, 0, ip);
          InetAddress a = IpPrefix.ip(raw);
          int bits = longestRoute(routes, a);
          if (bits >= 0 && !allocated.contains(IpPrefix.format(a))) {
            picked = new IpPrefix(a, bits);
          }
        }
        if (picked != null) {
          out.add(picked);
          List<Object> l = ControllerJson.list(m, "ipAssignments");
          l.add(IpPrefix.format(picked.address()));
          m.put("ipAssignments", l);
          break;
        }
      }
    }
    return out;
  }

  private static int longestRoute(List<Route> routes, InetAddress a) {
    int best = -1;
    for (Route r : routes) {
      if (r.via() == null && r.target().contains(a) && r.target().bits() > best) {
        best = r.target().bits();
      }
    }
    if (best < 0) {
      for (Route r : routes) {
        if (r.target().contains(a) && r.target().bits() > best) {
          best = r.target().bits();
        }
      }
    }
    return best;
  }

  private Set<String> allocated(long nwid, long except) throws IOException {
    Set<String> out = new HashSet<>();
    // an unreadable record's addresses are unknown: a pool address could be handed out twice until it is repaired
    for (Map.Entry<Long, Map<String, Object>> member : db.members(nwid).records().entrySet()) {
      if (member.getKey() == except) {
        continue;
      }
      Map<String, Object> o = member.getValue();
      {
        for (Object ip : ControllerJson.list(o, "ipAssignments")) {
          if (ip instanceof String s) {
            try {
              out.add(IpPrefix.format(IpPrefix.parseIp(s)));
            } catch (IllegalArgumentException e) {
              // ignore a malformed entry
            }
          }
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ changes

  private void changed(ControllerStore.Change c) {
    if (!running) {
      return;
    }
    long now = node.now();
    Map<Long, Session> net = sessions.get(c.networkId());
    if (net == null) {
      return;
    }
    try {
      if (c.isNetwork()) {
        for (Map.Entry<Long, Session> e : new ArrayList<>(net.entrySet())) {
          if (now - e.getValue().lastRequest <= PUSH_WINDOW_MILLIS) {
            answer(c.networkId(), e.getKey(), e.getValue(), 0, now);
          }
        }
        return;
      }
      Session s = net.get(c.memberAddress());
      if (s == null) {
        return;
      }
      boolean wasAuthorized = s.authorized;
      if (now - s.lastRequest <= PUSH_WINDOW_MILLIS) {
        answer(c.networkId(), c.memberAddress(), s, 0, now);
      } else {
        s.authorized = db.member(c.networkId(), c.memberAddress())
            .map(m -> ControllerJson.bool(m, "authorized", false)).orElse(false);
      }
      if (wasAuthorized && !s.authorized) {
        revoke(c.networkId(), c.memberAddress(), now);
      }
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "pushing a change of " + NetworkId.toString(c.networkId()) + " failed", e);
    }
  }

  /** Sends every recently active member a COM revocation for a de-authorized member (fast-propagate flag). */
  private void revoke(long nwid, long target, long now) {
    Revocation r = Revocation.of(random.nextInt() & 0x7fffffff, nwid, 0, now, Revocation.FLAG_FAST_PROPAGATE, target,
        Revocation.CREDENTIAL_COM).sign(identity);
    byte[] payload = new NetworkCredentials(List.of(), List.of(), List.of(), List.of(r), List.of()).toBytes();
    MulticastSubscriptions subs = multicast.get(nwid);
    if (subs != null) {
      subs.removeMember(target);
    }
    Map<Long, Session> net = sessions.getOrDefault(nwid, Map.of());
    for (Map.Entry<Long, Session> e : net.entrySet()) {
      if (e.getKey() != target && e.getValue().authorized
          && now - e.getValue().lastRequest <= 5 * PUSH_WINDOW_MILLIS) {
        WireWriter w = node.begin(e.getKey(), Verb.NETWORK_CREDENTIALS);
        w.bytes(payload);
        node.send(w, true, false);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ multicast

  private boolean authorizedSession(long nwid, long address) {
    Map<Long, Session> net = sessions.get(nwid);
    Session s = net == null ? null : net.get(address);
    return s != null && s.authorized;
  }

  private void receiveLike(long source, byte[] pkt, int p, int end, long now) {
    for (; p + 18 <= end; p += 18) {
      long nwid = Bytes.u64(pkt, p);
      if (NetworkId.controllerAddress(nwid) != self || !authorizedSession(nwid, source)) {
        continue;
      }
      multicast.computeIfAbsent(nwid, k -> new MulticastSubscriptions())
          .add(new MulticastGroup(MacAddress.read(pkt, p + 8), (int) Bytes.u32(pkt, p + 14)), source, now);
    }
  }

  private void receiveGather(long source, long packetId, byte[] pkt, int p, int end, long now) {
    if (end - p < 23) {
      return;
    }
    long nwid = Bytes.u64(pkt, p);
    if (NetworkId.controllerAddress(nwid) != self || !authorizedSession(nwid, source)) {
      return;
    }
    MulticastGroup group = new MulticastGroup(MacAddress.read(pkt, p + 9), (int) Bytes.u32(pkt, p + 15));
    long limit = Bytes.u32(pkt, p + 19);
    MulticastSubscriptions subs = multicast.get(nwid);
    if (limit == 0 || subs == null) {
      return;
    }
    List<Long> all = subs.members(group, now, Integer.MAX_VALUE, source, random);
    List<Long> list = all.subList(0, (int) Math.min(all.size(), Math.min(limit, 255)));
    if (list.isEmpty()) {
      return;
    }
    WireWriter w = node.begin(source, Verb.OK);
    w.u8(Verb.MULTICAST_GATHER.code()).u64(packetId).u64(nwid);
    long mac = group.mac();
    w.u16((int) (mac >>> 32)).u32(mac & 0xffffffffL).u32(group.adi() & 0xffffffffL);
    w.u32(all.size()).u16(list.size());
    for (long a : list) {
      w.u40(a);
    }
    node.send(w, true, false);
  }

  /** Network IDs served (those in the store). */
  public List<Long> networkIds() throws IOException {
    return db.networkIds();
  }
}
