package dev.ztjvm.node;

import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.TcpRelayConfig;
import dev.ztjvm.underlay.UdpUnderlay;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PushDirectPaths;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl1.world.World;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The VL1 protocol engine of one node (spec sections 2–6): receives and sends ZeroTier packets over its UDP underlay,
 * keeps peers and paths, talks to the roots (upstreams), relays when it is a root, and hands VL2 verbs to a {@link
 * Vl2Hook}. Split along ZeroTier One's seams: this class is the node (lifecycle, public API, timers); {@link Switch}
 * moves packets (receive classification, reassembly, relaying, transmit, the WHOIS queue); {@link IncomingPacket}
 * runs the verb handlers; {@link Topology} keeps peers, worlds and upstreams; {@link SelfAwareness} our own external
 * addresses; each {@link Peer} its paths and rate gates. Every table fed by the wire is bounded ({@link Vl1Limits}).
 *
 * <p>All state lives on the node's {@link EventLoop}; every method except {@link #start()}, {@link #close()} and the
 * snapshot queries must be called on that loop. Receive-path code never throws: a bad datagram is dropped and
 * counted in {@link #counters()}.
 */
public final class Vl1Node implements AutoCloseable {

  /** Software version announced in HELLO (informative; we speak the 1.14 protocol). */
  public static final int SOFTWARE_MAJOR = 1;

  public static final int SOFTWARE_MINOR = 14;
  public static final int SOFTWARE_REVISION = 1;

  private static final Logger LOG = Logger.getLogger(Vl1Node.class.getName());
  private static final long FAST_TICK_NANOS = 250_000_000L;
  private static final int MAX_ECHO_REQUESTS = 1024;

  private final Vl1Config config;
  private final Identity identity;
  private final long self;
  private final EventLoop loop;
  private final Vl1Counters counters = new Vl1Counters();
  private final List<Vl1Listener> listeners = new CopyOnWriteArrayList<>();
  private volatile @Nullable Vl2Hook vl2Hook;

  private final Topology topology;
  private final SelfAwareness selfAwareness;
  private final Switch sw;
  private final IncomingPacket incoming;
  private final Map<Long, EchoRequest> echoes = new HashMap<>();

  private @Nullable UdpUnderlay underlay;
  private TcpRelayConfig tcpRelay = TcpRelayConfig.NONE;
  private EventLoop.@Nullable Timer fastTick;
  private long lastSlowTickMillis;
  private volatile boolean online;
  private volatile @Nullable Throwable failure;
  private boolean started;
  private final long clockOffsetMillis;

  private record EchoRequest(long sentNanos, LongConsumer onRttNanos) {}

  public Vl1Node(Vl1Config config, EventLoop loop) {
    this.config = Objects.requireNonNull(config, "config");
    this.identity = config.identity();
    this.self = identity.address();
    this.loop = Objects.requireNonNull(loop, "loop");
    this.topology = new Topology(this, config.planet(), config.moons());
    this.selfAwareness = new SelfAwareness(this);
    this.sw = new Switch(this);
    this.incoming = new IncomingPacket(this);
    this.clockOffsetMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
    loop.failureFuture().thenAccept(this::onLoopFailed);
  }

  /** Runs on the dying loop thread: the node is offline for good and says why. */
  private void onLoopFailed(Throwable cause) {
    failure = cause;
    started = false;
    setOnline(false);
    for (Vl1Listener l : listeners) {
      try {
        l.onLoopFailed(cause);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, "Listener failed on the loop failure of node " + identity.addressString(), e);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- lifecycle

  /**
   * Opens the UDP sockets and starts talking to the roots. Call on the loop thread (or use {@link
   * #startOnLoop()}).
   */
  public void start() throws IOException {
    if (started) {
      return;
    }
    underlay = UdpUnderlay.open(loop, config.underlay(), tcpRelay, this::onDatagram);
    started = true;
    long now = now();
    topology.rebuildUpstreams(now);
    lastSlowTickMillis = now - Timing.TICK;
    tick();
  }

  /**
   * Sets the TCP relay (ZeroTier One's TCP fallback tunnel) used by the underlay; takes effect at {@link #start()}.
   * With {@link TcpRelayConfig#force()} no UDP socket is opened.
   */
  public void setTcpRelay(TcpRelayConfig relay) {
    this.tcpRelay = Objects.requireNonNull(relay, "relay");
  }

  /** Starts the node from any thread and completes when its sockets are bound. */
  public CompletableFuture<Void> startOnLoop() {
    CompletableFuture<Void> f = new CompletableFuture<>();
    loop.execute(
        () -> {
          try {
            start();
            f.complete(null);
          } catch (Throwable t) {
            f.completeExceptionally(t);
          }
        });
    return f;
  }

  @Override
  public void close() {
    if (loop.inLoop()) {
      closeOnLoop();
    } else {
      try {
        loop.call(
            () -> {
              closeOnLoop();
              return null;
            },
            java.time.Duration.ofSeconds(5));
      } catch (Exception e) {
        LOG.log(Level.FINE, "closing node " + identity.addressString(), e);
      }
    }
  }

  private void closeOnLoop() {
    if (fastTick != null) {
      fastTick.cancel();
      fastTick = null;
    }
    if (underlay != null) {
      underlay.close();
      underlay = null;
    }
    started = false;
    setOnline(false);
  }

  // ---------------------------------------------------------------------------------------------- accessors

  public long address() {
    return self;
  }

  public Identity identity() {
    return identity;
  }

  public EventLoop loop() {
    return loop;
  }

  public Vl1Counters counters() {
    return counters;
  }

  public Vl1Config config() {
    return config;
  }

  /** Whether an upstream (root) has answered within the activity timeout. Thread-safe. */
  public boolean online() {
    return online;
  }

  /**
   * The fatal error that stopped this node's event loop, or null while it is healthy. A failed node does not recover:
   * its owner should report it down and stop (see docs/reliability.md, "Event loop failure policy"). Thread-safe.
   */
  public @Nullable Throwable failure() {
    return failure;
  }

  /** The UDP underlay (null before start). */
  public @Nullable UdpUnderlay underlay() {
    return underlay;
  }

  public World planet() {
    return topology.planet();
  }

  /** Moons held. */
  public List<World> moons() {
    return List.copyOf(topology.moons().values());
  }

  /** Our physical addresses as peers reported them (from OK(HELLO)). */
  public List<InetSocketAddress> externalSurfaces() {
    return selfAwareness.surfaces();
  }

  /**
   * Adds an external address a gateway mapped to our UDP port (port mapping) to the addresses PUSH_DIRECT_PATHS
   * advertises, as ZeroTier One advertises its mapped port. Call on the loop.
   */
  public void addMappedAddress(InetSocketAddress external) {
    selfAwareness.addMapped(Objects.requireNonNull(external, "external"));
  }

  /** Stops advertising a mapped address (the mapping expired or was deleted). Call on the loop. */
  public void removeMappedAddress(InetSocketAddress external) {
    selfAwareness.removeMapped(external);
  }

  /** What PUSH_DIRECT_PATHS tells peers now: bound, observed and mapped addresses the policy allows. On the loop. */
  public List<InetSocketAddress> advertisedPhysicalAddresses() {
    return selfAwareness.advertisedAddresses();
  }

  public void addListener(Vl1Listener l) {
    listeners.add(Objects.requireNonNull(l, "listener"));
  }

  public void removeListener(Vl1Listener l) {
    listeners.remove(l);
  }

  public void setVl2Hook(@Nullable Vl2Hook hook) {
    this.vl2Hook = hook;
  }

  /** The VL2 hook installed, if any. */
  public @Nullable Vl2Hook vl2Hook() {
    return vl2Hook;
  }

  /** Snapshot of all peers. Call on the loop. */
  public List<PeerInfo> peers() {
    long now = now();
    List<PeerInfo> out = new ArrayList<>();
    for (Peer p : topology.all()) {
      out.add(p.info(now));
    }
    out.sort((a, b) -> Long.compare(a.address(), b.address()));
    return out;
  }

  /** Number of peers known. Call on the loop. */
  public int peerCount() {
    return topology.size();
  }

  /** Snapshot of one peer, or null if unknown. Call on the loop. */
  public @Nullable PeerInfo peer(long address) {
    Peer p = topology.get(address);
    return p == null ? null : p.info(now());
  }

  /** The identity of a known peer, or null. Call on the loop. */
  public @Nullable Identity peerIdentity(long address) {
    Peer p = topology.get(address);
    return p == null ? null : p.identity;
  }

  /**
   * Received datagrams not yet through to an outcome: held for a WHOIS, buffered for reassembly, or waiting for an
   * identity check (see {@link Vl1Counters}). Call on the loop.
   */
  public int pendingDatagrams() {
    return sw.whois.heldInboundDatagrams() + sw.pendingFragmentParts() + incoming.pendingValidationDatagrams();
  }

  /** Addresses waiting for a WHOIS answer, and the bytes held for them. Call on the loop. */
  public WhoisBacklog whoisBacklog() {
    return new WhoisBacklog(sw.whois.size(), sw.whois.heldBytes());
  }

  /** Size of the WHOIS table: {@code addresses} waiting, {@code heldBytes} of packets held for them. */
  public record WhoisBacklog(int addresses, long heldBytes) {}

  /**
   * Adds a peer known from a cache (its identity already validated by the caller) and probes its last known physical
   * addresses, so that talking to it again needs neither WHOIS nor a relay. Does nothing for a peer already known.
   * Call on the loop after {@link #start()}.
   */
  public void addCachedPeer(Identity peerIdentity, List<InetSocketAddress> lastPaths) {
    long a = peerIdentity.address();
    if (a == self || topology.get(a) != null) {
      return;
    }
    long now = now();
    Peer p = addPeer(peerIdentity.publicOnly(), identity.agree(peerIdentity), now);
    // A cached peer is not active until it answers: let it expire like any other if it never does.
    p.lastReceiveMillis = now - Timing.PEER_ACTIVITY_TIMEOUT / 2;
    for (InetSocketAddress ep : lastPaths) {
      if (config.pathPolicy().isAllowed(ep.getAddress())) {
        int socketId = sw.socketFor(ep);
        if (socketId >= 0) {
          sendHello(p, socketId, ep, now);
        }
      }
    }
  }

  /** Monotonic milliseconds with a wall-clock origin (what HELLO timestamps carry). */
  public long now() {
    return clockOffsetMillis + loop.nanoTime() / 1_000_000;
  }

  // ---------------------------------------------------------------------------------------------- moons

  /** Orbits moon {@code worldId} using {@code seed} (one of its roots) to fetch it. Call on the loop. */
  public void orbit(long worldId, long seed) {
    topology.orbits().put(worldId, seed);
    if (!topology.moons().containsKey(worldId)) {
      Peer s = topology.get(seed);
      if (s == null) {
        sw.whois.want(seed, now());
      } else {
        helloBestPathOrRelay(s, now());
      }
    }
  }

  /** Stops orbiting a moon and forgets its roots as upstreams. Call on the loop. */
  public void deorbit(long worldId) {
    topology.orbits().remove(worldId);
    if (topology.moons().remove(worldId) != null) {
      topology.rebuildUpstreams(now());
    }
  }

  // ---------------------------------------------------------------------------------------------- sending API

  /**
   * Starts building a packet to {@code destination} in the node's transmit buffer: writes the header with a fresh
   * packet ID and returns a writer at the payload. Finish with {@link #send(WireWriter, boolean, boolean)} before
   * starting another packet.
   */
  public WireWriter begin(long destination, Verb verb) {
    return sw.begin(destination, verb);
  }

  /**
   * Sends the packet built with {@link #begin}. If the destination's identity is unknown the packet is held (up to
   * 5 s) while a WHOIS runs.
   *
   * @param compress try LZ4 compression (worth it for configs, multicast and other large control payloads)
   * @param expectReply record the packet ID so that an OK answering it is accepted
   * @return false if the packet could not be sent or held
   */
  public boolean send(WireWriter w, boolean compress, boolean expectReply) {
    if (w.array() != sw.tx) {
      throw new IllegalArgumentException("writer does not belong to this node's transmit buffer");
    }
    int len = w.position();
    long dest = Packet.destination(sw.tx, 0);
    Peer peer = topology.get(dest);
    long now = now();
    if (peer == null) {
      return sw.whois.holdOutbound(dest, sw.tx, len, compress, expectReply, now);
    }
    return sw.transmit(peer, sw.tx, len, compress, expectReply, now);
  }

  /** Sends a USER_MESSAGE (type IDs up to 65535 are reserved by ZeroTier). Call on the loop. */
  public boolean sendUserMessage(long destination, long typeId, byte[] payload) {
    WireWriter w = begin(destination, Verb.USER_MESSAGE);
    w.u64(typeId).bytes(payload);
    return send(w, false, false);
  }

  /**
   * Sends an ECHO and calls {@code onRttNanos} with the round-trip time when the OK arrives (never, if it is lost).
   * Call on the loop.
   */
  public boolean echo(long destination, LongConsumer onRttNanos) {
    long id = sw.ids.next();
    if (echoes.size() >= MAX_ECHO_REQUESTS) {
      echoes.clear();
    }
    echoes.put(id, new EchoRequest(loop.nanoTime(), onRttNanos));
    WireWriter w = begin(destination, Verb.ECHO);
    w.u64(id).u64(now());
    return send(w, false, true);
  }

  void echoAnswered(long id) {
    EchoRequest r = echoes.remove(id);
    if (r != null) {
      r.onRttNanos().accept(loop.nanoTime() - r.sentNanos());
    }
  }

  // ---------------------------------------------------------------------------------------------- receive path

  private void onDatagram(int socketId, InetSocketAddress from, byte[] buf, int off, int len) {
    try {
      receive(socketId, from, buf, off, len, now());
    } catch (RuntimeException e) {
      // A bug, not bad input (parsers do not throw); keep the node running and make it visible.
      counters.drop(Drop.INTERNAL_ERROR);
      LOG.log(Level.WARNING, "Unexpected error handling a datagram from " + from, e);
    }
  }

  /** The receive path for one UDP datagram, as the underlay delivers it. Call on the loop. */
  void receive(int socketId, InetSocketAddress from, byte[] buf, int off, int len, long now) {
    sw.receive(socketId, from, buf, off, len, now);
  }

  // ---------------------------------------------------------------------------------------------- collaborators

  Topology topology() {
    return topology;
  }

  Switch sw() {
    return sw;
  }

  IncomingPacket incoming() {
    return incoming;
  }

  SelfAwareness selfAwareness() {
    return selfAwareness;
  }

  /** Adds a validated peer, announces it, and releases what was held for it. */
  Peer addPeer(Identity id, SymmetricKey key, long now) {
    Peer p = topology.add(id, key, now);
    for (Vl1Listener l : listeners) {
      l.onPeerAdded(p.address);
    }
    sw.flushHeld(p, now);
    return p;
  }

  void setOnline(boolean value) {
    if (online != value) {
      online = value;
      for (Vl1Listener l : listeners) {
        l.onOnlineChanged(value);
      }
    }
  }

  void firePeerRemoved(long address) {
    for (Vl1Listener l : listeners) {
      l.onPeerRemoved(address);
    }
  }

  void firePathLearned(long peer, InetSocketAddress remote) {
    for (Vl1Listener l : listeners) {
      l.onPathLearned(peer, remote);
    }
  }

  void fireWorldChanged(World w) {
    for (Vl1Listener l : listeners) {
      l.onWorldChanged(w);
    }
  }

  void fireIdentityCollision(long upstream) {
    for (Vl1Listener l : listeners) {
      l.onIdentityCollision(upstream);
    }
  }

  void fireUserMessage(long source, long typeId, byte[] payload) {
    for (Vl1Listener l : listeners) {
      l.onUserMessage(source, typeId, payload);
    }
  }

  // ---------------------------------------------------------------------------------------------- HELLO and probes

  void sendHello(Peer peer, int socketId, InetSocketAddress to, long now) {
    List<Hello.MoonRef> refs = new ArrayList<>();
    for (World m : topology.moons().values()) {
      refs.add(new Hello.MoonRef(World.Type.MOON.code(), m.id(), m.timestamp()));
    }
    for (Map.Entry<Long, Long> o : topology.orbits().entrySet()) {
      if (!topology.moons().containsKey(o.getKey())) {
        refs.add(new Hello.MoonRef(World.Type.MOON.code(), o.getKey(), 0));
      }
    }
    World planet = topology.planet();
    Hello hello =
        new Hello(
            Packet.PROTOCOL_VERSION, SOFTWARE_MAJOR, SOFTWARE_MINOR, SOFTWARE_REVISION, now, identity, to,
            planet.id(), planet.timestamp(), refs);
    byte[] tx = sw.tx;
    int n = hello.write(tx, 0, sw.ids.next(), peer.address);
    Hello.armor(sw.armor, tx, 0, n, peer.key);
    sw.sent.record(Packet.packetId(tx, 0), now);
    counters.out(Verb.HELLO.code(), n);
    peer.lastHelloSentMillis = now;
    peer.lastSendMillis = now;
    Path p = peer.path(socketId, to);
    if (p != null) {
      p.lastSendMillis = now;
      p.lastHelloMillis = now;
    }
    sw.physicalSend(socketId, to, tx, 0, n);
  }

  /** HELLO on the best path, or through the best upstream when the peer has none. */
  private void helloBestPathOrRelay(Peer peer, long now) {
    Path p = peer.bestPath(now);
    if (p != null) {
      sendHello(peer, p.socketId, p.remote, now);
      return;
    }
    Peer up = topology.bestUpstream(now, peer.address);
    Path upPath = up == null ? null : up.bestPath(now);
    if (upPath != null) {
      sendHello(peer, upPath.socketId, upPath.remote, now);
    }
  }

  /** Probes a candidate direct address of a peer: ECHO to peers known to speak ≥ 5, else HELLO. */
  void contactAt(Peer peer, InetSocketAddress address, long now) {
    if (!config.pathPolicy().isAllowed(address.getAddress()) || !peer.acceptsPath(address)) {
      counters.countPathRefused();
      return;
    }
    int socketId = sw.socketFor(address);
    if (socketId < 0 || peer.path(socketId, address) != null) {
      return;
    }
    if (peer.protocolVersion >= 5) {
      sendEchoProbe(peer, socketId, address, null, now);
    } else {
      sendHello(peer, socketId, address, now);
    }
  }

  private void sendEchoProbe(Peer peer, int socketId, InetSocketAddress address, @Nullable Path path, long now) {
    WireWriter w = begin(peer.address, Verb.ECHO);
    w.u64(sw.ids.next()).u64(now);
    sw.armorAndSend(peer, sw.tx, w.position(), peer.sendSuite(), true, socketId, address, path, now);
  }

  private void sendPushDirectPaths(Peer peer, long now) {
    List<InetSocketAddress> mine = selfAwareness.advertisedAddresses();
    if (mine.isEmpty()) {
      return;
    }
    List<PushDirectPaths.Entry> entries = new ArrayList<>();
    for (InetSocketAddress a : mine) {
      entries.add(new PushDirectPaths.Entry(0, new byte[0], a));
      if (entries.size() >= 32) {
        break;
      }
    }
    peer.lastPushDirectPathsMillis = now;
    int n = new PushDirectPaths(entries).write(sw.tx, 0, sw.ids.next(), peer.address, self);
    sw.transmit(peer, sw.tx, n, true, false, now);
  }

  // ---------------------------------------------------------------------------------------------- timers

  private void tick() {
    if (!started) {
      return;
    }
    long now = now();
    try {
      sw.service(now);
      if (now - lastSlowTickMillis >= (online ? Timing.TICK : 1_000)) {
        lastSlowTickMillis = now;
        slowDuties(now);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "VL1 timer failed on node " + identity.addressString(), e);
    }
    fastTick = loop.schedule(FAST_TICK_NANOS, this::tick);
  }

  private void slowDuties(long now) {
    boolean anyUpstreamHeard = false;
    for (Peer p : topology.all()) {
      p.expirePaths(now);
      if (p.isUpstream()) {
        if (now - p.lastReceiveMillis < Timing.PEER_ACTIVITY_TIMEOUT && p.hasAlivePath(now)) {
          anyUpstreamHeard = true;
        }
        serviceUpstream(p, now);
        continue;
      }
      boolean active = now - p.lastReceiveMillis < Timing.PEER_ACTIVITY_TIMEOUT;
      if (!active) {
        topology.remove(p.address);
        firePeerRemoved(p.address);
        continue;
      }
      keepalive(p, now);
      if (config.pushDirectPaths() && now - p.lastDataMillis < Timing.PEER_ACTIVITY_TIMEOUT) {
        long interval = p.hasAlivePath(now) ? Timing.PUSH_DIRECT_PATHS_DIRECT : Timing.PUSH_DIRECT_PATHS_RELAYED;
        if (now - p.lastPushDirectPathsMillis >= interval) {
          sendPushDirectPaths(p, now);
        }
      }
    }
    if (!anyUpstreamHeard) {
      setOnline(false);
    }
    for (Map.Entry<Long, Long> o : topology.orbits().entrySet()) {
      if (!topology.moons().containsKey(o.getKey())) {
        Peer seed = topology.get(o.getValue());
        if (seed == null) {
          sw.whois.want(o.getValue(), now);
        } else if (now - seed.lastHelloSentMillis >= 2_000) {
          helloBestPathOrRelay(seed, now);
        }
      }
    }
  }

  private void serviceUpstream(Peer p, long now) {
    if (p.hasAlivePath(now)) {
      if (now - p.lastHelloSentMillis >= Timing.UPSTREAM_HELLO_PERIOD) {
        Path best = p.bestPath(now);
        if (best != null) {
          sendHello(p, best.socketId, best.remote, now);
        }
      } else {
        keepalive(p, now);
      }
      return;
    }
    // No working path: HELLO every stable endpoint we may use (retried each slow tick while offline).
    if (now - p.lastHelloSentMillis < 1_000) {
      return;
    }
    boolean sentAny = false;
    for (InetSocketAddress ep : p.stableEndpoints) {
      if (!config.pathPolicy().isAllowed(ep.getAddress())) {
        continue;
      }
      int socketId = sw.socketFor(ep);
      if (socketId >= 0) {
        sendHello(p, socketId, ep, now);
        sentAny = true;
      }
    }
    if (!sentAny) {
      helloBestPathOrRelay(p, now);
    }
  }

  private void keepalive(Peer p, long now) {
    if (now - p.lastHelloSentMillis >= Timing.PEER_PING_PERIOD) {
      for (Path path : new ArrayList<>(p.paths)) {
        if (path.alive(now)) {
          sendHello(p, path.socketId, path.remote, now);
        }
      }
      return;
    }
    for (Path path : new ArrayList<>(p.paths)) {
      if (now - path.lastSendMillis >= Timing.PATH_HEARTBEAT_PERIOD) {
        if (p.protocolVersion >= 5) {
          sendEchoProbe(p, path.socketId, path.remote, path, now);
        } else {
          sendHello(p, path.socketId, path.remote, now);
        }
      }
    }
  }
}
