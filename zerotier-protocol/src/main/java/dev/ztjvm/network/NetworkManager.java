package dev.ztjvm.network;

import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.node.Vl2Hook;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Responses;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.AdHocNetworks;
import dev.ztjvm.vl2.Capability;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.CertificateOfOwnership;
import dev.ztjvm.vl2.ConfigAssembler;
import dev.ztjvm.vl2.ConfigChunk;
import dev.ztjvm.vl2.ConfigRequest;
import dev.ztjvm.vl2.Dictionary;
import dev.ztjvm.vl2.FilterResult;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MacAddress;
import dev.ztjvm.vl2.MembershipCheck;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.NdpEmulation;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkCredentials;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.Revocation;
import dev.ztjvm.vl2.Rule;
import dev.ztjvm.vl2.RuleEngine;
import dev.ztjvm.vl2.Tag;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The member side of VL2 for one {@link Vl1Node} (spec sections 7 and 8): joins and leaves networks, requests configs
 * from their controllers, reassembles and verifies config chunks, keeps the status model of ZeroTier One, gates frames
 * by certificate of membership, applies the flow rules to every frame in and out, handles multicast (LIKE, GATHER,
 * MULTICAST_FRAME, ARP via ADI) and moves Ethernet frames to and from each network's {@link VirtualTap}.
 *
 * <p>It installs itself as the node's {@link Vl2Hook}. State is confined to the node's loop; the public methods may be
 * called from any thread (they run on the loop and wait for it). Receive paths never throw: bad packets are dropped
 * and counted in {@link #droppedPackets()}.
 */
public final class NetworkManager implements Vl2Hook, AutoCloseable {

  private static final Logger LOG = Logger.getLogger(NetworkManager.class.getName());

  /** Scheduler tick of this layer (config retries, announcements, expiries). */
  static final long TICK_MILLIS = 1_000;
  /** Config request spacing while no config is held (1.x: every 5 s background tick). */
  static final long REQUEST_RETRY_MILLIS = 5_000;
  /** Config refresh period (NETWORK_AUTOCONF_DELAY). */
  static final long AUTOCONF_DELAY_MILLIS = 60_000;
  static final long ANNOUNCE_PERIOD_MILLIS = 60_000;
  static final long GATHER_PERIOD_MILLIS = 60_000;
  static final long PENDING_MULTICAST_MILLIS = 5_000;
  static final long CREDENTIAL_PUSH_MAX_AGE_MILLIS = 500_000;
  static final int MAX_FRAME_PAYLOAD = 10_000;
  private static final int MAX_PENDING_MULTICASTS = 64;

  private final Vl1Node node;
  private final long self;
  private final NetworkOptions options;
  private final @Nullable NetworkCache cache;
  private final Map<Long, Network> networks = new LinkedHashMap<>();
  private final List<NetworkListener> listeners = new CopyOnWriteArrayList<>();
  private final SplittableRandom random = new SplittableRandom();
  private final RuleEngine rules;
  private final FilterResult filter = new FilterResult();
  private final byte[] frameOut = new byte[14 + MAX_FRAME_PAYLOAD];
  private volatile @Nullable Vl2Hook controllerHook;
  private volatile @Nullable LocalController localController;
  private EventLoop.@Nullable Timer timer;
  private boolean started;
  /** Coming online: announce every network's groups again (LIKEs sent while offline were lost). */
  private final dev.ztjvm.node.Vl1Listener onlineListener = new dev.ztjvm.node.Vl1Listener() {
    @Override
    public void onOnlineChanged(boolean online) {
      if (online) {
        node.loop().execute(() -> {
          for (Network n : networks.values()) {
            n.groupsDirty = true;
          }
        });
      }
    }
  };
  private long dropped;
  private long unexpectedErrors;

  public NetworkManager(Vl1Node node, NetworkOptions options) {
    this.node = Objects.requireNonNull(node, "node");
    this.self = node.address();
    this.options = Objects.requireNonNull(options, "options");
    Path storage = options.storage();
    this.cache = storage != null && options.cacheNetworks() ? new NetworkCache(storage) : null;
    SplittableRandom r = new SplittableRandom(random.nextLong());
    this.rules = new RuleEngine(self, r::nextInt);
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /**
   * Installs this manager as the node's VL2 hook, re-joins the networks found in the cache ({@code networks.d}) with
   * their cached configs, and starts the timers.
   */
  public void start() {
    onLoop(() -> {
      if (started) {
        return null;
      }
      started = true;
      node.setVl2Hook(this);
      node.addListener(onlineListener);
      if (cache != null) {
        for (long nwid : cache.joined()) {
          joinOnLoop(nwid);
        }
      }
      scheduleTick();
      return null;
    });
  }

  /** Stops the timers and detaches from the node (joined networks stay in the cache). */
  @Override
  public void close() {
    onLoop(() -> {
      if (timer != null) {
        timer.cancel();
        timer = null;
      }
      started = false;
      node.setVl2Hook(null);
      node.removeListener(onlineListener);
      for (Network n : networks.values()) {
        n.tap.close();
      }
      return null;
    });
  }

  /**
   * Routes NETWORK_CONFIG_REQUEST (and MULTICAST_LIKE / MULTICAST_GATHER / responses to config pushes) to an embedded
   * controller running on the same node. Without one, requests are answered with ERROR UNSUPPORTED_OPERATION.
   */
  public void setControllerHook(@Nullable Vl2Hook hook) {
    this.controllerHook = hook;
  }

  /** What a {@link LocalController} answers: a config, or the error a remote member would get. */
  public record LocalAnswer(@Nullable NetworkConfig config, @Nullable ErrorCode error) {}

  /** An embedded controller on this same node, asked directly for the networks whose controller is this node. */
  @FunctionalInterface
  public interface LocalController {
    LocalAnswer requestLocal(long networkId, ConfigRequest.Metadata metadata);
  }

  /** Lets this node join networks it controls itself (see {@code NetworkController.startBehind}). */
  public void setLocalController(@Nullable LocalController controller) {
    this.localController = controller;
  }

  public void addListener(NetworkListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  public void removeListener(NetworkListener l) {
    listeners.remove(l);
  }

  /** The node this manager runs on. */
  public Vl1Node node() {
    return node;
  }

  EventLoop loop() {
    return node.loop();
  }

  /** Packets dropped as malformed, unauthenticated or unwanted so far. */
  public long droppedPackets() {
    return dropped;
  }

  /** Receive-path failures that were not a parser rejecting bad input (bugs; expected to stay 0). */
  long unexpectedErrors() {
    return unexpectedErrors;
  }

  // ------------------------------------------------------------------------------------------------ public API

  /**
   * Joins a network (no-op if already joined) and returns its virtual port. The config request goes out at once;
   * listen for {@link NetworkListener#onStatusChanged} to see the result.
   */
  public VirtualTap join(long networkId) {
    return onLoop(() -> joinOnLoop(networkId).tap);
  }

  /** Leaves a network: its port closes, nothing more is delivered, and its cache entry is removed. */
  public boolean leave(long networkId) {
    return onLoop(() -> {
      Network n = networks.remove(networkId);
      if (n == null) {
        return false;
      }
      n.tap.close();
      if (cache != null) {
        cache.remove(networkId);
      }
      for (NetworkListener l : listeners) {
        l.onLeft(networkId);
      }
      return true;
    });
  }

  /** IDs of the joined networks. */
  public List<Long> networkIds() {
    return onLoop(() -> List.copyOf(networks.keySet()));
  }

  /** A snapshot of a joined network, or null if not joined. */
  public @Nullable NetworkInfo network(long networkId) {
    return onLoop(() -> {
      Network n = networks.get(networkId);
      return n == null ? null : info(n);
    });
  }

  /** Snapshots of all joined networks. */
  public List<NetworkInfo> networks() {
    return onLoop(() -> networks.values().stream().map(this::info).toList());
  }

  /** The config held for a network, or null. */
  public @Nullable NetworkConfig config(long networkId) {
    return onLoop(() -> {
      Network n = networks.get(networkId);
      return n == null ? null : n.config;
    });
  }

  /**
   * Every multicast group announced on a joined network: the ARP and solicited-node groups of the managed addresses,
   * broadcast when enabled, and the groups the stack joined. Empty if not joined.
   */
  public List<MulticastGroup> multicastGroups(long networkId) {
    return onLoop(() -> {
      Network n = networks.get(networkId);
      return n == null ? List.<MulticastGroup>of() : List.copyOf(groups(n));
    });
  }

  /** The virtual port of a joined network, or null. */
  public @Nullable VirtualTap tap(long networkId) {
    return onLoop(() -> {
      Network n = networks.get(networkId);
      return n == null ? null : n.tap;
    });
  }

  /** Asks the controller for a fresh config now (rate limits of the controller still apply). */
  public void refresh(long networkId) {
    onLoop(() -> {
      Network n = networks.get(networkId);
      if (n != null && !n.adHoc) {
        requestConfig(n, node.now());
      }
      return null;
    });
  }

  private <T> T onLoop(Callable<T> task) {
    if (node.loop().inLoop()) {
      try {
        return task.call();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    try {
      return node.loop().call(task, Duration.ofSeconds(30));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("network manager call failed: " + e.getMessage(), e);
    }
  }

  // ------------------------------------------------------------------------------------------------ join / status

  private Network joinOnLoop(long nwid) {
    Network existing = networks.get(nwid);
    if (existing != null) {
      return existing;
    }
    long mac = MacAddress.forNode(nwid, self);
    boolean adHoc = NetworkId.isAdHoc(nwid);
    Network n = new Network(nwid, NetworkId.controllerAddress(nwid), adHoc, new VirtualTap(this, nwid, mac), mac);
    networks.put(nwid, n);
    long now = node.now();
    if (adHoc) {
      NetworkConfig c = AdHocNetworks.config(nwid, self, now).orElse(null);
      if (c == null) {
        setStatus(n, NetworkStatus.NOT_FOUND, "ad-hoc network ID " + NetworkId.toString(nwid) + " is malformed");
      } else {
        applyConfig(n, c, false, now);
      }
      return n;
    }
    setStatus(n, NetworkStatus.REQUESTING_CONFIGURATION, requestingReason(n));
    if (cache != null) {
      NetworkConfig cached = cache.load(nwid);
      if (cached != null && cached.issuedTo() == self) {
        applyConfig(n, cached, true, now);
      } else {
        cache.markJoined(nwid);
      }
    }
    if (started) {
      requestConfig(n, now);
    }
    return n;
  }

  private String requestingReason(Network n) {
    return "waiting for a config from controller " + Address.toString(n.controller) + " of network "
        + NetworkId.toString(n.id);
  }

  private NetworkInfo info(Network n) {
    NetworkConfig c = n.config;
    return new NetworkInfo(
        n.id, n.status, n.reason, c == null ? "" : c.name(), n.mac, c == null ? NetworkConfig.DEFAULT_MTU : c.mtu(),
        c == null || c.isPrivate(), c != null && c.broadcastEnabled(), c == null ? List.of() : c.staticIps(),
        c == null ? List.of() : c.routes(), c == null ? 0 : c.revision(), c == null ? 0 : c.timestamp(), n.fromCache,
        n.authenticationUrl);
  }

  private void setStatus(Network n, NetworkStatus status, String reason) {
    if (n.status == status && n.reason.equals(reason)) {
      return;
    }
    n.status = status;
    n.reason = reason;
    NetworkInfo i = info(n);
    for (NetworkListener l : listeners) {
      l.onStatusChanged(i);
    }
  }

  private void applyConfig(Network n, NetworkConfig c, boolean fromCache, long now) {
    NetworkConfig old = n.config;
    n.config = c;
    n.tap.setMtu(c.mtu());
    n.fromCache = fromCache;
    n.lastConfigUpdate = fromCache ? Long.MIN_VALUE / 2 : now;
    n.authenticationUrl = null;
    for (Network.Member m : n.members.values()) {
      m.invalidateContexts();
      m.gateTheirs = null;
    }
    n.groupsDirty = true;
    if (!fromCache && !n.adHoc && cache != null) {
      cache.save(n.id, c);
    }
    setStatus(n, NetworkStatus.OK, "");
    NetworkInfo i = info(n);
    for (NetworkListener l : listeners) {
      l.onConfigChanged(i, c);
    }
    if (old == null || !old.staticIps().equals(c.staticIps())) {
      for (NetworkListener l : listeners) {
        l.onAddressesChanged(n.id, c.staticIps());
      }
    }
    if (started) {
      announce(n, now);
    }
  }

  // ------------------------------------------------------------------------------------------------ timers

  private void scheduleTick() {
    timer = node.loop().schedule(TICK_MILLIS * 1_000_000L, () -> {
      if (!started) {
        return;
      }
      try {
        tick(node.now());
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "network tick failed", e);
      }
      scheduleTick();
    });
  }

  private void tick(long now) {
    for (Network n : new ArrayList<>(networks.values())) {
      if (!n.adHoc) {
        boolean haveFresh = n.config != null && !n.fromCache && n.status == NetworkStatus.OK;
        long period = haveFresh ? AUTOCONF_DELAY_MILLIS : REQUEST_RETRY_MILLIS;
        long since = haveFresh ? Math.max(n.lastConfigUpdate, n.lastRequestSent) : n.lastRequestSent;
        if (now - since >= period) {
          requestConfig(n, now);
        }
      }
      if (n.usable() && (n.groupsDirty || now - n.lastAnnounce >= ANNOUNCE_PERIOD_MILLIS)) {
        announce(n, now);
      }
      n.pending.removeIf(p -> now > p.expiresAt());
      n.subscriptions.expire(now);
    }
  }

  private void requestConfig(Network n, long now) {
    n.lastRequestSent = now;
    NetworkConfig c = n.config;
    ConfigRequest.Metadata md = ConfigRequest.Metadata.defaults(options.osArch()).withAuthToken(options.authToken());
    if (n.controller == self) {
      LocalController lc = localController;
      if (lc == null) {
        setStatus(n, NetworkStatus.NOT_FOUND, "network " + NetworkId.toString(n.id)
            + " belongs to this node, which runs no controller");
        return;
      }
      LocalAnswer answer = lc.requestLocal(n.id, md);
      if (answer.config() != null) {
        if (c == null || n.fromCache || Long.compareUnsigned(answer.config().timestamp(), c.timestamp()) >= 0) {
          applyConfig(n, answer.config(), false, now);
        }
      } else if (answer.error() != null) {
        applyError(n, answer.error(), null);
      }
      return;
    }
    ConfigRequest req = new ConfigRequest(n.id, md, c == null ? 0 : c.revision(), c == null ? 0 : c.timestamp());
    WireWriter w = node.begin(n.controller, Verb.NETWORK_CONFIG_REQUEST);
    w.bytes(req.toBytes());
    node.send(w, true, true);
  }

  void groupsChanged(long nwid) {
    Network n = networks.get(nwid);
    if (n != null) {
      n.groupsDirty = true;
      if (n.usable()) {
        announce(n, node.now());
      }
    }
  }

  /** Our multicast subscriptions on a network (spec 8.3). */
  private Set<MulticastGroup> groups(Network n) {
    Set<MulticastGroup> g = new LinkedHashSet<>();
    NetworkConfig c = n.config;
    if (c == null) {
      return g;
    }
    for (IpPrefix p : c.staticIps()) {
      if (p.address() instanceof Inet4Address a) {
        g.add(MulticastGroup.forArpTarget(a));
      } else if (p.address() instanceof Inet6Address a) {
        g.add(MulticastGroup.forIpv6SolicitedNode(a));
      }
    }
    if (c.broadcastEnabled()) {
      g.add(MulticastGroup.BROADCAST);
    }
    g.addAll(n.tap.subscriptions());
    return g;
  }

  private boolean subscribed(Network n, MulticastGroup group) {
    NetworkConfig c = n.config;
    if (c == null) {
      return false;
    }
    if (group.equals(MulticastGroup.BROADCAST)) {
      return c.broadcastEnabled();
    }
    return groups(n).contains(group);
  }

  /** Where LIKEs and GATHERs go: the controller, the upstreams (roots of the planet and moons), anchors/replicators. */
  private Set<Long> multicastAuthorities(Network n) {
    Set<Long> out = new LinkedHashSet<>();
    if (!n.adHoc && n.controller != self) {
      out.add(n.controller);
    }
    addRoots(out, node.planet());
    for (World m : node.moons()) {
      addRoots(out, m);
    }
    NetworkConfig c = n.config;
    if (c != null) {
      out.addAll(c.specialistsWith(NetworkConfig.SPECIALIST_ANCHOR | NetworkConfig.SPECIALIST_MULTICAST_REPLICATOR));
    }
    out.remove(self);
    while (out.size() > 16) {
      out.remove(out.iterator().next());
    }
    return out;
  }

  private static void addRoots(Set<Long> out, World w) {
    for (World.Root r : w.roots()) {
      out.add(r.identity().address());
    }
  }

  private void announce(Network n, long now) {
    n.lastAnnounce = now;
    n.groupsDirty = false;
    Set<MulticastGroup> groups = groups(n);
    Set<MulticastGroup> previous = n.announced;
    n.announced = groups;
    if (groups.isEmpty()) {
      return;
    }
    Vl2Hook ctl = controllerHook;
    if (n.controller == self && ctl != null) {
      // we are this network's controller: tell it directly (it answers other members' gathers)
      byte[] like = new byte[Packet.HEADER_LENGTH + 18 * groups.size()];
      Packet.writeHeader(like, 0, 0, self, self, Verb.MULTICAST_LIKE);
      int q = Packet.IDX_PAYLOAD;
      for (MulticastGroup g : groups) {
        Bytes.put64(like, q, n.id);
        MacAddress.write(g.mac(), like, q + 8);
        Bytes.put32(like, q + 14, g.adi() & 0xffffffffL);
        q += 18;
      }
      ctl.onPacket(node, self, Verb.MULTICAST_LIKE.code(), like, 0, like.length, 0, now);
    }
    Set<Long> targets = multicastAuthorities(n);
    boolean changed = !groups.equals(previous);
    for (Network.Member m : n.members.values()) {
      // members whose credentials check out hear our subscriptions directly, at most once per period (spec 8.3)
      if (m.address != self && (changed || now - m.lastLikeSent >= ANNOUNCE_PERIOD_MILLIS) && gate(n, m.address)) {
        m.lastLikeSent = now;
        targets.add(m.address);
      }
    }
    boolean sentAll = true;
    for (long to : targets) {
      WireWriter w = null;
      int count = 0;
      for (MulticastGroup g : groups) {
        if (w == null) {
          w = node.begin(to, Verb.MULTICAST_LIKE);
        }
        w.u64(n.id);
        writeMac(w, g.mac());
        w.u32(g.adi() & 0xffffffffL);
        if (++count == 64) {
          sentAll &= node.send(w, true, false);
          w = null;
          count = 0;
        }
      }
      if (w != null) {
        sentAll &= node.send(w, true, false);
      }
    }
    if (!sentAll) {
      n.groupsDirty = true; // e.g. not online yet: try again next tick
    }
  }

  private static void writeMac(WireWriter w, long mac) {
    w.u16((int) (mac >>> 32)).u32(mac & 0xffffffffL);
  }

  private static long readMac(byte[] b, int off) {
    return MacAddress.read(b, off);
  }

  // ------------------------------------------------------------------------------------------------ receive

  @Override
  public void onPacket(Vl1Node node, long source, int verbCode, byte[] pkt, int off, int len, int hops,
      long nowMillis) {
    try {
      dispatch(source, verbCode, pkt, off, len, nowMillis);
    } catch (RuntimeException e) {
      // parsers throw Vl2FormatException (an IllegalArgumentException) on bad input: drop and count
      dropped++;
      if (!(e instanceof IllegalArgumentException)) {
        unexpectedErrors++;
        LOG.log(Level.WARNING, "unexpected error in VL2 receive path", e);
      }
    }
  }

  private void dispatch(long source, int verb, byte[] pkt, int off, int len, long now) {
    int p = off + Packet.IDX_PAYLOAD;
    int end = off + len;
    Vl2Hook ctl = controllerHook;
    switch (verb) {
      case 0x03 -> {
        int inRe = Responses.inReVerb(pkt, off);
        int d = off + Responses.IDX_OK_DATA;
        switch (inRe) {
          case 0x0b -> receiveConfigChunk(source, pkt, d, end, Packet.packetId(pkt, off), false, now);
          case 0x0d -> receiveGatherResult(source, pkt, d, end, false, now);
          case 0x0e -> receiveGatherResult(source, pkt, d, end, true, now);
          case 0x0c -> forward(ctl, source, verb, pkt, off, len, now);
          default -> {}
        }
      }
      case 0x02 -> receiveError(source, pkt, off, end, now);
      case 0x06 -> receiveFrame(source, pkt, p, end, now);
      case 0x07 -> receiveExtFrame(source, pkt, p, end, Packet.packetId(pkt, off), now);
      case 0x09 -> {
        forward(ctl, source, verb, pkt, off, len, now);
        receiveLike(source, pkt, p, end, now);
      }
      case 0x0a -> receiveCredentials(source, pkt, p, end, now);
      case 0x0b -> {
        if (ctl != null) {
          ctl.onPacket(node, source, verb, pkt, off, len, 0, now);
        } else if (end - p >= 8) {
          WireWriter w = node.begin(source, Verb.ERROR);
          w.u8(Verb.NETWORK_CONFIG_REQUEST.code()).u64(Packet.packetId(pkt, off))
              .u8(ErrorCode.UNSUPPORTED_OPERATION.code()).u64(Bytes.u64(pkt, p));
          node.send(w, false, false);
        }
      }
      case 0x0c -> receiveConfigChunk(source, pkt, p, end, Packet.packetId(pkt, off), true, now);
      case 0x0d -> {
        forward(ctl, source, verb, pkt, off, len, now);
        receiveGather(source, pkt, p, end, Packet.packetId(pkt, off), now);
      }
      case 0x0e -> receiveMulticastFrame(source, pkt, p, end, now);
      default -> {}
    }
  }

  private void forward(@Nullable Vl2Hook ctl, long source, int verb, byte[] pkt, int off, int len, long now) {
    if (ctl != null) {
      ctl.onPacket(node, source, verb, pkt, off, len, 0, now);
    }
  }

  // ---- configs

  private void receiveConfigChunk(long source, byte[] pkt, int p, int end, long packetId, boolean push, long now) {
    ConfigChunk chunk = ConfigChunk.parse(pkt, p, end - p);
    Network n = networks.get(chunk.networkId());
    if (n == null || n.adHoc) {
      dropped++;
      return;
    }
    if (!push && source != n.controller) {
      dropped++;
      return;
    }
    ConfigAssembler asm = assembler(n);
    if (asm == null) {
      dropped++;
      return;
    }
    ConfigAssembler.Completed done = asm.offer(chunk, source, packetId);
    if (done == null) {
      return;
    }
    NetworkConfig c = done.config();
    NetworkConfig old = n.config;
    if (old != null && !n.fromCache && Long.compareUnsigned(c.timestamp(), old.timestamp()) < 0) {
      dropped++; // stale: older than what we hold
      return;
    }
    if (push) {
      WireWriter w = node.begin(source, Verb.OK);
      w.u8(Verb.NETWORK_CONFIG.code()).u64(packetId).u64(n.id).u64(done.updateId());
      node.send(w, false, false);
    }
    applyConfig(n, c, false, now);
  }

  private @Nullable ConfigAssembler assembler(Network n) {
    if (n.assembler == null) {
      Identity ctl = controllerIdentity(n);
      if (ctl == null) {
        return null;
      }
      n.assembler = new ConfigAssembler(n.id, self, ctl);
    }
    return n.assembler;
  }

  private @Nullable Identity controllerIdentity(Network n) {
    if (n.controllerIdentity == null && !n.adHoc) {
      n.controllerIdentity = n.controller == self ? node.identity() : node.peerIdentity(n.controller);
    }
    return n.controllerIdentity;
  }

  private void receiveError(long source, byte[] pkt, int off, int end, long now) {
    int inRe = Responses.inReVerb(pkt, off);
    int code = Responses.errorCode(pkt, off);
    int d = off + Responses.IDX_ERROR_DATA;
    if (inRe == Verb.NETWORK_CONFIG.code()) {
      forward(controllerHook, source, Verb.ERROR.code(), pkt, off, end - off, now);
      return;
    }
    if (end - d < 8) {
      return;
    }
    long nwid = Bytes.u64(pkt, d);
    Network n = networks.get(nwid);
    if (n == null) {
      return;
    }
    if (inRe == Verb.NETWORK_CONFIG_REQUEST.code()) {
      if (source != n.controller) {
        return; // only the network's controller may fail our request
      }
      ErrorCode ec = ErrorCode.of(code);
      if (ec != null) {
        applyError(n, ec, ec == ErrorCode.NETWORK_AUTHENTICATION_REQUIRED ? authUrl(pkt, d + 8, end) : null);
      }
      return;
    }
    if (code == ErrorCode.NEED_MEMBERSHIP_CERTIFICATE.code()) {
      Network.Member m = n.member(source);
      if (now - m.lastNeedCertificateHandled >= 1_000) {
        m.lastNeedCertificateHandled = now;
        pushCredentials(n, m, now);
      }
    } else if (code == ErrorCode.UNWANTED_MULTICAST.code() && end - d >= 18) {
      n.subscriptions.remove(new MulticastGroup(readMac(pkt, d + 8), (int) Bytes.u32(pkt, d + 14)), source);
    }
  }

  private void applyError(Network n, ErrorCode ec, @Nullable String authenticationUrl) {
    String net = NetworkId.toString(n.id);
    String ctl = Address.toString(n.controller);
    switch (ec) {
      case OBJ_NOT_FOUND, UNSUPPORTED_OPERATION -> setStatus(n, NetworkStatus.NOT_FOUND,
          "network " + net + " does not exist at controller " + ctl + " (check the network ID)");
      case NETWORK_ACCESS_DENIED -> setStatus(n, NetworkStatus.ACCESS_DENIED,
          "authorize node " + Address.toString(self) + " on network " + net + " at its controller " + ctl);
      case BAD_PROTOCOL_VERSION -> setStatus(n, NetworkStatus.CLIENT_TOO_OLD,
          "controller " + ctl + " of network " + net + " requires a newer client");
      case NETWORK_AUTHENTICATION_REQUIRED -> {
        n.authenticationUrl = authenticationUrl;
        setStatus(n, NetworkStatus.AUTHENTICATION_REQUIRED,
            "network " + net + " requires single sign-on: authenticate node " + Address.toString(self)
                + (authenticationUrl == null ? "" : " at " + authenticationUrl));
      }
      default -> {}
    }
  }

  private static @Nullable String authUrl(byte[] pkt, int p, int end) {
    if (end - p < 2) {
      return null;
    }
    int len = Bytes.u16(pkt, p);
    if (p + 2 + len > end) {
      return null;
    }
    Dictionary d = Dictionary.parse(pkt, p + 2, len);
    return d.getString("aU").or(() -> d.getString("aCU")).orElse(null);
  }

  // ---- credentials and the membership gate

  private void receiveCredentials(long source, byte[] pkt, int p, int end, long now) {
    NetworkCredentials creds = NetworkCredentials.parse(pkt, p, end - p);
    for (CertificateOfMembership com : creds.coms()) {
      Network n = networks.get(com.networkId());
      Identity ctl = n == null ? null : controllerIdentity(n);
      if (ctl == null || com.signedBy() != n.controller || !com.verify(ctl)) {
        dropped++;
        continue;
      }
      Network.Member m = n.member(com.issuedTo());
      if (com.timestamp() <= m.comRevocationThreshold) {
        continue;
      }
      if (m.com == null || Long.compareUnsigned(com.timestamp(), m.com.timestamp()) >= 0) {
        m.com = com;
        m.gateTheirs = null;
      }
    }
    for (Revocation r : creds.revocations()) {
      Network n = networks.get(r.networkId());
      Identity ctl = n == null ? null : controllerIdentity(n);
      if (ctl == null || r.signedBy() != n.controller || !r.verify(ctl)) {
        dropped++;
        continue;
      }
      if (r.credentialType() == Revocation.CREDENTIAL_COM) {
        Network.Member m = n.member(r.target());
        m.comRevocationThreshold = Math.max(m.comRevocationThreshold, r.threshold());
        if (m.com != null && m.com.timestamp() <= m.comRevocationThreshold) {
          m.com = null;
        }
        m.gateTheirs = null;
      }
    }
    for (Tag t : creds.tags()) {
      Network n = networks.get(t.networkId());
      Identity ctl = n == null ? null : controllerIdentity(n);
      if (ctl != null && t.signedBy() == n.controller && timely(n, t.timestamp()) && t.verify(ctl)) {
        Network.Member m = n.member(t.issuedTo());
        m.tags.put(t.id(), t);
        m.invalidateContexts();
      }
    }
    for (Capability c : creds.capabilities()) {
      Network n = networks.get(c.networkId());
      Identity ctl = n == null ? null : controllerIdentity(n);
      if (ctl != null && timely(n, c.timestamp()) && c.verify(ctl)) {
        Network.Member m = n.member(c.holder() == 0 ? source : c.holder());
        m.capabilities.put(c.id(), c);
        m.invalidateContexts();
      }
    }
    for (CertificateOfOwnership c : creds.certificatesOfOwnership()) {
      Network n = networks.get(c.networkId());
      Identity ctl = n == null ? null : controllerIdentity(n);
      if (ctl != null && c.signedBy() == n.controller && timely(n, c.timestamp()) && c.verify(ctl)) {
        Network.Member m = n.member(c.issuedTo());
        m.coos.put(c.id(), c);
        m.invalidateContexts();
      }
    }
  }

  private static boolean timely(Network n, long timestamp) {
    NetworkConfig c = n.config;
    return c != null && MembershipCheck.timely(c, timestamp);
  }

  /** The membership check of spec 7.7 (result cached per COM pair: the identity hash is costly). */
  private boolean gate(Network n, long peer) {
    NetworkConfig c = n.config;
    if (c == null) {
      return false;
    }
    if (!c.isPrivate()) {
      return true;
    }
    Network.Member m = n.members.get(peer);
    CertificateOfMembership ours = c.com();
    if (m == null || m.com == null || ours == null) {
      return false;
    }
    if (m.com.timestamp() <= m.comRevocationThreshold) {
      return false;
    }
    if (m.gateTheirs == m.com && m.gateOurs == ours) {
      return m.gateResult;
    }
    Identity id = node.peerIdentity(peer);
    if (id == null) {
      return false;
    }
    m.gateTheirs = m.com;
    m.gateOurs = ours;
    m.gateResult = m.com.issuedTo() == peer && ours.agreesWith(m.com, id);
    return m.gateResult;
  }

  private void refuse(Network n, long source, int inReVerb, long packetId, long now) {
    dropped++;
    n.tap.framesDropped.incrementAndGet();
    Network.Member m = n.member(source);
    if (now - m.lastNeedCertificateSent >= 1_000) {
      m.lastNeedCertificateSent = now;
      WireWriter w = node.begin(source, Verb.ERROR);
      w.u8(inReVerb).u64(packetId).u8(ErrorCode.NEED_MEMBERSHIP_CERTIFICATE.code()).u64(n.id);
      node.send(w, false, false);
    }
  }

  private void pushCredentialsIfNeeded(Network n, long peer, long now) {
    Network.Member m = n.member(peer);
    if (now - m.lastCredentialsPushed >= CREDENTIAL_PUSH_MAX_AGE_MILLIS || m.lastCredentialsPushed < n.lastConfigUpdate) {
      pushCredentials(n, m, now);
    }
  }

  private void pushCredentials(Network n, Network.Member m, long now) {
    NetworkConfig c = n.config;
    if (c == null || c.com() == null) {
      return;
    }
    m.lastCredentialsPushed = now;
    NetworkCredentials creds = new NetworkCredentials(List.of(c.com()), c.capabilities(), c.tags(), List.of(),
        c.certificatesOfOwnership());
    WireWriter w = node.begin(m.address, Verb.NETWORK_CREDENTIALS);
    w.bytes(creds.toBytes());
    node.send(w, true, false);
  }

  // ---- rules contexts

  private RuleEngine.Context outboundContext(Network n, NetworkConfig c, long peer) {
    Network.Member m = peer == 0 ? null : n.members.get(peer);
    if (m != null && m.outbound != null) {
      return m.outbound;
    }
    List<List<Rule>> caps = new ArrayList<>();
    for (Capability cap : c.capabilities()) {
      caps.add(cap.rules());
    }
    RuleEngine.Context ctx = new RuleEngine.Context(c.effectiveRules(), caps, c.localTagLookup(),
        m == null ? null : tagLookup(m), c.localOwnership(), c.flags());
    if (m != null) {
      m.outbound = ctx;
    }
    return ctx;
  }

  private RuleEngine.Context inboundContext(Network n, NetworkConfig c, long peer) {
    Network.Member m = n.member(peer);
    if (m.inbound != null) {
      return m.inbound;
    }
    List<List<Rule>> caps = new ArrayList<>();
    for (Capability cap : m.capabilities.values()) {
      caps.add(cap.rules());
    }
    RuleEngine.Ownership own = RuleEngine.Ownership.of(m.coos.values());
    m.inbound = new RuleEngine.Context(c.effectiveRules(), caps, c.localTagLookup(), tagLookup(m), own, c.flags());
    return m.inbound;
  }

  private static RuleEngine.TagLookup tagLookup(Network.Member m) {
    Map<Long, Tag> tags = Map.copyOf(m.tags);
    return id -> {
      Tag t = tags.get(id);
      return t == null ? -1 : t.value();
    };
  }

  // ---- frames in

  private void receiveFrame(long source, byte[] pkt, int p, int end, long now) {
    Network n = networkOf(pkt, p, end, 10);
    if (n == null) {
      return; // frames for networks we are not in are silently dropped
    }
    long packetId = Packet.packetId(pkt, p - Packet.IDX_PAYLOAD);
    if (!n.usable()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    if (!gate(n, source)) {
      refuse(n, source, Verb.FRAME.code(), packetId, now);
      return;
    }
    int et = Bytes.u16(pkt, p + 8);
    inboundUnicast(n, source, MacAddress.forNode(n.id, source), n.mac, et, pkt, p + 10, end - p - 10, now);
  }

  private void receiveExtFrame(long source, byte[] pkt, int p, int end, long packetId, long now) {
    Network n = networkOf(pkt, p, end, 9);
    if (n == null) {
      return;
    }
    int flags = pkt[p + 8] & 0xff;
    int q = p + 9;
    if ((flags & 0x01) != 0) {
      q += acceptInlineCom(n, source, pkt, q, end);
    }
    if (end - q < 14) {
      dropped++;
      return;
    }
    long dst = readMac(pkt, q);
    long src = readMac(pkt, q + 6);
    int et = Bytes.u16(pkt, q + 12);
    if (!n.usable()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    if (!gate(n, source)) {
      refuse(n, source, Verb.EXT_FRAME.code(), packetId, now);
      return;
    }
    if (src != MacAddress.forNode(n.id, source)) {
      dropped++; // bridged source: only active bridges may do that, and we do not accept bridging
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    if ((flags & 0x10) != 0) {
      WireWriter w = node.begin(source, Verb.OK);
      w.u8(Verb.EXT_FRAME.code()).u64(packetId).u64(n.id);
      node.send(w, false, false);
    }
    inboundUnicast(n, source, src, dst, et, pkt, q + 14, end - q - 14, now);
  }

  /**
   * The network a verb's payload names in its first 8 bytes, or null: a payload shorter than {@code minLength} is
   * counted as dropped, a network we are not in is ignored.
   */
  private @Nullable Network networkOf(byte[] pkt, int p, int end, int minLength) {
    if (end - p < minLength) {
      dropped++;
      return null;
    }
    return networks.get(Bytes.u64(pkt, p));
  }

  /** Reads the COM a frame carries inline at {@code q} and accepts it if valid; returns its length. */
  private int acceptInlineCom(Network n, long source, byte[] pkt, int q, int end) {
    var com = CertificateOfMembership.read(pkt, q, end);
    acceptInlineCom(n, source, com.value());
    return com.length();
  }

  private void acceptInlineCom(Network n, long source, CertificateOfMembership com) {
    Identity ctl = controllerIdentity(n);
    if (ctl != null && com.networkId() == n.id && com.issuedTo() == source && com.verify(ctl)) {
      Network.Member m = n.member(source);
      if (com.timestamp() > m.comRevocationThreshold
          && (m.com == null || Long.compareUnsigned(com.timestamp(), m.com.timestamp()) >= 0)) {
        m.com = com;
        m.gateTheirs = null;
      }
    }
  }

  private void inboundUnicast(Network n, long source, long srcMac, long dstMac, int et, byte[] b, int p, int len,
      long now) {
    if (len < 0 || len > MAX_FRAME_PAYLOAD) {
      dropped++;
      return;
    }
    NetworkConfig c = Objects.requireNonNull(n.config);
    FilterResult r = rules.filterInbound(inboundContext(n, c, source), source, self, srcMac, dstMac, et, 0, b, p, len,
        filter);
    if (!r.accepted()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    long redirect = r.redirectTo();
    for (int i = 0; i < r.teeCount(); i++) {
      sendExtFrame(n, r.teeTo(i), r.teeWatch(i) ? 0x1c : 0x08, dstMac, srcMac, et, b, p,
          teeLength(r.teeLength(i), len), now);
    }
    if (redirect != 0 && redirect != self) {
      sendExtFrame(n, redirect, 0x0a, dstMac, srcMac, et, b, p, len, now);
      return;
    }
    if (dstMac != n.mac && !MacAddress.isMulticast(dstMac) && !r.superAccepted()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    deliver(n, dstMac, srcMac, et, b, p, len);
  }

  private static int teeLength(int ruleLength, int len) {
    return ruleLength == 0 ? len : Math.min(ruleLength, len);
  }

  private void deliver(Network n, long dstMac, long srcMac, int et, byte[] b, int p, int len) {
    MacAddress.write(dstMac, frameOut, 0);
    MacAddress.write(srcMac, frameOut, 6);
    frameOut[12] = (byte) (et >>> 8);
    frameOut[13] = (byte) et;
    System.arraycopy(b, p, frameOut, 14, len);
    n.tap.deliver(frameOut, 0, 14 + len);
  }

  private void receiveMulticastFrame(long source, byte[] pkt, int p, int end, long now) {
    Network n = networkOf(pkt, p, end, 9);
    if (n == null) {
      return;
    }
    long packetId = Packet.packetId(pkt, p - Packet.IDX_PAYLOAD);
    int flags = pkt[p + 8] & 0xff;
    int q = p + 9;
    if ((flags & 0x01) != 0) {
      q += acceptInlineCom(n, source, pkt, q, end);
    }
    long gatherLimit = 0;
    if ((flags & 0x02) != 0) {
      if (end - q < 4) {
        dropped++;
        return;
      }
      gatherLimit = Bytes.u32(pkt, q);
      q += 4;
    }
    long srcMac = MacAddress.forNode(n.id, source);
    if ((flags & 0x04) != 0) {
      if (end - q < 6) {
        dropped++;
        return;
      }
      srcMac = readMac(pkt, q);
      q += 6;
    }
    if (end - q < 12) {
      dropped++;
      return;
    }
    long dstMac = readMac(pkt, q);
    int adi = (int) Bytes.u32(pkt, q + 6);
    int et = Bytes.u16(pkt, q + 10);
    q += 12;
    int len = end - q;
    NetworkConfig c = n.config;
    if (!n.usable() || c == null || c.multicastLimit() == 0 || len <= 0 || len > MAX_FRAME_PAYLOAD
        || !MacAddress.isMulticast(dstMac) || srcMac == 0 || MacAddress.isMulticast(srcMac) || srcMac == n.mac) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    if (srcMac != MacAddress.forNode(n.id, source)) {
      n.tap.framesDropped.incrementAndGet();
      return; // bridged: not accepted
    }
    if (!gate(n, source)) {
      refuse(n, source, Verb.MULTICAST_FRAME.code(), packetId, now);
      return;
    }
    MulticastGroup group = new MulticastGroup(dstMac, adi);
    if (gatherLimit > 0) {
      sendGatherReply(n, source, Verb.MULTICAST_FRAME, packetId, group, (int) Math.min(gatherLimit, 64), true, now);
    }
    if (!subscribed(n, group)) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    FilterResult r = rules.filterInbound(inboundContext(n, c, source), source, self, srcMac, dstMac, et, 0, pkt, q,
        len, filter);
    if (!r.accepted()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    for (int i = 0; i < r.teeCount(); i++) {
      sendExtFrame(n, r.teeTo(i), r.teeWatch(i) ? 0x1c : 0x08, dstMac, srcMac, et, pkt, q,
          teeLength(r.teeLength(i), len), now);
    }
    deliver(n, dstMac, srcMac, et, pkt, q, len);
  }

  // ---- multicast membership

  private void receiveLike(long source, byte[] pkt, int p, int end, long now) {
    for (; p + 18 <= end; p += 18) {
      Network n = networks.get(Bytes.u64(pkt, p));
      if (n == null || !gate(n, source)) {
        continue;
      }
      n.subscriptions.add(new MulticastGroup(readMac(pkt, p + 8), (int) Bytes.u32(pkt, p + 14)), source, now);
    }
  }

  private void receiveGather(long source, byte[] pkt, int p, int end, long packetId, long now) {
    Network n = networkOf(pkt, p, end, 23);
    if (n == null) {
      return;
    }
    int flags = pkt[p + 8] & 0xff;
    MulticastGroup group = new MulticastGroup(readMac(pkt, p + 9), (int) Bytes.u32(pkt, p + 15));
    long limit = Bytes.u32(pkt, p + 19);
    if ((flags & 0x01) != 0 && end - (p + 23) > 0) {
      var com = CertificateOfMembership.read(pkt, p + 23, end);
      acceptInlineCom(n, source, com.value());
    }
    if (limit == 0 || !gate(n, source)) {
      return;
    }
    sendGatherReply(n, source, Verb.MULTICAST_GATHER, packetId, group, (int) Math.min(limit, 255), false, now);
  }

  private void sendGatherReply(Network n, long to, Verb inRe, long packetId, MulticastGroup group, int limit,
      boolean frameReply, long now) {
    List<Long> known = n.subscriptions.members(group, now, Integer.MAX_VALUE, to, random);
    boolean includeSelf = subscribed(n, group);
    List<Long> list = new ArrayList<>();
    if (includeSelf) {
      list.add(self);
    }
    for (long a : known) {
      if (list.size() >= limit) {
        break;
      }
      list.add(a);
    }
    if (list.isEmpty()) {
      return;
    }
    WireWriter w = node.begin(to, Verb.OK);
    w.u8(inRe.code()).u64(packetId).u64(n.id);
    writeMac(w, group.mac());
    w.u32(group.adi() & 0xffffffffL);
    if (frameReply) {
      w.u8(0x02);
    }
    w.u32(known.size() + (includeSelf ? 1 : 0)).u16(list.size());
    for (long a : list) {
      w.u40(a);
    }
    node.send(w, true, false);
  }

  private void receiveGatherResult(long source, byte[] pkt, int d, int end, boolean frameReply, long now) {
    if (end - d < 18) {
      return;
    }
    Network n = networks.get(Bytes.u64(pkt, d));
    if (n == null) {
      return;
    }
    MulticastGroup group = new MulticastGroup(readMac(pkt, d + 8), (int) Bytes.u32(pkt, d + 14));
    int q = d + 18;
    if (frameReply) {
      if (q >= end) {
        return;
      }
      int flags = pkt[q++] & 0xff;
      if ((flags & 0x01) != 0) {
        q += CertificateOfMembership.read(pkt, q, end).length();
      }
      if ((flags & 0x02) == 0) {
        return;
      }
    }
    if (end - q < 6) {
      return;
    }
    int count = Bytes.u16(pkt, q + 4);
    q += 6;
    List<Long> learned = new ArrayList<>();
    for (int i = 0; i < count && q + 5 <= end; i++, q += 5) {
      long a = Bytes.u40(pkt, q);
      if (a != self && a != 0) {
        n.subscriptions.add(group, a, now);
        learned.add(a);
      }
    }
    // late gather results: send waiting frames to the newly learned members
    for (Network.PendingMulticast pm : n.pending) {
      if (!pm.group().equals(group) || now > pm.expiresAt()) {
        continue;
      }
      for (long a : learned) {
        if (pm.sentTo().size() >= pm.limit()) {
          break;
        }
        if (pm.sentTo().add(a)) {
          sendMulticastFrame(n, a, pm.group(), pm.sourceMac(), pm.etherType(), pm.payload(), 0, pm.payload().length,
              0, false, now);
        }
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ frames out

  void outbound(VirtualTap tap, byte[] f, int off, int len) {
    Network n = networks.get(tap.networkId());
    if (n == null || n.tap != tap || tap.isClosed()) {
      tap.framesDropped.incrementAndGet();
      return;
    }
    NetworkConfig c = n.config;
    if (!n.usable() || c == null || len < 14 || len - 14 > MAX_FRAME_PAYLOAD) {
      tap.framesDropped.incrementAndGet();
      return;
    }
    long now = node.now();
    long dst = MacAddress.read(f, off);
    long src = MacAddress.read(f, off + 6);
    int et = ((f[off + 12] & 0xff) << 8) | (f[off + 13] & 0xff);
    int p = off + 14;
    int plen = len - 14;
    if (src != n.mac) {
      tap.framesDropped.incrementAndGet(); // bridging is not supported
      return;
    }
    if (MacAddress.isMulticast(dst)) {
      MulticastGroup group;
      if (dst == MacAddress.BROADCAST) {
        group = MulticastGroup.forBroadcastFrame(et, f, p, plen);
        if (group.equals(MulticastGroup.BROADCAST) && !c.broadcastEnabled()) {
          tap.framesDropped.incrementAndGet();
          return;
        }
      } else {
        group = new MulticastGroup(dst, 0);
        if (et == 0x86dd && c.ndpEmulation()) {
          NdpEmulation.Reply reply = NdpEmulation.answer(n.id, self, c.staticIps(), f, p, plen);
          if (reply != null) {
            byte[] ip6 = reply.ipv6Packet();
            deliver(n, n.mac, reply.sourceMac(), 0x86dd, ip6, 0, ip6.length);
            return;
          }
        }
      }
      if (c.multicastLimit() == 0) {
        tap.framesDropped.incrementAndGet();
        return;
      }
      FilterResult r = rules.filterOutbound(outboundContext(n, c, 0), self, 0, src, dst, et, 0, f, p, plen, filter);
      if (!r.accepted()) {
        tap.framesDropped.incrementAndGet();
        return;
      }
      sendTees(n, r, dst, src, et, f, p, plen, 0x02, 0x16, now);
      multicastSend(n, c, group, src, et, f, p, plen, now);
      return;
    }
    if (dst == n.mac) {
      n.tap.deliver(f, off, len);
      return;
    }
    if (!MacAddress.isNodeMac(n.id, dst)) {
      tap.framesDropped.incrementAndGet(); // behind a bridge: no bridges supported
      return;
    }
    long to = MacAddress.nodeAddress(n.id, dst);
    if (to == self || to == 0) {
      tap.framesDropped.incrementAndGet();
      return;
    }
    FilterResult r = rules.filterOutbound(outboundContext(n, c, to), self, to, src, dst, et, 0, f, p, plen, filter);
    if (!r.accepted()) {
      tap.framesDropped.incrementAndGet();
      return;
    }
    long redirect = r.redirectTo();
    sendTees(n, r, dst, src, et, f, p, plen, 0x02, 0x16, now);
    if (redirect != 0 && redirect != self) {
      sendExtFrame(n, redirect, 0x04, dst, src, et, f, p, plen, now);
      return;
    }
    pushCredentialsIfNeeded(n, to, now);
    WireWriter w = node.begin(to, Verb.FRAME);
    w.u64(n.id).u16(et).bytes(f, p, plen);
    node.send(w, false, false);
  }

  private void sendTees(Network n, FilterResult r, long dst, long src, int et, byte[] f, int p, int plen, int teeFlags,
      int watchFlags, long now) {
    int count = r.teeCount();
    if (count == 0) {
      return;
    }
    long[] to = new long[count];
    int[] lens = new int[count];
    boolean[] watch = new boolean[count];
    for (int i = 0; i < count; i++) {
      to[i] = r.teeTo(i);
      lens[i] = teeLength(r.teeLength(i), plen);
      watch[i] = r.teeWatch(i);
    }
    for (int i = 0; i < count; i++) {
      if (to[i] != self) {
        sendExtFrame(n, to[i], watch[i] ? watchFlags : teeFlags, dst, src, et, f, p, lens[i], now);
      }
    }
  }

  private void sendExtFrame(Network n, long to, int flags, long dst, long src, int et, byte[] f, int p, int len,
      long now) {
    if (to == self || to == 0) {
      return;
    }
    pushCredentialsIfNeeded(n, to, now);
    WireWriter w = node.begin(to, Verb.EXT_FRAME);
    w.u64(n.id).u8(flags);
    writeMac(w, dst);
    writeMac(w, src);
    w.u16(et).bytes(f, p, len);
    node.send(w, true, false);
  }

  private void multicastSend(Network n, NetworkConfig c, MulticastGroup group, long src, int et, byte[] f, int p,
      int plen, long now) {
    int limit = (int) Math.min(c.multicastLimit(), 4096);
    List<Long> replicators = c.specialistsWith(NetworkConfig.SPECIALIST_MULTICAST_REPLICATOR);
    replicators.remove(self);
    if (!replicators.isEmpty()) {
      sendMulticastFrame(n, replicators.get(0), group, src, et, f, p, plen, 0, true, now);
      return;
    }
    List<Long> recipients = new ArrayList<>(c.specialistsWith(NetworkConfig.SPECIALIST_ACTIVE_BRIDGE));
    recipients.remove(self);
    for (long a : n.subscriptions.members(group, now, limit, self, random)) {
      if (recipients.size() >= limit) {
        break;
      }
      if (!recipients.contains(a)) {
        recipients.add(a);
      }
    }
    int gatherLimit = 0;
    if (recipients.size() < limit) {
      gatherLimit = limit - recipients.size() + 1;
      Long last = n.lastGather.get(group);
      if (recipients.isEmpty() || last == null || now - last >= GATHER_PERIOD_MILLIS) {
        n.lastGather.put(group, now);
        sendGathers(n, c, group, gatherLimit);
      }
      if (n.pending.size() >= MAX_PENDING_MULTICASTS) {
        n.pending.remove(0);
      }
      byte[] copy = java.util.Arrays.copyOfRange(f, p, p + plen);
      n.pending.add(new Network.PendingMulticast(group, src, et, copy, now + PENDING_MULTICAST_MILLIS, limit,
          new HashSet<>(recipients)));
    }
    for (long a : recipients) {
      sendMulticastFrame(n, a, group, src, et, f, p, plen, gatherLimit, false, now);
    }
  }

  private void sendGathers(Network n, NetworkConfig c, MulticastGroup group, int limit) {
    for (long to : multicastAuthorities(n)) {
      WireWriter w = node.begin(to, Verb.MULTICAST_GATHER);
      CertificateOfMembership com = c.com();
      w.u64(n.id).u8(com != null ? 0x01 : 0x00);
      writeMac(w, group.mac());
      w.u32(group.adi() & 0xffffffffL).u32(limit);
      if (com != null) {
        w.bytes(com.toBytes());
      }
      node.send(w, true, true);
    }
  }

  /**
   * @param gatherLimit implicit gather limit (flag 0x02) or 0
   * @param replicate ask a multicast replicator to replicate (flags 0x0C: source MAC present + replicate)
   */
  private void sendMulticastFrame(Network n, long to, MulticastGroup group, long src, int et, byte[] f, int p,
      int plen, int gatherLimit, boolean replicate, long now) {
    pushCredentialsIfNeeded(n, to, now);
    NetworkConfig c = n.config;
    int flags = replicate ? 0x0c : (gatherLimit > 0 ? 0x02 : 0x00);
    WireWriter w = node.begin(to, Verb.MULTICAST_FRAME);
    w.u64(n.id).u8(flags);
    if ((flags & 0x02) != 0) {
      w.u32(gatherLimit);
    }
    if ((flags & 0x04) != 0) {
      writeMac(w, src);
    }
    writeMac(w, group.mac());
    w.u32(group.adi() & 0xffffffffL).u16(et).bytes(f, p, plen);
    node.send(w, c == null || !c.compressionDisabled(), gatherLimit > 0 && !replicate);
  }
}
