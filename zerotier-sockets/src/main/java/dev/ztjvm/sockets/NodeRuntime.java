package dev.ztjvm.sockets;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkListener;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.network.VirtualTap;
import dev.ztjvm.node.PeerCache;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Listener;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import dev.ztjvm.sockets.internal.node.EventDispatcher;
import dev.ztjvm.sockets.internal.node.HostNetworkAttachment;
import dev.ztjvm.sockets.internal.node.NetworkAttachment;
import dev.ztjvm.sockets.spi.HostInterfaceProvider;
import dev.ztjvm.underlay.UdpUnderlay;
import dev.ztjvm.underlay.portmap.PortMapper;
import dev.ztjvm.underlay.portmap.Retransmission;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.DnsConfig;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.NodeMac;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * One run of a {@link ZeroTierNode}, from {@code start()} to {@code stop()}: the loop thread, the VL1 node, the network
 * manager, the stack host and the attachments of the joined networks to the stack (or to host interfaces), and the
 * translation of their callbacks into {@link ZeroTierEvent}s. A restart builds a new one from the same
 * {@link NodeOptions}; the facade keeps what outlives a run (identity, joined networks, listeners).
 */
final class NodeRuntime
    implements
      Vl1Listener,
      NetworkListener,
      NetworkAttachment.Changes,
      HostNetworkAttachment.Listener {

  private static final Logger LOG = Logger.getLogger(ZeroTierNode.class.getName());
  /** How long a caller waits for the loop (and for the VL1 start) before giving up. */
  static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);
  private static final long PEER_SCAN_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  final NodeOptions options;
  /** The node's networks to (re-)join: shared with the facade, which keeps it across runs. */
  final Set<Long> joined;
  final Identity identity;
  final EventLoop loop;
  final EventDispatcher events;
  final Object stateLock = new Object();
  final Set<Long> readyNetworks = java.util.concurrent.ConcurrentHashMap.newKeySet();
  volatile boolean online;
  Vl1Node vl1;
  NetworkManager manager;
  NetstackHost host;
  /** Keeps the primary port mapped on the gateway when port mapping is on; null otherwise. */
  private volatile @Nullable PortMapper portMapper;
  // loop-confined
  final Map<Long, NetworkAttachment> attachments = new HashMap<>();
  /** Networks in OS-interface mode (attached to a host interface instead of the stack). */
  final Map<Long, HostNetworkAttachment> hostAttachments = new HashMap<>();
  /** True while start() re-joins the remembered networks (loop-confined). */
  boolean rejoining;
  final Map<Long, NetworkStatus> lastStatus = new HashMap<>();
  final Map<Long, Long> lastRevision = new HashMap<>();
  final Map<Long, Integer> peerPaths = new HashMap<>();
  EventLoop.@Nullable Timer peerTimer;
  /** TCP counters of interfaces already removed in this run (left networks, MTU rebuilds). Loop only. */
  TcpStatistics retiredTcp = TcpStatistics.EMPTY;
  volatile boolean stopping;
  volatile boolean loopStarted;
  /** The fatal error that stopped this run's event loop, if it died. */
  volatile @Nullable Throwable failure;
  /**
   * Set once NodeUp and the store events are posted. The VL1 node may come online (a root answering on the loop)
   * while start() is still on its way there; until then online changes are not reported, and start() reports the
   * state it then finds, so listeners always see NodeUp before NodeOnline.
   */
  volatile boolean announced;

  NodeRuntime(NodeOptions options, Identity identity, Set<Long> joined, List<ZeroTierEventListener> listeners) {
    this.options = options;
    this.joined = joined;
    this.identity = identity;
    String name = "zt-" + identity.addressString();
    this.loop = new EventLoop(name);
    this.events = new EventDispatcher(name + "-events", options.eventQueueCapacity(), listeners);
  }

  void start() throws IOException {
    NodeOptions o = options;
    World planet = o.planet();
    List<World> moons = new ArrayList<>(o.moons());
    if (o.storage() != null) {
      Files.createDirectories(o.storage());
      Path pf = o.storage().resolve("planet");
      if (!o.planetExplicit() && o.cachePlanet() && Files.isRegularFile(pf)) {
        try {
          World cached = World.parse(Files.readAllBytes(pf));
          if (cached.id() == planet.id() && cached.timestamp() >= planet.timestamp()) {
            planet = cached;
          }
        } catch (IllegalArgumentException e) {
          LOG.warning("ignoring unreadable cached planet " + pf + ": " + e.getMessage());
        }
      }
      moons.addAll(readMoons(o.storage().resolve("moons.d")));
    }
    Vl1Config cfg = Vl1Config.of(identity, planet, o.underlay())
        .withPathPolicy(o.pathPolicy())
        .withMoons(moons);
    loop.start();
    loopStarted = true;
    vl1 = new Vl1Node(cfg, loop);
    vl1.setTcpRelay(o.tcpRelay());
    host = new NetstackHost(loop);
    host.setRemoteNodeResolver(this::remoteNode);
    NetworkOptions netOpts = o.storage() == null ? NetworkOptions.inMemory()
        : NetworkOptions.withStorage(o.storage()).withCacheNetworks(o.cacheNetworks());
    manager = new NetworkManager(vl1, netOpts);
    vl1.addListener(this);
    manager.addListener(this);
    try {
      vl1.startOnLoop().get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io
          : new IOException("node " + identity.addressString() + " failed to start: " + c, c);
    } catch (TimeoutException e) {
      throw new IOException("node " + identity.addressString() + " did not start within " + CALL_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException("interrupted while starting the node");
    }
    if (o.storage() != null && o.cachePeers()) {
      // Cached peers are validated off the loop and probed at their last addresses: no WHOIS after a restart.
      PeerCache.attach(vl1, o.storage().resolve("peers.d"));
    }
    UdpUnderlay u = vl1.underlay();
    events.post(new ZeroTierEvent.NodeUp(identity.address(), u == null ? 0 : u.primaryPort(),
        u == null ? 0 : u.secondaryPort()));
    events.post(new ZeroTierEvent.StoreIdentity(identity.address(), identity.toPublicString(),
        identity.toSecretString().toCharArray()));
    if (o.portMapping() && u != null && u.primaryPort() > 0) {
      startPortMapping(o, u.primaryPort());
    }
    World p = vl1.planet();
    events.post(new ZeroTierEvent.StorePlanet(p.id(), p.timestamp(), p.serialize()));
    announced = true;
    manager.start();
    onLoop(() -> {
      rejoining = true;
      for (long nwid : joined.toArray(new Long[0])) {
        joinOnLoop(nwid);
      }
      for (long nwid : manager.networkIds()) {
        joined.add(nwid);
        joinOnLoop(nwid);
      }
      rejoining = false;
      if (vl1.online()) {
        onOnlineChanged(true);
      }
      schedulePeerScan();
      return null;
    });
  }

  void stop(boolean emit) {
    stopping = true; // from here on the node is going down: no NodeOffline, no new attachments
    PortMapper mapper = portMapper;
    if (mapper != null) {
      mapper.close(); // deletes the mapping on the gateway (lifetime 0) while the loop still runs
      portMapper = null;
    }
    try {
      if (loopStarted) {
        onLoop(() -> {
          stopping = true;
          if (peerTimer != null) {
            peerTimer.cancel();
          }
          for (NetworkAttachment a : List.copyOf(attachments.values())) {
            a.detach(null);
            if (emit) {
              events.post(new ZeroTierEvent.NetworkDown(a.networkId()));
            }
          }
          attachments.clear();
          for (HostNetworkAttachment h : List.copyOf(hostAttachments.values())) {
            h.detach();
            if (emit) {
              events.post(new ZeroTierEvent.NetworkDown(h.networkId()));
            }
          }
          hostAttachments.clear();
          return null;
        });
      }
    } catch (RuntimeException e) {
      LOG.log(Level.FINE, "stopping networks", e);
    }
    closeQuietly(manager);
    closeQuietly(host);
    closeQuietly(vl1);
    closeQuietly(loop);
    if (emit) {
      events.post(new ZeroTierEvent.NodeDown(identity.address()));
    }
    events.stop(5000);
    synchronized (stateLock) {
      online = false;
      readyNetworks.clear();
      stateLock.notifyAll();
    }
  }

  private static void closeQuietly(@Nullable AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.FINE, "close failed", e);
    }
  }

  /** Runs {@code task} on the node's loop and waits for it; failures are {@link IllegalStateException}s. */
  @Nullable
  PortMapper portMapper() {
    return portMapper;
  }

  /** Maps {@code port} in the background; the external address joins (and on change, leaves) what VL1 advertises. */
  private void startPortMapping(NodeOptions o, int port) {
    PortMapper.Options opts = new PortMapper.Options(o.portMappingGateway(), port,
        PortMapper.Options.DEFAULT_LIFETIME_SECONDS, Retransmission.RFC, PortMapper.Options.DEFAULT_RETRY);
    AtomicReference<@Nullable InetSocketAddress> advertised = new AtomicReference<>();
    PortMapper mapper = new PortMapper(opts, external -> {
      InetSocketAddress before = advertised.getAndSet(external);
      loop.execute(() -> {
        if (before != null) {
          vl1.removeMappedAddress(before);
        }
        if (external != null) {
          vl1.addMappedAddress(external);
        }
      });
    });
    portMapper = mapper;
    mapper.start();
  }

  <T> T onLoop(Callable<T> task) {
    return loop.await(task, CALL_TIMEOUT);
  }

  // -------------------------------------------------------------------------------------------- networks (loop)

  void joinOnLoop(long nwid) {
    if (stopping) {
      return;
    }
    VirtualTap tap = manager.join(nwid);
    HostInterfaceProvider hostProvider = options.hostInterfaceFor(nwid);
    if (hostProvider != null) {
      joinHostOnLoop(nwid, tap, hostProvider);
      return;
    }
    if (!attachments.containsKey(nwid)) {
      try {
        attachments.put(nwid, NetworkAttachment.attach(nwid, tap, host, options.tcp()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      NetworkInfo info = manager.network(nwid);
      if (info != null) {
        onStatusChanged(info);
        NetworkConfig c = manager.config(nwid);
        if (c != null) {
          onConfigChanged(info, c);
        }
      }
    }
  }

  NodeStatistics statisticsOnLoop() {
    TcpStatistics total = retiredTcp;
    List<NetworkStatistics> nets = new ArrayList<>();
    for (NetworkAttachment a : attachments.values()) {
      TcpStatistics t = tcpOf(a);
      total = total.plus(t);
      nets.add(new NetworkStatistics(a.networkId(), t, a.networkInterface().statistics()));
    }
    return NodeStatistics.of(identity.address(), vl1.counters(), total, nets);
  }

  static TcpStatistics tcpOf(NetworkAttachment a) {
    dev.ztjvm.netstack.tcp.TcpStack tcp = a.networkInterface().tcp();
    return tcp == null ? TcpStatistics.EMPTY
        : new TcpStatistics(tcp.connectionCount(), tcp.establishedCount(), tcp.stats());
  }

  /** Keeps the TCP counters of an attachment that is being detached. */
  void retire(NetworkAttachment a) {
    dev.ztjvm.netstack.tcp.TcpStack tcp = a.networkInterface().tcp();
    if (tcp != null) {
      retiredTcp = retiredTcp.plusCounters(tcp.stats());
    }
  }

  /** OS-interface mode: the network goes to a host interface from the provider instead of the stack. */
  void joinHostOnLoop(long nwid, VirtualTap tap, HostInterfaceProvider provider) {
    if (hostAttachments.containsKey(nwid)) {
      return;
    }
    try {
      hostAttachments.put(nwid, HostNetworkAttachment.attach(nwid, identity.address(), tap, provider, loop));
    } catch (IOException | RuntimeException e) {
      if (rejoining) {
        // a remembered network: keep it joined (and remembered for the next start) without an interface
        // rather than failing the whole start or forgetting it; join(nwid) retries
        LOG.log(Level.WARNING, "network " + NetworkId.toString(nwid) + ": cannot attach the host interface, the"
            + " network stays joined without one: " + e.getMessage(), e);
        return;
      }
      joined.remove(nwid);
      manager.leave(nwid);
      throw e instanceof IOException io ? new UncheckedIOException("network " + NetworkId.toString(nwid)
          + ": cannot attach the host interface: " + io.getMessage(), io) : (RuntimeException) e;
    }
    NetworkInfo info = manager.network(nwid);
    if (info != null) {
      onStatusChanged(info);
      NetworkConfig c = manager.config(nwid);
      if (c != null) {
        onConfigChanged(info, c);
      }
    }
  }

  @Override
  public void hostConfigApplied(long nwid, long revision, int newlyReady) {
    HostNetworkAttachment h = hostAttachments.get(nwid);
    NetworkInfo info = manager.network(nwid);
    if (h == null || info == null) {
      return;
    }
    reportReadiness(nwid, details(info), newlyReady, h.transportReady());
  }

  /**
   * Posts the ready events of the families that just became usable ({@code newlyReady}: bit 1 IPv4, bit 2 IPv6)
   * and records whether the network can carry traffic now, waking {@code awaitNetworkReady}.
   */
  private void reportReadiness(long nwid, NetworkDetails d, int newlyReady, boolean transportReady) {
    if ((newlyReady & 1) != 0) {
      events.post(new ZeroTierEvent.NetworkReadyIpv4(d));
    }
    if ((newlyReady & 2) != 0) {
      events.post(new ZeroTierEvent.NetworkReadyIpv6(d));
    }
    synchronized (stateLock) {
      if (transportReady) {
        readyNetworks.add(nwid);
      } else {
        readyNetworks.remove(nwid);
      }
      stateLock.notifyAll();
    }
  }

  @Override
  public void hostConfigFailed(long nwid, long revision, Throwable error) {
    LOG.log(Level.WARNING, "network " + NetworkId.toString(nwid) + ": config revision " + revision
        + " could not be applied to the host interface: " + error.getMessage(), error);
  }

  @Nullable
  NetworkDetails details(long nwid) {
    NetworkInfo i = manager.network(nwid);
    return i == null ? null : details(i);
  }

  NetworkDetails details(NetworkInfo i) {
    NetworkAttachment a = attachments.get(i.networkId());
    HostNetworkAttachment h = hostAttachments.get(i.networkId());
    NetworkConfig c = manager.config(i.networkId());
    DnsConfig dns = c == null ? DnsConfig.NONE : c.dns();
    return new NetworkDetails(i.networkId(), i.status(), i.reason(), i.name(), i.isPrivate(), i.mtu(), i.mac(),
        i.broadcast(), i.addresses(), i.routes(), manager.multicastGroups(i.networkId()),
        a != null ? a.transportReady() : h != null && h.transportReady(), dns.domain(), dns.servers(),
        i.revision(), i.authenticationUrl());
  }

  @Override
  public void onStatusChanged(NetworkInfo info) {
    long nwid = info.networkId();
    if ((!attachments.containsKey(nwid) && !hostAttachments.containsKey(nwid))
        || info.status() == lastStatus.get(nwid)) {
      return;
    }
    lastStatus.put(nwid, info.status());
    NetworkDetails d = details(info);
    events.post(switch (info.status()) {
      case REQUESTING_CONFIGURATION -> new ZeroTierEvent.NetworkRequestingConfig(d);
      case OK -> new ZeroTierEvent.NetworkOk(d);
      case ACCESS_DENIED -> new ZeroTierEvent.NetworkAccessDenied(d);
      case NOT_FOUND -> new ZeroTierEvent.NetworkNotFound(d);
      case CLIENT_TOO_OLD -> new ZeroTierEvent.NetworkClientTooOld(d);
      case PORT_ERROR, AUTHENTICATION_REQUIRED -> new ZeroTierEvent.NetworkStatusOther(d);
    });
    if (info.status() != NetworkStatus.OK) {
      // a network that loses its config keeps its addresses in ZeroTier One too (until a new config), so only
      // the status is reported here
      return;
    }
  }

  @Override
  public void onConfigChanged(NetworkInfo info, NetworkConfig config) {
    long nwid = info.networkId();
    HostNetworkAttachment h = hostAttachments.get(nwid);
    if (h != null) {
      Long before = lastRevision.put(nwid, info.revision());
      if (before == null || before != info.revision()) {
        h.configure(info, config.broadcastEnabled(), this);
        if (before != null) {
          events.post(new ZeroTierEvent.NetworkUpdate(details(info)));
        }
      }
      return;
    }
    NetworkAttachment a = attachments.get(nwid);
    if (a == null) {
      return;
    }
    Long prev = lastRevision.put(nwid, info.revision());
    if (prev != null && prev == info.revision()) {
      return;
    }
    if (a.networkInterface().mtu() != info.mtu()) {
      if (!a.transportReady()) {
        // first config: rebuild the interface with the network's MTU before any address (and socket) uses it
        retire(a);
        a.detach(null);
        try {
          a = NetworkAttachment.attach(nwid, a.tap(), host, options.tcp());
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        attachments.put(nwid, a);
      } else {
        // later configs: change the live interface's MTU; open TCP connections shrink their MSS if needed
        try {
          a.networkInterface().setMtu(info.mtu(), loop.nanoTime());
        } catch (IllegalArgumentException e) {
          LOG.warning("network " + NetworkId.toString(nwid) + " pushed an MTU the stack cannot use: "
              + e.getMessage() + "; keeping " + a.networkInterface().mtu());
        }
      }
    }
    int ready = a.sync(info.addresses(), info.routes(), this);
    NetworkDetails d = details(info);
    if (prev != null) {
      events.post(new ZeroTierEvent.NetworkUpdate(d));
    }
    reportReadiness(nwid, d, ready, a.transportReady());
  }

  @Override
  public void onLeft(long nwid) {
    NetworkAttachment a = attachments.remove(nwid);
    HostNetworkAttachment h = hostAttachments.remove(nwid);
    lastStatus.remove(nwid);
    lastRevision.remove(nwid);
    synchronized (stateLock) {
      readyNetworks.remove(nwid);
      stateLock.notifyAll();
    }
    if (a != null) {
      retire(a);
      a.detach(null);
      events.post(new ZeroTierEvent.NetworkDown(nwid));
    }
    if (h != null) {
      h.detach();
      events.post(new ZeroTierEvent.NetworkDown(nwid));
    }
  }

  @Override
  public void addressAdded(long nwid, InetAddress address, int prefixLength) {
    events.post(new ZeroTierEvent.AddressAdded(nwid, address, prefixLength));
  }

  @Override
  public void addressRemoved(long nwid, InetAddress address, int prefixLength) {
    events.post(new ZeroTierEvent.AddressRemoved(nwid, address, prefixLength));
  }

  @Override
  public void routeAdded(long nwid, dev.ztjvm.vl2.Route route) {
    events.post(new ZeroTierEvent.RouteAdded(nwid, route));
  }

  @Override
  public void routeRemoved(long nwid, dev.ztjvm.vl2.Route route) {
    events.post(new ZeroTierEvent.RouteRemoved(nwid, route));
  }

  long remoteNode(NetworkInterface nif, InetAddress remote, dev.ztjvm.netstack.ethernet.@Nullable MacAddress mac) {
    for (NetworkAttachment a : attachments.values()) {
      if (a.networkInterface() != nif) {
        continue;
      }
      long nwid = a.networkId();
      if (mac != null && NodeMac.isNodeMac(nwid, mac.value())) {
        return NodeMac.nodeAddress(nwid, mac.value());
      }
      long fromIp = ZeroTierAddresses.nodeOf(nwid, remote);
      if (fromIp >= 0) {
        return fromIp;
      }
    }
    return -1;
  }

  // -------------------------------------------------------------------------------------------- VL1 (loop)

  @Override
  public void onOnlineChanged(boolean now) {
    if (stopping || !announced) {
      return;
    }
    synchronized (stateLock) {
      if (online == now) {
        return;
      }
      online = now;
      stateLock.notifyAll();
    }
    events.post(now ? new ZeroTierEvent.NodeOnline(identity.address())
        : new ZeroTierEvent.NodeOffline(identity.address()));
  }

  @Override
  public void onIdentityCollision(long upstream) {
    events.post(new ZeroTierEvent.IdentityCollision(identity.address(), upstream));
  }

  @Override
  public void onLoopFailed(Throwable cause) {
    failure = cause;
    synchronized (stateLock) {
      online = false;
      stateLock.notifyAll();
    }
    events.post(new ZeroTierEvent.NodeFailed(identity.address(), String.valueOf(cause)));
  }

  @Override
  public void onWorldChanged(World world) {
    NodeOptions o = options;
    if (world.type() == World.Type.PLANET) {
      events.post(new ZeroTierEvent.StorePlanet(world.id(), world.timestamp(), world.serialize()));
    }
    if (o.storage() == null || !o.cachePlanet()) {
      return;
    }
    Path target = world.type() == World.Type.PLANET ? o.storage().resolve("planet")
        : o.storage().resolve("moons.d").resolve(String.format("%016x.moon", world.id()));
    try {
      Files.createDirectories(target.getParent());
      Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
      Files.write(tmp, world.serialize());
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      LOG.log(Level.WARNING, "could not store " + target, e);
    }
  }

  void schedulePeerScan() {
    if (stopping) {
      return;
    }
    peerTimer = loop.schedule(PEER_SCAN_NANOS, () -> {
      scanPeers();
      schedulePeerScan();
    });
  }

  /** libzt-style synthetic peer events from path count changes. */
  void scanPeers() {
    Set<Long> seen = new java.util.HashSet<>();
    for (PeerInfo p : vl1.peers()) {
      seen.add(p.address());
      int n = p.paths().size();
      Integer before = peerPaths.put(p.address(), n);
      PeerDetails d = PeerDetails.of(p);
      if (before == null) {
        events.post(n > 0 ? new ZeroTierEvent.PeerDirect(d) : new ZeroTierEvent.PeerRelay(d));
      } else if (before == 0 && n > 0) {
        events.post(new ZeroTierEvent.PeerDirect(d));
      } else if (before > 0 && n == 0) {
        events.post(new ZeroTierEvent.PeerRelay(d));
      } else if (n > before) {
        events.post(new ZeroTierEvent.PeerPathDiscovered(d));
      } else if (n < before) {
        events.post(new ZeroTierEvent.PeerPathDead(d));
      }
    }
    peerPaths.keySet().retainAll(seen);
  }

  private static List<World> readMoons(Path dir) throws IOException {
    List<World> out = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return out;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.moon")) {
      for (Path p : ds) {
        try {
          World w = World.parse(Files.readAllBytes(p));
          if (w.type() == World.Type.MOON) {
            out.add(w);
          }
        } catch (IllegalArgumentException e) {
          LOG.warning("ignoring unreadable moon " + p + ": " + e.getMessage());
        }
      }
    }
    return out;
  }

  // ------------------------------------------------------------------------------------------------ facade support

  /** Where the node listens and, if a TCP relay is configured, how it stands: for "not online" messages. */
  String underlayDescription() {
    UdpUnderlay u = vl1.underlay();
    var relay = u == null ? null : u.tcpRelay();
    String udp = "on UDP port " + (u == null ? 0 : u.primaryPort())
        + " (check that UDP to the roots is not blocked and the planet is right)";
    if (relay == null) {
      return udp;
    }
    String via = "through the TCP relay " + relay.relayAddress() + " (relay connection "
        + (relay.isConnected() ? "up" : "down: check that the relay runs and TCP to it is allowed") + ")";
    return relay.forced() ? via : udp + ", nor " + via;
  }

  /** The joined networks' details, read on the loop. */
  List<NetworkDetails> networks() {
    return onLoop(() -> {
      List<NetworkDetails> out = new ArrayList<>();
      for (long id : manager.networkIds()) {
        NetworkDetails d = details(id);
        if (d != null) {
          out.add(d);
        }
      }
      return out;
    });
  }

  /** An ICMP or ICMPv6 echo over the network that reaches {@code address}; see {@link ZeroTierNode#ping}. */
  Duration ping(InetAddress address, Duration timeout) throws IOException, InterruptedException, TimeoutException {
    CompletableFuture<Long> f = host.call(() -> {
      NetworkInterface nif = host.interfaceFor(address);
      if (nif == null) {
        throw new java.net.NoRouteToHostException("no joined network reaches " + address.getHostAddress());
      }
      CompletableFuture<Long> p = nif.ping(address, 56, loop.nanoTime(), timeout.toNanos());
      host.wakeup();
      return p;
    });
    try {
      return Duration.ofNanos(f.get(timeout.toMillis() + 1000, TimeUnit.MILLISECONDS));
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof TimeoutException) {
        throw new TimeoutException("no echo reply from " + address.getHostAddress() + " within " + timeout);
      }
      if (c instanceof IOException io) {
        throw io;
      }
      throw new IOException("ping " + address.getHostAddress() + " failed: " + c, c);
    }
  }

  // ------------------------------------------------------------------------------------------------ waiting (any thread)

  /** Waits until a root answers; the facade's {@code awaitOnline}. */
  void awaitOnline(Duration timeout) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateLock) {
      while (!online) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException("node " + identity.addressString() + " not online after " + timeout
              + ": no root of planet " + vl1.planet().id() + " answered " + underlayDescription());
        }
        TimeUnit.NANOSECONDS.timedWait(stateLock, left);
      }
    }
  }

  /** Waits until the stack holds an address on {@code networkId}; the timeout names the network's status. */
  void awaitReady(long networkId, Duration timeout, java.util.function.Supplier<@Nullable NetworkDetails> details)
      throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (stateLock) {
      while (!readyNetworks.contains(networkId)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          NetworkDetails d = details.get();
          String why = d == null ? "not joined" : d.status() + (d.reason().isEmpty() ? "" : ": " + d.reason());
          throw new TimeoutException("network " + NetworkId.toString(networkId) + " not ready after " + timeout
              + " (" + why + ")");
        }
        TimeUnit.NANOSECONDS.timedWait(stateLock, left);
      }
    }
  }

  /** The identity a run uses: the given one (stored if storage is empty), the stored one, or a new one. */
  static Identity resolveIdentity(@Nullable Identity given, NodeOptions options) throws IOException {
    Path storage = options.storage();
    if (given != null) {
      if (storage != null && options.cacheIdentity()) {
        IdentityStore store = new IdentityStore(storage);
        if (store.load().isEmpty()) {
          store.save(given);
        }
      }
      return given;
    }
    if (storage == null) {
      return Identity.generate();
    }
    Files.createDirectories(storage);
    IdentityStore store = new IdentityStore(storage);
    return options.cacheIdentity() ? store.loadOrGenerate() : store.load().orElseGet(Identity::generate);
  }
}
