package dev.ztjvm.sockets;

import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.sockets.dns.DnsClient;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import dev.ztjvm.sockets.internal.node.HostNetworkAttachment;
import dev.ztjvm.sockets.spi.HostInterfaceProvider;
import dev.ztjvm.underlay.Prefix;
import dev.ztjvm.underlay.TcpRelayConfig;
import dev.ztjvm.underlay.UdpUnderlay;
import dev.ztjvm.underlay.portmap.PortMapper;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A ZeroTier node in this JVM: VL1 (peers, roots, UDP), VL2 (networks) and the in-JVM TCP/IP stack, behind one
 * object. Build it with {@link #builder()}, {@link #start()} it, {@link #join} networks, wait with
 * {@link #awaitNetworkReady}, then open sockets with {@link #newSocket()}, {@link #newServerSocket(int)},
 * {@link #newDatagramSocket(int)} or the {@link #socketFactory() factories}.
 *
 * <p>Each node has its own network loop thread (VL1, VL2 and the stack share it) and its own event thread; any number
 * of nodes can run in one JVM. All methods are thread-safe. {@link #stop()} is idempotent and a stopped node can be
 * started again (same identity; it re-joins the networks it had joined).
 *
 * <p>Starting, like tsnet's {@code Server}: a new node starts itself on the first call that needs the network to
 * come up - {@link #join}, {@link #awaitOnline} and {@link #awaitNetworkReady} - as well as on {@link #start()}. After
 * {@link #stop()} only {@code start()} runs it again (so a late call cannot bring back a node its owner stopped).
 * Calls that use the running node (sockets, {@link #netstack()}, {@link #ping}, {@link #statistics()},
 * {@link #refresh}, {@link #orbit}) throw an {@link IllegalStateException} naming {@code start()} when it is not
 * running; queries answer for a node that is not running with nothing: no networks, no peers, port 0, not online.
 *
 * <p>This class is the facade; one run (loop, VL1 node, network manager, stack) is a {@code NodeRuntime} built from
 * the immutable options the {@link Builder} checked.
 */
public final class ZeroTierNode implements AutoCloseable {

  private final NodeOptions options;
  private final CopyOnWriteArrayList<ZeroTierEventListener> listeners;
  private final Object lock = new Object();
  /** Networks to (re-)join at start; changed by join/leave. */
  private final Set<Long> joined = java.util.Collections.synchronizedSet(new LinkedHashSet<>());
  private volatile @Nullable Identity identity;
  private volatile @Nullable NodeRuntime run;
  /** Set by stop(): from then on only start() runs the node again. */
  private volatile boolean stopped;
  private long droppedEventsBefore;

  private ZeroTierNode(NodeOptions options) {
    this.options = options;
    this.listeners = new CopyOnWriteArrayList<>(options.listeners());
    this.identity = options.identity();
  }

  /** A builder with defaults: new in-memory identity, ZeroTier's public planet, random port. */
  public static Builder builder() {
    return new Builder();
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  /**
   * Starts the node: loads or creates the identity, binds UDP, contacts the roots, re-joins networks. Returns when
   * the UDP sockets are bound (use {@link #awaitOnline} to wait for the roots). No-op when already running.
   *
   * @throws IOException if the storage cannot be read or written or no UDP port can be bound
   */
  public ZeroTierNode start() throws IOException {
    synchronized (lock) {
      stopped = false;
      startedRun();
      return this;
    }
  }

  /** Stops the node (events {@code NetworkDown} per network, then {@code NodeDown}); no-op when not running. */
  public void stop() {
    NodeRuntime r;
    synchronized (lock) {
      stopped = true;
      r = run;
      run = null;
    }
    if (r != null) {
      r.stop(true);
      droppedEventsBefore += r.events.dropped();
    }
  }

  /** Same as {@link #stop()}. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Whether the node's event loop died of a fatal error (out of memory, stack overflow): the node stays started but
   * serves nothing and will not recover; report it down (Spring health does) and {@link #stop()} it. A {@link
   * dev.ztjvm.sockets.event.ZeroTierEvent.NodeFailed} event was posted when it happened.
   */
  public boolean isFailed() {
    NodeRuntime r = run;
    return r != null && r.failure != null;
  }

  /** Why the node failed ({@link #isFailed()}), or empty. */
  public java.util.Optional<String> failure() {
    NodeRuntime r = run;
    Throwable t = r == null ? null : r.failure;
    return t == null ? java.util.Optional.empty() : java.util.Optional.of(String.valueOf(t));
  }

  /** The running node's event loop, or null (tests make it fail to check the failure path). */
  dev.ztjvm.runtime.@Nullable EventLoop eventLoop() {
    NodeRuntime r = run;
    return r == null ? null : r.loop;
  }

  /** Whether the node is started (not whether it is online). */
  public boolean isRunning() {
    return run != null;
  }

  /**
   * Waits until at least one root answers (like tsnet's {@code Up}); starts the node if needed.
   *
   * @throws TimeoutException with a hint (ports, planet) if the node is not online in time
   */
  public void awaitOnline(Duration timeout) throws IOException, InterruptedException, TimeoutException {
    startedRun().awaitOnline(timeout);
  }

  /**
   * Joins {@code networkId} if needed and waits until the in-JVM stack holds an address on it, so sockets can be
   * used; returns the network's details. Starts the node if needed.
   *
   * @throws TimeoutException naming the network's status and what to do (e.g. which member to authorize)
   */
  public NetworkDetails awaitNetworkReady(long networkId, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    NodeRuntime r = startedRun();
    join(networkId);
    r.awaitReady(networkId, timeout, () -> network(networkId));
    NetworkDetails d = network(networkId);
    if (d == null) {
      throw new IOException("network " + NetworkId.toString(networkId) + " was left while waiting");
    }
    return d;
  }

  /** The current run, started now if the node is new (never if it was stopped: see the class comment). */
  private NodeRuntime startedRun() throws IOException {
    synchronized (lock) {
      NodeRuntime r = run;
      if (r != null) {
        return r;
      }
      if (stopped) {
        throw new IllegalStateException("ZeroTierNode " + this + " was stopped: call start() to run it again");
      }
      r = new NodeRuntime(options, resolveIdentity(), joined, listeners);
      try {
        r.start();
      } catch (IOException | RuntimeException e) {
        r.stop(false);
        throw e;
      }
      run = r;
      return r;
    }
  }

  private NodeRuntime running() {
    NodeRuntime r = run;
    if (r == null) {
      throw new IllegalStateException("ZeroTierNode is not started: call start() first");
    }
    return r;
  }

  private Identity resolveIdentity() throws IOException {
    Identity id = NodeRuntime.resolveIdentity(identity, options);
    identity = id;
    return id;
  }

  // ------------------------------------------------------------------------------------------------ listeners

  /** Adds an event listener (also for later runs). */
  public void addListener(ZeroTierEventListener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  /** Removes an event listener. */
  public void removeListener(ZeroTierEventListener l) {
    listeners.remove(l);
  }

  /** Events dropped because a listener was too slow and the bounded queue filled (all runs). */
  public long droppedEvents() {
    NodeRuntime r = run;
    return droppedEventsBefore + (r == null ? 0 : r.events.dropped());
  }

  // ------------------------------------------------------------------------------------------------ node queries

  /** The 40-bit node ID (available before start: the identity is created or loaded then). */
  public long nodeId() {
    Identity id = identity;
    if (id == null) {
      synchronized (lock) {
        try {
          id = resolveIdentity();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot load or create the identity in " + options.storage(), e);
        }
      }
    }
    return id.address();
  }

  /** The node ID as 10 hex digits. */
  public String nodeIdString() {
    return Address.toString(nodeId());
  }

  /** The public identity ({@code address:0:public}). */
  public String publicIdentity() {
    nodeId();
    return Objects.requireNonNull(identity).toPublicString();
  }

  /** The identity with its private key ({@code address:0:public:private}); only for storing it safely elsewhere. */
  public String exportSecretIdentity() {
    nodeId();
    return Objects.requireNonNull(identity).toSecretString();
  }

  /** The ZeroTier protocol software version this node announces. */
  public static String version() {
    return Vl1Node.SOFTWARE_MAJOR + "." + Vl1Node.SOFTWARE_MINOR + "." + Vl1Node.SOFTWARE_REVISION;
  }

  /** Whether at least one root answers. */
  public boolean isOnline() {
    NodeRuntime r = run;
    return r != null && r.online;
  }

  /** The primary UDP port bound (0 when not running). */
  public int primaryPort() {
    UdpUnderlay u = underlay();
    return u == null ? 0 : u.primaryPort();
  }

  /** The secondary UDP port bound (0 when none or not running). */
  public int secondaryPort() {
    UdpUnderlay u = underlay();
    return u == null ? 0 : u.secondaryPort();
  }

  /**
   * The port mapping's state (status, mapping with its external address and protocol, last refusal), or null when
   * {@link Builder#portMapping(boolean)} is off or the node is not running.
   */
  public PortMapper.@Nullable State portMappingState() {
    NodeRuntime r = run;
    PortMapper m = r == null ? null : r.portMapper();
    return m == null ? null : m.state();
  }

  /** The physical addresses the node advertises to peers in PUSH_DIRECT_PATHS now (empty when not running). */
  List<InetSocketAddress> advertisedPhysicalAddresses() {
    NodeRuntime r = run;
    return r == null ? List.of() : r.onLoop(r.vl1::advertisedPhysicalAddresses);
  }

  private @Nullable UdpUnderlay underlay() {
    NodeRuntime r = run;
    return r == null ? null : r.vl1.underlay();
  }

  /**
   * Whether the TCP connection to the {@linkplain Builder#tcpRelay TCP relay} is established right now (ZeroTier
   * One's {@code tcpFallbackActive}); false without a relay or when not running.
   */
  public boolean isTcpRelayActive() {
    UdpUnderlay u = underlay();
    var relay = u == null ? null : u.tcpRelay();
    return relay != null && relay.isConnected();
  }

  /** The planet in use (the configured one until a root pushes a newer revision). */
  public World planet() {
    NodeRuntime r = run;
    return r == null ? options.planet() : r.vl1.planet();
  }

  /** Orbits a moon (its roots are asked for the moon definition). */
  public void orbit(long moonWorldId, long seed) {
    NodeRuntime r = running();
    r.loop.execute(() -> r.vl1.orbit(moonWorldId, seed));
  }

  /** Leaves a moon. */
  public void deorbit(long moonWorldId) {
    NodeRuntime r = running();
    r.loop.execute(() -> r.vl1.deorbit(moonWorldId));
  }

  /** All peers with their roles, versions, latencies and paths; none when the node is not running. */
  public List<PeerDetails> peers() {
    NodeRuntime r = run;
    return r == null ? List.of() : r.onLoop(() -> r.vl1.peers().stream().map(PeerDetails::of).toList());
  }

  /** One peer, or null if unknown (or the node is not running). */
  public @Nullable PeerDetails peer(long address) {
    NodeRuntime r = run;
    return r == null ? null : r.onLoop(() -> {
      PeerInfo p = r.vl1.peer(address);
      return p == null ? null : PeerDetails.of(p);
    });
  }

  // ------------------------------------------------------------------------------------------------ statistics

  /**
   * A snapshot of the node's statistics since the current {@link #start()}: VL1 packets and bytes by direction and
   * verb, drops by reason (MAC failures included), and TCP connections and counters per node and per network.
   * Thread-safe; the TCP part is read on the node's loop (this call waits for it), so call it for metrics, not per
   * packet.
   *
   * @throws IllegalStateException if the node is not started
   */
  public NodeStatistics statistics() {
    NodeRuntime r = running();
    return r.onLoop(r::statisticsOnLoop);
  }

  /**
   * The live VL1 counters of the current run (lock-free reads from any thread, e.g. one metrics gauge per verb), or
   * null when the node is not running. A restart starts new counters.
   */
  public @Nullable Vl1Counters vl1Counters() {
    NodeRuntime r = run;
    return r == null || r.vl1 == null ? null : r.vl1.counters();
  }

  // ------------------------------------------------------------------------------------------------ networks

  /**
   * Joins a network (no-op if joined), starting the node if it is new; the node re-joins it after a restart until
   * {@link #leave}.
   *
   * @throws UncheckedIOException if the node cannot start (it is started here when new)
   */
  public void join(long networkId) {
    NodeRuntime r;
    try {
      r = startedRun();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start node to join " + NetworkId.toString(networkId), e);
    }
    joined.add(networkId);
    r.onLoop(() -> {
      r.joinOnLoop(networkId);
      return null;
    });
  }

  /** Leaves a network: its stack interface is removed ({@code NetworkDown}). Returns false if it was not joined. */
  public boolean leave(long networkId) {
    joined.remove(networkId);
    NodeRuntime r = run;
    return r != null && r.manager.leave(networkId);
  }

  /** Asks the network's controller for its config now (instead of at the next periodic refresh). */
  public void refresh(long networkId) {
    running().manager.refresh(networkId);
  }

  /** The joined networks; none when the node is not running. */
  public List<NetworkDetails> networks() {
    NodeRuntime r = run;
    return r == null ? List.of() : r.networks();
  }

  /** One joined network, or null (also when the node is not running). */
  public @Nullable NetworkDetails network(long networkId) {
    NodeRuntime r = run;
    return r == null ? null : r.onLoop(() -> r.details(networkId));
  }

  /**
   * The host interface name of a network attached in OS-interface mode ({@link Builder#hostInterface}), or null
   * when the network is not joined or uses the in-JVM stack.
   */
  public @Nullable String hostInterfaceName(long networkId) {
    NodeRuntime r = run;
    return r == null ? null : r.onLoop(() -> {
      HostNetworkAttachment h = r.hostAttachments.get(networkId);
      return h == null ? null : h.interfaceName();
    });
  }

  /** Whether the in-JVM stack has an address on the network (sockets can be used). */
  public boolean isTransportReady(long networkId) {
    NodeRuntime r = run;
    return r != null && r.readyNetworks.contains(networkId);
  }

  // ------------------------------------------------------------------------------------------------ sockets

  /** The stack host of the current run: what the socket classes need. */
  public NetstackHost netstack() {
    return running().host;
  }

  /**
   * The ZeroTier node that has {@code remote} on the network where this node has {@code local} — e.g. the two
   * addresses of an accepted connection — from the stack's neighbor table (ZeroTier MACs are derived from node IDs;
   * RFC4193 and 6PLANE addresses contain them). Empty when {@code local} is not one of this node's addresses or the
   * peer is not known. Waits for the node's loop: do not call it on that loop.
   */
  public java.util.OptionalLong remoteNodeId(InetAddress local, InetAddress remote) throws IOException {
    NetstackHost host = netstack();
    long id = host.call(() -> {
      NetworkInterface nif = host.interfaceWithAddress(local);
      return nif == null ? -1L : host.remoteNode(nif, remote);
    });
    return id < 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(id);
  }

  /** An unconnected TCP socket over this node's networks. */
  public ZeroTierSocket newSocket() throws SocketException {
    return new ZeroTierSocket(running().host);
  }

  /** A TCP server socket bound to {@code port} on every address of the node (0 = ephemeral). */
  public ZeroTierServerSocket newServerSocket(int port) throws IOException {
    return new ZeroTierServerSocket(running().host, port);
  }

  /** A UDP socket bound to {@code port} (0 = ephemeral). */
  public ZeroTierDatagramSocket newDatagramSocket(int port) throws SocketException {
    return new ZeroTierDatagramSocket(running().host, port);
  }

  /** A {@link javax.net.SocketFactory} whose sockets use this node (for JDBC drivers, HTTP clients, TLS layering). */
  public ZeroTierSocketFactory socketFactory() {
    return new ZeroTierSocketFactory(running().host);
  }

  /** A {@link javax.net.ServerSocketFactory} whose server sockets use this node. */
  public ZeroTierServerSocketFactory serverSocketFactory() {
    return new ZeroTierServerSocketFactory(running().host);
  }

  /**
   * Sends an ICMP (v4) or ICMPv6 echo request over the network that reaches {@code address} and returns the round
   * trip time.
   *
   * @throws TimeoutException if no reply came within {@code timeout}
   * @throws IOException if no network reaches the address or an ICMP error came back
   */
  public Duration ping(InetAddress address, Duration timeout)
      throws IOException, InterruptedException, TimeoutException {
    return running().ping(address, timeout);
  }

  // ------------------------------------------------------------------------------------------------ DNS

  /**
   * The DNS servers used by {@link #resolve}: the configured ones ({@link Builder#dnsServers}), else those the
   * controllers of the joined networks push.
   */
  public List<InetSocketAddress> dnsServers() {
    if (!options.dnsServers().isEmpty()) {
      return options.dnsServers();
    }
    List<InetSocketAddress> out = new ArrayList<>();
    for (NetworkDetails d : networks()) {
      out.addAll(d.dnsServers());
    }
    return out;
  }

  /**
   * Resolves a host name to its IPv4 (A) and IPv6 (AAAA) addresses through {@link #dnsServers()} over the
   * ZeroTier network. Literal addresses are returned as they are.
   *
   * @throws UnknownHostException if no server knows the name or none answers
   */
  public List<InetAddress> resolve(String name, Duration timeout) throws IOException {
    List<InetSocketAddress> servers = dnsServers();
    DnsClient client = new DnsClient(servers, () -> newDatagramSocket(0), timeout, 2);
    return client.resolve(name);
  }

  @Override
  public String toString() {
    Identity id = identity;
    return "ZeroTierNode[" + (id == null ? "?" : id.addressString()) + (run != null ? ", running" : "") + "]";
  }

  // ================================================================================================ builder

  /**
   * Options of a {@link ZeroTierNode}. Every setter checks its argument at once and throws an
   * {@link IllegalArgumentException} naming the option and how to fix it.
   */
  public static final class Builder {
    private @Nullable Path storage;
    private @Nullable Identity identity;
    private int port;
    private int randomPortMin = 20000;
    private int randomPortMax = 65535;
    private boolean secondaryPort;
    private final List<InetAddress> bindAddresses = new ArrayList<>();
    private World planet = World.defaultPlanet();
    private boolean planetExplicit;
    private final List<World> moons = new ArrayList<>();
    private final List<String> allowedInterfaces = new ArrayList<>();
    private final List<String> blockedInterfaces = new ArrayList<>();
    private final List<Prefix> blockedPrefixes = new ArrayList<>();
    private boolean allowLoopbackPaths;
    private @Nullable InetSocketAddress tcpRelay;
    private boolean allowTcpRelay = true;
    private boolean forceTcpRelay;
    private long tcpRelayFallbackAfterMillis = TcpRelayConfig.DEFAULT_FALLBACK_AFTER_MILLIS;
    private boolean cacheNetworks = true;
    private boolean cachePlanet = true;
    private boolean cachePeers = true;
    private boolean cacheIdentity = true;
    private int eventQueueCapacity = 1024;
    private final List<ZeroTierEventListener> listeners = new ArrayList<>();
    private final List<InetSocketAddress> dnsServers = new ArrayList<>();
    private TcpConfig tcp = TcpConfig.defaults();
    private @Nullable HostInterfaceProvider hostInterface;
    private final Map<Long, HostInterfaceProvider> hostInterfaces = new HashMap<>();
    private boolean portMapping;
    private @Nullable InetSocketAddress portMappingGateway;

    private Builder() {}

    /**
     * A home directory like zerotier-one's: {@code identity.secret}/{@code identity.public}, {@code planet},
     * {@code moons.d/}, {@code networks.d/} (created if missing). Networks found there are re-joined at start.
     */
    public Builder storage(Path directory) {
      Objects.requireNonNull(directory, "storage");
      if (Files.exists(directory) && !Files.isDirectory(directory)) {
        throw new IllegalArgumentException("option 'storage': " + directory + " exists and is not a directory");
      }
      this.storage = directory;
      return this;
    }

    /** Uses this identity ({@code address:0:public:private}, e.g. from {@link #exportSecretIdentity()}). */
    public Builder identity(String secretIdentity) {
      Identity id;
      try {
        id = Identity.parse(secretIdentity.trim());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("option 'identity': not a valid ZeroTier identity (" + e.getMessage()
            + "); expected address:0:public:private as in identity.secret", e);
      }
      return identity(id);
    }

    /** Uses this identity given as the bytes of an {@code identity.secret} file (UTF-8 text). */
    public Builder identity(byte[] identitySecretFile) {
      return identity(new String(identitySecretFile, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Uses this identity (it must hold its private key). */
    public Builder identity(Identity id) {
      if (!id.hasSecret()) {
        throw new IllegalArgumentException("option 'identity': identity " + id.addressString()
            + " has no private key; pass the identity.secret form, not identity.public");
      }
      this.identity = id;
      return this;
    }

    /** The primary UDP port (0 = random in the random range; default 0). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("option 'port': " + port + " is not a UDP port (use 0..65535, 0 = random)");
      }
      this.port = port;
      return this;
    }

    /** Where a random primary (and the secondary) port is taken from. */
    public Builder randomPortRange(int min, int max) {
      if (min < 1 || max > 65535 || min > max) {
        throw new IllegalArgumentException("option 'randomPortRange': " + min + ".." + max
            + " is not a valid range (need 1 <= min <= max <= 65535)");
      }
      this.randomPortMin = min;
      this.randomPortMax = max;
      return this;
    }

    /** Also bind a secondary random port (helps behind some NATs; default off). */
    public Builder secondaryPort(boolean on) {
      this.secondaryPort = on;
      return this;
    }

    /** Binds UDP only on this local address (repeatable; default: all IPv4 and IPv6 addresses). */
    public Builder bindAddress(InetAddress address) {
      bindAddresses.add(Objects.requireNonNull(address, "bindAddress"));
      return this;
    }

    /** Uses a custom planet (private roots) instead of ZeroTier's public one. */
    public Builder planet(World planet) {
      if (planet.type() != World.Type.PLANET) {
        throw new IllegalArgumentException("option 'planet': world " + planet.id() + " is a " + planet.type()
            + ", not a planet (moons go to moon(...))");
      }
      this.planet = planet;
      this.planetExplicit = true;
      return this;
    }

    /** Uses a custom planet from its serialized bytes (a zerotier-one {@code planet} file). */
    public Builder planet(byte[] planetFile) {
      World w;
      try {
        w = World.parse(planetFile);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("option 'planet': not a valid planet file (" + e.getMessage() + ")", e);
      }
      return planet(w);
    }

    /** Uses a custom planet read from a file. */
    public Builder planetFile(Path file) {
      try {
        return planet(Files.readAllBytes(file));
      } catch (IOException e) {
        throw new IllegalArgumentException("option 'planet': cannot read " + file + ": " + e.getMessage(), e);
      }
    }

    /** Uses a custom planet from a class path resource. */
    public Builder planetResource(String resource) {
      ClassLoader cl = Thread.currentThread().getContextClassLoader();
      try (InputStream in = (cl != null ? cl : ZeroTierNode.class.getClassLoader()).getResourceAsStream(
          resource.startsWith("/") ? resource.substring(1) : resource)) {
        if (in == null) {
          throw new IllegalArgumentException("option 'planet': resource " + resource + " not found on the class path");
        }
        return planet(in.readAllBytes());
      } catch (IOException e) {
        throw new IllegalArgumentException("option 'planet': cannot read resource " + resource, e);
      }
    }

    /** Holds a moon definition (its roots are used like the planet's). */
    public Builder moon(World moon) {
      if (moon.type() != World.Type.MOON) {
        throw new IllegalArgumentException("option 'moon': world " + moon.id() + " is a " + moon.type()
            + ", not a moon");
      }
      moons.add(moon);
      return this;
    }

    /**
     * Uses only physical interfaces whose names start with one of these prefixes for ZeroTier paths (e.g.
     * {@code "eth"}); the others' addresses are blocked at start.
     */
    public Builder allowInterfaces(String... namePrefixes) {
      return addInterfacePrefixes("allowInterfaces", namePrefixes, allowedInterfaces);
    }

    /** Never uses physical interfaces whose names start with these prefixes (libzt's interface blacklist). */
    public Builder blockInterfaces(String... namePrefixes) {
      return addInterfacePrefixes("blockInterfaces", namePrefixes, blockedInterfaces);
    }

    private Builder addInterfacePrefixes(String option, String[] namePrefixes, List<String> into) {
      for (String p : namePrefixes) {
        if (p.isBlank()) {
          throw new IllegalArgumentException("option '" + option + "': empty interface name prefix");
        }
        into.add(p);
      }
      return this;
    }

    /** Never uses physical paths inside this prefix ({@code 10.0.0.0/8}, {@code fd00::/8}). */
    public Builder blockPhysicalPrefix(String cidr) {
      try {
        blockedPrefixes.add(Prefix.parse(cidr));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("option 'blockPhysicalPrefix': " + e.getMessage(), e);
      }
      return this;
    }

    /** Allows physical paths over loopback (off by default, as in ZeroTier One; needed for local roots). */
    public Builder allowLoopbackPaths(boolean allow) {
      this.allowLoopbackPaths = allow;
      return this;
    }

    /**
     * The TCP relay to use when UDP does not work (libzt's {@code zts_init_set_tcp_relay}): a ZeroTier One
     * {@code tcp-proxy} or {@link dev.ztjvm.underlay.TcpRelayServer} (the {@code relay} command of the tools jar).
     * Unset by default: there is no public relay for private planets; ZeroTier's public one, for nodes on its public
     * planet, is {@code 204.80.128.1:443} ({@link TcpRelayConfig#ZEROTIER_PUBLIC_RELAY}). The address must be
     * resolved (an IP address). Only packets to IPv4 addresses go through a relay (the protocol carries no others).
     */
    public Builder tcpRelay(InetSocketAddress relay) {
      Objects.requireNonNull(relay, "tcpRelay");
      if (relay.isUnresolved() || relay.getPort() < 1) {
        throw new IllegalArgumentException("option 'tcpRelay': " + relay
            + " must be a resolved IP address with a port 1..65535, e.g. new InetSocketAddress(\"203.0.113.7\", 443)");
      }
      this.tcpRelay = relay;
      return this;
    }

    /**
     * Whether to fall back to the {@link #tcpRelay TCP relay} after 60 s without any UDP packet received (libzt's
     * {@code zts_init_allow_tcp_relay}; default true, but without a relay address nothing is relayed). The node then
     * sends through the relay and over UDP at once, and closes the relay connection as soon as UDP delivers again.
     */
    public Builder allowTcpRelay(boolean allow) {
      this.allowTcpRelay = allow;
      return this;
    }

    /**
     * Sends and receives only through the {@link #tcpRelay TCP relay} and opens no UDP socket (libzt's {@code
     * zts_init_force_tcp_relay}; default false). For networks that allow no UDP out at all. Needs {@link
     * #tcpRelay}; {@link ZeroTierNode#primaryPort()} is then 0.
     */
    public Builder forceTcpRelay(boolean force) {
      this.forceTcpRelay = force;
      return this;
    }

    /**
     * Maps the primary UDP port on the home gateway (libzt's {@code zts_init_allow_port_mapping}; default false):
     * PCP (RFC 6887), or NAT-PMP (RFC 6886) when the gateway answers PCP with UNSUPP_VERSION. The mapped external
     * address is advertised to peers with our other physical addresses, renewed at half its lifetime and deleted
     * when the node stops. UPnP IGD is not spoken. See {@link ZeroTierNode#portMappingState()}.
     */
    public Builder portMapping(boolean on) {
      this.portMapping = on;
      return this;
    }

    /**
     * The PCP/NAT-PMP server to ask instead of the IPv4 default gateway's port 5351 (found in {@code
     * /proc/net/route} on Linux): for gateways that are not the default route, other systems, and tests.
     * Implies {@link #portMapping(boolean) portMapping(true)}.
     */
    public Builder portMappingGateway(InetSocketAddress gateway) {
      Objects.requireNonNull(gateway, "portMappingGateway");
      if (gateway.isUnresolved() || gateway.getPort() < 1) {
        throw new IllegalArgumentException("option 'portMappingGateway': " + gateway
            + " must be a resolved IP address with a port 1..65535, e.g. new InetSocketAddress(\"192.168.1.1\", 5351)");
      }
      this.portMappingGateway = gateway;
      this.portMapping = true;
      return this;
    }

    /** UDP silence before falling back to the relay (tests; default 60 s like ZeroTier One). */
    Builder tcpRelayFallbackAfterMillis(long millis) {
      this.tcpRelayFallbackAfterMillis = millis;
      return this;
    }

    /** Caches network configs in {@code networks.d} and re-joins them at start (default on; needs storage). */
    public Builder cacheNetworks(boolean on) {
      this.cacheNetworks = on;
      return this;
    }

    /**
     * Keeps peers' identities and last paths in {@code peers.d} and reaches them directly after a restart (default
     * on; needs storage).
     */
    public Builder cachePeers(boolean on) {
      this.cachePeers = on;
      return this;
    }

    /** Stores planet updates and moons in the storage directory (default on). */
    public Builder cachePlanet(boolean on) {
      this.cachePlanet = on;
      return this;
    }

    /** Writes a new or given identity to the storage directory (default on). */
    public Builder cacheIdentity(boolean on) {
      this.cacheIdentity = on;
      return this;
    }

    /** Adds an event listener. */
    public Builder listener(ZeroTierEventListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /** How many undelivered events may wait for slow listeners before new ones are dropped (default 1024). */
    public Builder eventQueueCapacity(int capacity) {
      if (capacity < 16) {
        throw new IllegalArgumentException("option 'eventQueueCapacity': " + capacity + " is too small (min 16)");
      }
      this.eventQueueCapacity = capacity;
      return this;
    }

    /** DNS servers on a ZeroTier network to use instead of the ones the controllers push (port 53 if 0). */
    public Builder dnsServer(InetAddress server, int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("option 'dnsServer': port " + port + " out of range");
      }
      dnsServers.add(new InetSocketAddress(server, port == 0 ? 53 : port));
      return this;
    }

    /** TCP settings of the in-JVM stack. */
    public Builder tcp(TcpConfig config) {
      this.tcp = Objects.requireNonNull(config, "tcp");
      return this;
    }

    /**
     * OS-interface mode for every network this node joins: each is attached to a host interface from
     * {@code provider} (e.g. {@code dev.ztjvm.nativeio.LinuxTapInterface} of module {@code zerotier-native})
     * instead of the in-JVM stack, so the host's own programs use it; this node's sockets do not reach it.
     * {@link ZeroTierNode#awaitNetworkReady}, {@link ZeroTierNode#isTransportReady} and the ready and address
     * events then refer to the host interface (ready once the provider has applied the addresses). A failing
     * attach fails {@link ZeroTierNode#join} with an {@link UncheckedIOException} saying why.
     */
    public Builder hostInterface(HostInterfaceProvider provider) {
      this.hostInterface = Objects.requireNonNull(provider, "hostInterface");
      return this;
    }

    /** OS-interface mode for one network (others keep the in-JVM stack, unless {@link #hostInterface} is set). */
    public Builder hostInterface(long networkId, HostInterfaceProvider provider) {
      hostInterfaces.put(networkId, Objects.requireNonNull(provider, "hostInterface"));
      return this;
    }

    /** Checks the options together and builds the node (not started) on an immutable copy of them. */
    public ZeroTierNode build() {
      NodeOptions.checkBindAddresses(bindAddresses, allowLoopbackPaths, planetExplicit);
      return new ZeroTierNode(new NodeOptions(storage, identity,
          NodeOptions.underlayConfig(port, randomPortMin, randomPortMax, secondaryPort, bindAddresses),
          NodeOptions.tcpRelayConfig(tcpRelay, allowTcpRelay, forceTcpRelay, tcpRelayFallbackAfterMillis), planet,
          planetExplicit, moons, allowedInterfaces, blockedInterfaces, blockedPrefixes, allowLoopbackPaths,
          cacheNetworks, cachePlanet, cachePeers, cacheIdentity, eventQueueCapacity, listeners, dnsServers, tcp,
          hostInterface, hostInterfaces, portMapping, portMappingGateway));
    }
  }
}
