package dev.ztjvm.node;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.TcpRelayClient;
import dev.ztjvm.underlay.TcpRelayConfig;
import dev.ztjvm.underlay.UdpUnderlay;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.FragmentReassembler;
import dev.ztjvm.vl1.Fragments;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.OkHello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PacketCompressor;
import dev.ztjvm.vl1.PushDirectPaths;
import dev.ztjvm.vl1.Rendezvous;
import dev.ztjvm.vl1.Responses;
import dev.ztjvm.vl1.SentPacketTable;
import dev.ztjvm.vl1.UserMessage;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.Whois;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl1.world.World;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.LongConsumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.jspecify.annotations.Nullable;

/**
 * The VL1 protocol engine of one node (spec sections 2–6): receives and sends ZeroTier packets over its UDP underlay,
 * keeps peers and paths, talks to the roots (upstreams), relays when it is a root, and hands VL2 verbs to a {@link
 * Vl2Hook}.
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
  private static final int MAX_VALIDATIONS_IN_FLIGHT = 16;
  private static final int MAX_ECHO_REQUESTS = 1024;
  /** Identity proof-of-work checks run off the loop so a stranger's HELLO cannot stall traffic. */
  private static final ExecutorService VALIDATORS =
      Executors.newFixedThreadPool(
          Math.max(1, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "zerotier-identity-validator");
            t.setDaemon(true);
            return t;
          });

  private final Vl1Config config;
  private final Identity identity;
  private final long self;
  private final EventLoop loop;
  private final Vl1Counters counters = new Vl1Counters();
  private final List<Vl1Listener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
  private @Nullable Vl2Hook vl2Hook;

  private final PacketArmor armor = new PacketArmor();
  private final PacketCompressor compressor = new PacketCompressor();
  private final FragmentReassembler reassembler = new FragmentReassembler();
  private final SentPacketTable sent = new SentPacketTable();
  private final SplittableRandom random;
  private final LongMap<Peer> peers = new LongMap<>();
  private final LongMap<PendingWhois> whois = new LongMap<>();
  private final Map<Long, Long> newIdentityGate = new HashMap<>();
  /** Claimed address to the last time an identity collision was answered for it (millis). */
  private final Map<Long, Long> collisionGate = new HashMap<>();
  private static final long COLLISION_ANSWER_INTERVAL_MILLIS = 1000;
  private final Map<Long, UniteRecord> lastUnite = new HashMap<>();

  /** When a pair was last introduced and a hash of the two endpoints it was told. */
  private record UniteRecord(long atMillis, int endpoints) {}

  /** Least time between two introductions of a pair when one end's address changed. */
  private static final long MIN_REUNITE_INTERVAL = 1_000;
  private final Map<Long, EchoRequest> echoes = new HashMap<>();
  private final Set<InetSocketAddress> surfaces = new LinkedHashSet<>();
  /** External addresses a gateway mapped to our port (PCP/NAT-PMP), advertised like the observed surfaces. */
  private final Set<InetSocketAddress> mappedAddresses = new LinkedHashSet<>();
  private int validationsInFlight;

  private World planet;
  private final Map<Long, World> moons = new HashMap<>();
  /** Moons we want: id → seed address. */
  private final Map<Long, Long> orbits = new HashMap<>();

  /** Transmit scratch: one packet being built and armored. */
  private final byte[] tx = new byte[Packet.MAX_PACKET_LENGTH + 64];
  /** Fragment scratch. */
  private final byte[] fragment = new byte[Packet.MAX_PHYSICAL_MTU];
  /** Reassembly and decompression output. */
  private final byte[] assembled = new byte[UdpUnderlay.MAX_DATAGRAM];

  private @Nullable UdpUnderlay underlay;
  private TcpRelayConfig tcpRelay = TcpRelayConfig.NONE;
  private EventLoop.@Nullable Timer fastTick;
  private long lastSlowTickMillis;
  private boolean online;
  private boolean started;
  private final long clockOffsetMillis;

  private record EchoRequest(long sentNanos, LongConsumer onRttNanos) {}

  private static final class PendingWhois {
    final long firstMillis;
    long lastSentMillis = Long.MIN_VALUE / 2;
    final List<byte[]> outbound = new ArrayList<>();
    final List<HeldInbound> inbound = new ArrayList<>();

    PendingWhois(long now) {
      firstMillis = now;
    }
  }

  private record HeldInbound(int socketId, InetSocketAddress from, byte[] packet) {}

  public Vl1Node(Vl1Config config, EventLoop loop) {
    this.config = Objects.requireNonNull(config, "config");
    this.identity = config.identity();
    this.self = identity.address();
    this.loop = Objects.requireNonNull(loop, "loop");
    this.planet = config.planet();
    for (World m : config.moons()) {
      moons.put(m.id(), m);
    }
    this.random = new SplittableRandom(new SecureRandom().nextLong());
    this.clockOffsetMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
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
    rebuildUpstreams(now);
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

  /** The UDP underlay (null before start). */
  public @Nullable UdpUnderlay underlay() {
    return underlay;
  }

  public World planet() {
    return planet;
  }

  /** Moons held. */
  public List<World> moons() {
    return List.copyOf(moons.values());
  }

  /** Our physical addresses as peers reported them (from OK(HELLO)). */
  public List<InetSocketAddress> externalSurfaces() {
    return List.copyOf(surfaces);
  }

  /**
   * Adds an external address a gateway mapped to our UDP port (port mapping) to the addresses PUSH_DIRECT_PATHS
   * advertises, as ZeroTier One advertises its mapped port. Call on the loop.
   */
  public void addMappedAddress(InetSocketAddress external) {
    mappedAddresses.add(Objects.requireNonNull(external, "external"));
  }

  /** Stops advertising a mapped address (the mapping expired or was deleted). Call on the loop. */
  public void removeMappedAddress(InetSocketAddress external) {
    mappedAddresses.remove(external);
  }

  /** What PUSH_DIRECT_PATHS tells peers now: bound, observed and mapped addresses the policy allows. On the loop. */
  public List<InetSocketAddress> advertisedPhysicalAddresses() {
    return advertisedAddresses();
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

  /** Snapshot of all peers. Call on the loop. */
  public List<PeerInfo> peers() {
    long now = now();
    List<PeerInfo> out = new ArrayList<>();
    for (Peer p : peers.values()) {
      out.add(p.info(now));
    }
    out.sort((a, b) -> Long.compare(a.address(), b.address()));
    return out;
  }

  /** Snapshot of one peer, or null if unknown. Call on the loop. */
  public @Nullable PeerInfo peer(long address) {
    Peer p = peers.get(address);
    return p == null ? null : p.info(now());
  }

  /** The identity of a known peer, or null. Call on the loop. */
  public @Nullable Identity peerIdentity(long address) {
    Peer p = peers.get(address);
    return p == null ? null : p.identity;
  }

  /**
   * Adds a peer known from a cache (its identity already validated by the caller) and probes its last known physical
   * addresses, so that talking to it again needs neither WHOIS nor a relay. Does nothing for a peer already known.
   * Call on the loop after {@link #start()}.
   */
  public void addCachedPeer(Identity peerIdentity, List<InetSocketAddress> lastPaths) {
    long a = peerIdentity.address();
    if (a == self || peers.get(a) != null) {
      return;
    }
    long now = now();
    Peer p = addPeer(peerIdentity.publicOnly(), identity.agree(peerIdentity), now);
    // A cached peer is not active until it answers: let it expire like any other if it never does.
    p.lastReceiveMillis = now - Timing.PEER_ACTIVITY_TIMEOUT / 2;
    for (InetSocketAddress ep : lastPaths) {
      if (config.pathPolicy().isAllowed(ep.getAddress())) {
        int socketId = socketFor(ep);
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
    orbits.put(worldId, seed);
    if (!moons.containsKey(worldId)) {
      Peer s = peers.get(seed);
      if (s == null) {
        requestWhois(seed, now());
      } else {
        helloBestPathOrRelay(s, now());
      }
    }
  }

  /** Stops orbiting a moon and forgets its roots as upstreams. Call on the loop. */
  public void deorbit(long worldId) {
    orbits.remove(worldId);
    if (moons.remove(worldId) != null) {
      rebuildUpstreams(now());
    }
  }

  // ---------------------------------------------------------------------------------------------- sending API

  /**
   * Starts building a packet to {@code destination} in the node's transmit buffer: writes the header with a fresh
   * packet ID and returns a writer at the payload. Finish with {@link #send(WireWriter, boolean, boolean)} before
   * starting another packet.
   */
  public WireWriter begin(long destination, Verb verb) {
    Packet.writeHeader(tx, 0, random.nextLong(), destination, self, verb);
    return new WireWriter(tx, Packet.IDX_PAYLOAD);
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
    if (w.array() != tx) {
      throw new IllegalArgumentException("writer does not belong to this node's transmit buffer");
    }
    int len = w.position();
    long dest = Packet.destination(tx, 0);
    Peer peer = peers.get(dest);
    long now = now();
    if (peer == null) {
      return holdOutbound(dest, tx, len, compress, expectReply, now);
    }
    return transmit(peer, tx, len, compress, expectReply, now);
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
    long id = random.nextLong();
    if (echoes.size() >= MAX_ECHO_REQUESTS) {
      echoes.clear();
    }
    echoes.put(id, new EchoRequest(loop.nanoTime(), onRttNanos));
    WireWriter w = begin(destination, Verb.ECHO);
    w.u64(id).u64(now());
    return send(w, false, true);
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

  void receive(int socketId, InetSocketAddress from, byte[] buf, int off, int len, long now) {
    counters.datagramIn(len);
    if (len == Packet.BEACON_LENGTH) {
      return; // legacy LAN beacon: we do no LAN discovery
    }
    if (Packet.isFragment(buf, off, len)) {
      if (Fragments.destination(buf, off) != self) {
        relay(buf, off, len, true, now);
        return;
      }
      int n = reassembler.offerFragment(buf, off, len, now, assembled, 0);
      if (n == FragmentReassembler.DROPPED) {
        counters.drop(Drop.FRAGMENT_REJECTED);
      } else if (n > 0) {
        processPacket(socketId, from, assembled, 0, n, now);
      }
      return;
    }
    if (!Packet.isPacketHead(buf, off, len)) {
      counters.drop(Drop.MALFORMED);
      return;
    }
    if (Packet.destination(buf, off) != self) {
      relay(buf, off, len, false, now);
      return;
    }
    if (Packet.isFragmented(buf, off)) {
      int n = reassembler.offerHead(buf, off, len, now, assembled, 0);
      if (n == FragmentReassembler.DROPPED) {
        counters.drop(Drop.FRAGMENT_REJECTED);
      } else if (n > 0) {
        processPacket(socketId, from, assembled, 0, n, now);
      }
      return;
    }
    processPacket(socketId, from, buf, off, len, now);
  }

  private void processPacket(int socketId, InetSocketAddress from, byte[] pkt, int off, int len, long now) {
    long source = Packet.source(pkt, off);
    if (source == self) {
      counters.drop(Drop.OWN_ADDRESS);
      return;
    }
    int cipher = Packet.cipher(pkt, off);
    if (cipher == PacketArmor.SUITE_TRUSTED_PATH || cipher > PacketArmor.SUITE_AES_GMAC_SIV) {
      counters.drop(Drop.UNSUPPORTED_CIPHER);
      return;
    }
    if (cipher == PacketArmor.SUITE_POLY1305_NONE && Packet.verbCode(pkt, off) == Verb.HELLO.code()) {
      receiveHello(socketId, from, pkt, off, len, now);
      return;
    }
    Peer peer = peers.get(source);
    if (peer == null) {
      holdInbound(source, socketId, from, pkt, off, len, now);
      return;
    }
    if (!armor.dearmor(pkt, off, len, peer.key)) {
      counters.drop(Drop.MAC_FAILED);
      return;
    }
    byte[] p = pkt;
    int po = off;
    int n = len;
    if (Packet.isCompressed(pkt, off)) {
      if (pkt != assembled && pkt.length - off < Packet.MAX_PACKET_LENGTH) {
        System.arraycopy(pkt, off, assembled, 0, len);
        p = assembled;
        po = 0;
      }
      n = compressor.decompress(p, po, len);
      if (n < 0) {
        counters.drop(Drop.DECOMPRESS_FAILED);
        return;
      }
    }
    dispatch(peer, socketId, from, p, po, n, now);
  }

  private void dispatch(Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, long now) {
    int verb = Packet.verbCode(pkt, off);
    int hops = Packet.hops(pkt, off);
    counters.in(verb, len);
    peer.lastReceiveMillis = now;
    notePath(peer, socketId, from, hops, verb == Verb.OK.code(), now);
    switch (verb) {
      case 0x00 -> {} // NOP
      case 0x02 -> receiveError(peer, pkt, off, len, hops, now);
      case 0x03 -> receiveOk(peer, socketId, from, pkt, off, len, hops, now);
      case 0x04 -> receiveWhois(peer, pkt, off, len, now);
      case 0x05 -> receiveRendezvous(peer, pkt, off, len, now);
      case 0x08 -> receiveEcho(peer, pkt, off, len, now);
      case 0x10 -> receivePushDirectPaths(peer, pkt, off, len, now);
      case 0x14 -> receiveUserMessage(peer, pkt, off, len, now);
      case 0x06, 0x07, 0x09, 0x0a, 0x0b, 0x0c, 0x0d, 0x0e -> {
        peer.lastDataMillis = now;
        Vl2Hook hook = vl2Hook;
        if (hook != null) {
          hook.onPacket(this, peer.address, verb, pkt, off, len, hops, now);
        }
      }
      default -> {} // unknown or bonding-only verbs: counted as traffic, otherwise ignored
    }
  }

  /** Records traffic on a path; learns the path on a direct OK, or probes an unknown direct path with a HELLO. */
  private void notePath(Peer peer, int socketId, InetSocketAddress from, int hops, boolean isOk, long now) {
    if (hops != 0) {
      return;
    }
    Path p = peer.path(socketId, from);
    if (p != null) {
      p.lastReceiveMillis = now;
      return;
    }
    if (!config.pathPolicy().isAllowed(from.getAddress()) || !peer.acceptsPath(from)) {
      counters.countPathRefused();
      return;
    }
    if (isOk) {
      peer.learnPath(socketId, from, now);
      for (Vl1Listener l : listeners) {
        l.onPathLearned(peer.address, from);
      }
    } else if (now - peer.lastUnknownPathContactMillis >= Timing.CONTACT_UNKNOWN_PATH_INTERVAL) {
      peer.lastUnknownPathContactMillis = now;
      sendHello(peer, socketId, from, now);
    }
  }

  // ---------------------------------------------------------------------------------------------- HELLO

  private void receiveHello(int socketId, InetSocketAddress from, byte[] pkt, int off, int len, long now) {
    Identity id = Hello.peekIdentity(pkt, off, len);
    if (id == null || len <= Packet.IDX_PAYLOAD) {
      counters.drop(Drop.MALFORMED);
      return;
    }
    long source = Packet.source(pkt, off);
    if (id.address() != source) {
      counters.drop(Drop.BAD_IDENTITY);
      return;
    }
    if ((pkt[off + Packet.IDX_PAYLOAD] & 0xff) < Packet.PROTOCOL_VERSION_MIN) {
      counters.drop(Drop.OLD_PROTOCOL);
      return;
    }
    Peer peer = peers.get(source);
    if (peer != null) {
      if (!peer.identity.equals(id)) {
        // Address collision: somebody else claims this address. Never replace a known identity, but tell the
        // claimant (as ZeroTier One does) so that it can report IDENTITY_COLLISION to its user.
        counters.drop(Drop.BAD_IDENTITY);
        answerIdentityCollision(socketId, from, id, pkt, off, len, now);
        return;
      }
      if (!Hello.dearmor(armor, pkt, off, len, peer.key)) {
        counters.drop(Drop.MAC_FAILED);
        return;
      }
      acceptHello(peer, socketId, from, pkt, off, len, now);
      return;
    }
    if (!passNewIdentityGate(from.getAddress(), now)) {
      counters.drop(Drop.RATE_LIMITED);
      return;
    }
    SymmetricKey key = identity.agree(id);
    if (!Hello.dearmor(armor, pkt, off, len, key)) {
      counters.drop(Drop.MAC_FAILED);
      return;
    }
    if (validationsInFlight >= MAX_VALIDATIONS_IN_FLIGHT) {
      counters.drop(Drop.RATE_LIMITED);
      return;
    }
    byte[] copy = Arrays.copyOfRange(pkt, off, off + len);
    validateThen(
        id,
        () -> {
          Peer p = peers.get(source);
          if (p == null) {
            p = addPeer(id, key, now());
          } else if (!p.identity.equals(id)) {
            counters.drop(Drop.BAD_IDENTITY);
            return;
          }
          acceptHello(p, socketId, from, copy, 0, copy.length, now());
        });
  }

  /**
   * Answers an authentic HELLO from an identity that claims a known peer's address with ERROR(IDENTITY_COLLISION),
   * armored with the key agreed with the claimant (the only key it can check). At most one key agreement per claimed
   * address and second, so forged collisions cannot keep the loop busy with elliptic-curve work.
   */
  private void answerIdentityCollision(
      int socketId, InetSocketAddress from, Identity claimant, byte[] pkt, int off, int len, long now) {
    Long last = collisionGate.get(claimant.address());
    if (last != null && now - last < COLLISION_ANSWER_INTERVAL_MILLIS) {
      return;
    }
    if (collisionGate.size() > 1024) {
      collisionGate.clear();
    }
    collisionGate.put(claimant.address(), now);
    long helloId = Packet.packetId(pkt, off);
    SymmetricKey key;
    try {
      key = identity.agree(claimant);
    } catch (RuntimeException invalidKey) {
      return;
    }
    if (!Hello.dearmor(armor, pkt, off, len, key)) {
      counters.drop(Drop.MAC_FAILED);
      return;
    }
    WireWriter w = begin(claimant.address(), Verb.ERROR);
    w.u8(Verb.HELLO.code()).u64(helloId).u8(ErrorCode.IDENTITY_COLLISION.code());
    int n = w.position();
    armor.armor(tx, 0, n, key, PacketArmor.SUITE_POLY1305_SALSA2012);
    counters.out(Verb.ERROR.code(), n);
    physicalSend(socketId, from, tx, 0, n);
  }

  /** Runs the proof-of-work check off the loop, then {@code onValid} on the loop. */
  private void validateThen(Identity id, Runnable onValid) {
    validationsInFlight++;
    VALIDATORS.execute(
        () -> {
          boolean valid = id.locallyValidate();
          try {
            loop.execute(
                () -> {
                  validationsInFlight--;
                  if (valid) {
                    onValid.run();
                  } else {
                    counters.drop(Drop.BAD_IDENTITY);
                  }
                });
          } catch (java.util.concurrent.RejectedExecutionException closed) {
            // node closed meanwhile
          }
        });
  }

  private boolean passNewIdentityGate(InetAddress source, long now) {
    long interval = config.newIdentityInterval().toMillis();
    if (interval == 0) {
      return true;
    }
    byte[] a = source.getAddress();
    // /24 for IPv4, /48 for IPv6
    long prefix = a.length == 4 ? Bytes.u32(a, 0) >>> 8 : (Bytes.u64(a, 0) >>> 16) | (1L << 62);
    Long last = newIdentityGate.get(prefix);
    if (last != null && now - last < interval) {
      return false;
    }
    if (newIdentityGate.size() > 4096) {
      newIdentityGate.clear();
    }
    newIdentityGate.put(prefix, now);
    return true;
  }

  private void acceptHello(Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, long now) {
    Hello hello = Hello.parse(pkt, off, len);
    if (hello == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    int hops = Packet.hops(pkt, off);
    counters.in(Verb.HELLO.code(), len);
    peer.lastReceiveMillis = now;
    // Answer before recording the version: a brand-new peer gets suite 1, as 1.x does.
    int suite = peer.sendSuite();
    WireWriter w =
        Responses.beginOk(
            tx, 0, random.nextLong(), peer.address, self, Verb.HELLO, Packet.packetId(pkt, off));
    byte[] worlds = worldUpdatesFor(hello);
    new OkHello(
            hello.timestamp(),
            Packet.PROTOCOL_VERSION,
            SOFTWARE_MAJOR,
            SOFTWARE_MINOR,
            SOFTWARE_REVISION,
            hops == 0 ? from : null,
            worlds)
        .writeTo(w);
    int n = w.position();
    if (hops == 0) {
      armorAndSend(peer, tx, n, suite, false, socketId, from, null, now);
    } else {
      transmitWithSuite(peer, tx, n, false, false, suite, now);
    }
    peer.protocolVersion = hello.protocolVersion();
    peer.major = hello.major();
    peer.minor = hello.minor();
    peer.revision = hello.revision();
    // A HELLO on a path we do not know yet gets our own HELLO there; its OK confirms the path (spec 6.3).
    notePath(peer, socketId, from, hops, false, now);
  }

  private byte[] worldUpdatesFor(Hello hello) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (hello.planetId() == planet.id() && hello.planetTimestamp() < planet.timestamp()) {
      out.writeBytes(planet.serialize());
    }
    for (Hello.MoonRef ref : hello.moons()) {
      World m = moons.get(ref.worldId());
      if (m != null && ref.timestamp() < m.timestamp()) {
        out.writeBytes(m.serialize());
      }
    }
    return out.toByteArray();
  }

  private void sendHello(Peer peer, int socketId, InetSocketAddress to, long now) {
    List<Hello.MoonRef> refs = new ArrayList<>();
    for (World m : moons.values()) {
      refs.add(new Hello.MoonRef(World.Type.MOON.code(), m.id(), m.timestamp()));
    }
    for (Map.Entry<Long, Long> o : orbits.entrySet()) {
      if (!moons.containsKey(o.getKey())) {
        refs.add(new Hello.MoonRef(World.Type.MOON.code(), o.getKey(), 0));
      }
    }
    Hello hello =
        new Hello(
            Packet.PROTOCOL_VERSION, SOFTWARE_MAJOR, SOFTWARE_MINOR, SOFTWARE_REVISION, now, identity, to,
            planet.id(), planet.timestamp(), refs);
    int n = hello.write(tx, 0, random.nextLong(), peer.address);
    Hello.armor(armor, tx, 0, n, peer.key);
    sent.record(Packet.packetId(tx, 0), now);
    counters.out(Verb.HELLO.code(), n);
    peer.lastHelloSentMillis = now;
    peer.lastSendMillis = now;
    Path p = peer.path(socketId, to);
    if (p != null) {
      p.lastSendMillis = now;
      p.lastHelloMillis = now;
    }
    physicalSend(socketId, to, tx, 0, n);
  }

  /** HELLO on the best path, or through the best upstream when the peer has none. */
  private void helloBestPathOrRelay(Peer peer, long now) {
    Path p = peer.bestPath(now);
    if (p != null) {
      sendHello(peer, p.socketId, p.remote, now);
      return;
    }
    Peer up = bestUpstream(now, peer.address);
    Path upPath = up == null ? null : up.bestPath(now);
    if (upPath != null) {
      sendHello(peer, upPath.socketId, upPath.remote, now);
    }
  }

  // ---------------------------------------------------------------------------------------------- OK / ERROR

  private void receiveOk(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int hops, long now) {
    if (!Responses.isValidOk(len)) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    long inRe = Responses.inRePacketId(pkt, off);
    if (!sent.expects(inRe, now)) {
      counters.drop(Drop.UNEXPECTED_OK);
      return;
    }
    int inReVerb = Responses.inReVerb(pkt, off);
    switch (inReVerb) {
      case 0x01 -> okHello(peer, socketId, from, pkt, off, len, hops, now);
      case 0x04 -> okWhois(peer, pkt, off, len);
      case 0x08 -> okEcho(peer, socketId, from, pkt, off, len, hops, now);
      default -> {
        Vl2Hook hook = vl2Hook;
        if (hook != null) {
          hook.onPacket(this, peer.address, Verb.OK.code(), pkt, off, len, hops, now);
        }
      }
    }
  }

  private void okHello(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int hops, long now) {
    OkHello ok = OkHello.parse(pkt, off, len);
    if (ok == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    if (ok.protocolVersion() < Packet.PROTOCOL_VERSION_MIN) {
      counters.drop(Drop.OLD_PROTOCOL);
      return;
    }
    peer.protocolVersion = ok.protocolVersion();
    peer.major = ok.major();
    peer.minor = ok.minor();
    peer.revision = ok.revision();
    if (hops == 0) {
      Path p = peer.path(socketId, from);
      if (p != null) {
        p.latencySample(now - ok.timestamp());
      }
      InetSocketAddress ext = ok.externalAddress();
      if (ext != null && peer.isUpstream()) {
        if (surfaces.size() > 16) {
          surfaces.clear();
        }
        surfaces.add(ext);
      }
    }
    byte[] worlds = ok.worldUpdates();
    if (worlds.length > 0) {
      applyWorldUpdates(peer, worlds, now);
    }
    if (peer.isUpstream()) {
      setOnline(true);
    }
  }

  private void applyWorldUpdates(Peer from, byte[] bytes, long now) {
    List<World> worlds = World.readAll(bytes, 0, bytes.length);
    if (worlds == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    boolean changed = false;
    for (World w : worlds) {
      if (w.type() == World.Type.PLANET) {
        if (from.role == PeerInfo.Role.PLANET && World.shouldReplace(planet, w)) {
          planet = w;
          changed = true;
          fireWorldChanged(w);
        }
      } else {
        Long seed = orbits.get(w.id());
        boolean fromItsRoot = w.roots().stream().anyMatch(r -> r.identity().address() == from.address);
        boolean wanted = seed != null || moons.containsKey(w.id());
        if (wanted && (fromItsRoot || (seed != null && seed == from.address))
            && World.shouldReplace(moons.get(w.id()), w)) {
          moons.put(w.id(), w);
          changed = true;
          fireWorldChanged(w);
        }
      }
    }
    if (changed) {
      rebuildUpstreams(now);
    }
  }

  private void fireWorldChanged(World w) {
    for (Vl1Listener l : listeners) {
      l.onWorldChanged(w);
    }
  }

  private void okWhois(Peer from, byte[] pkt, int off, int len) {
    if (!from.isUpstream()) {
      return; // 1.x accepts identities only from upstreams
    }
    List<Identity> ids = Whois.parseOkData(pkt, off, len);
    if (ids == null || ids.isEmpty()) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    Identity id = ids.get(0);
    if (peers.get(id.address()) != null || whois.get(id.address()) == null) {
      return;
    }
    if (validationsInFlight >= MAX_VALIDATIONS_IN_FLIGHT) {
      return; // the WHOIS retry asks again
    }
    validateThen(
        id,
        () -> {
          if (peers.get(id.address()) == null) {
            addPeer(id, identity.agree(id), now());
          }
        });
  }

  private void okEcho(
      Peer peer, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, int hops, long now) {
    if (len < Responses.IDX_OK_DATA + 16) {
      return;
    }
    long id = Bytes.u64(pkt, off + Responses.IDX_OK_DATA);
    long sentAt = Bytes.u64(pkt, off + Responses.IDX_OK_DATA + 8);
    if (hops == 0) {
      Path p = peer.path(socketId, from);
      if (p != null) {
        p.latencySample(now - sentAt);
      }
    }
    EchoRequest r = echoes.remove(id);
    if (r != null) {
      r.onRttNanos().accept(loop.nanoTime() - r.sentNanos());
    }
  }

  private void receiveError(Peer peer, byte[] pkt, int off, int len, int hops, long now) {
    if (!Responses.isValidError(len)) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    int inReVerb = Responses.inReVerb(pkt, off);
    if (inReVerb == Verb.HELLO.code() || inReVerb == Verb.WHOIS.code() || inReVerb == Verb.ECHO.code()) {
      if (Responses.errorCode(pkt, off) == ErrorCode.IDENTITY_COLLISION.code() && peer.isUpstream()) {
        LOG.warning("An upstream reports an identity collision for our address " + identity.addressString());
        for (Vl1Listener l : listeners) {
          l.onIdentityCollision(peer.address);
        }
      }
      return;
    }
    Vl2Hook hook = vl2Hook;
    if (hook != null) {
      hook.onPacket(this, peer.address, Verb.ERROR.code(), pkt, off, len, hops, now);
    }
  }

  // ---------------------------------------------------------------------------------------------- WHOIS

  private void receiveWhois(Peer peer, byte[] pkt, int off, int len, long now) {
    long[] wanted = Whois.parseRequest(pkt, off, len);
    if (wanted == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    if (!config.root()) {
      if (now - peer.lastWhoisAnsweredMillis < Timing.WHOIS_ANSWER_INTERVAL) {
        return;
      }
      peer.lastWhoisAnsweredMillis = now;
    }
    List<Identity> found = new ArrayList<>();
    for (long a : wanted) {
      if (a == self) {
        found.add(identity.publicOnly());
      } else {
        Peer p = peers.get(a);
        if (p != null) {
          found.add(p.identity);
        }
      }
      if (found.size() >= 8) {
        break;
      }
    }
    if (found.isEmpty()) {
      return;
    }
    WireWriter w =
        Responses.beginOk(tx, 0, random.nextLong(), peer.address, self, Verb.WHOIS, Packet.packetId(pkt, off));
    Whois.writeOkData(w, found);
    transmit(peer, tx, w.position(), false, false, now);
  }

  private void requestWhois(long address, long now) {
    PendingWhois pw = whois.get(address);
    if (pw == null) {
      pw = new PendingWhois(now);
      whois.put(address, pw);
    }
    sendWhoisIfDue(address, pw, now);
  }

  private void sendWhoisIfDue(long address, PendingWhois pw, long now) {
    if (now - pw.lastSentMillis < Timing.WHOIS_RETRY_DELAY) {
      return;
    }
    Peer up = bestUpstream(now, address);
    if (up == null) {
      return;
    }
    pw.lastSentMillis = now;
    // Build in a separate buffer: we may be called while tx holds a packet being held for this WHOIS.
    byte[] b = new byte[Packet.HEADER_LENGTH + 5 + 64];
    int n = Whois.writeRequest(b, 0, random.nextLong(), up.address, self, address);
    transmit(up, b, n, false, true, now);
  }

  private boolean holdOutbound(long dest, byte[] pkt, int len, boolean compress, boolean expectReply, long now) {
    if (dest == self || dest == 0) {
      return false;
    }
    PendingWhois pw = whois.get(dest);
    if (pw == null) {
      pw = new PendingWhois(now);
      whois.put(dest, pw);
    }
    if (pw.outbound.size() >= Timing.QUEUE_LIMIT) {
      counters.drop(Drop.WHOIS_TIMEOUT);
      return false;
    }
    byte[] copy = Arrays.copyOf(pkt, len + 2);
    copy[len] = (byte) (compress ? 1 : 0);
    copy[len + 1] = (byte) (expectReply ? 1 : 0);
    pw.outbound.add(copy);
    sendWhoisIfDue(dest, pw, now);
    return true;
  }

  private void holdInbound(long source, int socketId, InetSocketAddress from, byte[] pkt, int off, int len, long now) {
    PendingWhois pw = whois.get(source);
    if (pw == null) {
      pw = new PendingWhois(now);
      whois.put(source, pw);
    }
    if (pw.inbound.size() >= Timing.QUEUE_LIMIT) {
      counters.drop(Drop.WHOIS_TIMEOUT);
      return;
    }
    pw.inbound.add(new HeldInbound(socketId, from, Arrays.copyOfRange(pkt, off, off + len)));
    sendWhoisIfDue(source, pw, now);
  }

  private Peer addPeer(Identity id, SymmetricKey key, long now) {
    Peer p = new Peer(id, key, now);
    peers.put(p.address, p);
    for (Vl1Listener l : listeners) {
      l.onPeerAdded(p.address);
    }
    PendingWhois pw = whois.remove(p.address);
    if (pw != null) {
      for (byte[] held : pw.outbound) {
        int len = held.length - 2;
        System.arraycopy(held, 0, tx, 0, len);
        transmit(p, tx, len, held[len] != 0, held[len + 1] != 0, now);
      }
      for (HeldInbound in : pw.inbound) {
        processPacket(in.socketId(), in.from(), in.packet(), 0, in.packet().length, now);
      }
    }
    return p;
  }

  // ---------------------------------------------------------------------------------------------- other verbs

  private void receiveEcho(Peer peer, byte[] pkt, int off, int len, long now) {
    if (now - peer.echoWindowStart >= 1000) {
      peer.echoWindowStart = now;
      peer.echoesInWindow = 0;
    }
    if (++peer.echoesInWindow > Timing.ECHO_PER_SECOND) {
      return;
    }
    WireWriter w =
        Responses.beginOk(tx, 0, random.nextLong(), peer.address, self, Verb.ECHO, Packet.packetId(pkt, off));
    w.bytes(pkt, off + Packet.IDX_PAYLOAD, len - Packet.IDX_PAYLOAD);
    transmit(peer, tx, w.position(), false, false, now);
  }

  private void receiveUserMessage(Peer peer, byte[] pkt, int off, int len, long now) {
    UserMessage m = UserMessage.parse(pkt, off, len);
    if (m == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    peer.lastDataMillis = now;
    for (Vl1Listener l : listeners) {
      l.onUserMessage(peer.address, m.typeId(), m.payload());
    }
  }

  private void receiveRendezvous(Peer from, byte[] pkt, int off, int len, long now) {
    if (!from.isUpstream()) {
      return;
    }
    Rendezvous r = Rendezvous.parse(pkt, off, len);
    if (r == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    Peer target = peers.get(r.peer());
    if (target == null || r.peerAddress().getPort() == 0) {
      return;
    }
    contactAt(target, r.peerAddress(), now);
  }

  /** Probes a candidate direct address of a peer: ECHO to peers known to speak ≥ 5, else HELLO. */
  private void contactAt(Peer peer, InetSocketAddress address, long now) {
    if (!config.pathPolicy().isAllowed(address.getAddress()) || !peer.acceptsPath(address)) {
      counters.countPathRefused();
      return;
    }
    int socketId = socketFor(address);
    if (socketId < 0 || peer.path(socketId, address) != null) {
      return;
    }
    if (peer.protocolVersion >= 5) {
      WireWriter w = begin(peer.address, Verb.ECHO);
      w.u64(random.nextLong()).u64(now);
      armorAndSend(peer, tx, w.position(), peer.sendSuite(), true, socketId, address, null, now);
    } else {
      sendHello(peer, socketId, address, now);
    }
  }

  private void receivePushDirectPaths(Peer peer, byte[] pkt, int off, int len, long now) {
    if (now - peer.pushDirectPathsWindowStart >= Timing.PUSH_DIRECT_PATHS_WINDOW) {
      peer.pushDirectPathsWindowStart = now;
      peer.pushDirectPathsInWindow = 0;
    }
    if (++peer.pushDirectPathsInWindow > Timing.PUSH_DIRECT_PATHS_MAX_IN_WINDOW) {
      return;
    }
    PushDirectPaths push = PushDirectPaths.parse(pkt, off, len);
    if (push == null) {
      counters.drop(Drop.BAD_PAYLOAD);
      return;
    }
    int tried = 0;
    for (PushDirectPaths.Entry e : push.entries()) {
      if ((e.flags() & PushDirectPaths.FLAG_FORGET) != 0) {
        continue;
      }
      if (tried++ >= 16) {
        break;
      }
      contactAt(peer, e.address(), now);
    }
  }

  private void sendPushDirectPaths(Peer peer, long now) {
    List<InetSocketAddress> mine = advertisedAddresses();
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
    int n = new PushDirectPaths(entries).write(tx, 0, random.nextLong(), peer.address, self);
    transmit(peer, tx, n, true, false, now);
  }

  /** Our bound addresses (expanding wildcards to interface addresses) and observed surfaces, allowed by policy. */
  private List<InetSocketAddress> advertisedAddresses() {
    UdpUnderlay u = underlay;
    if (u == null) {
      return List.of();
    }
    Set<InetSocketAddress> out = new LinkedHashSet<>(mappedAddresses);
    out.addAll(surfaces);
    for (UdpUnderlay.LocalSocket s : u.sockets()) {
      InetAddress a = s.localAddress().getAddress();
      if (a.isAnyLocalAddress()) {
        try {
          for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress ia : Collections.list(ni.getInetAddresses())) {
              if (s.dualStack() || (ia instanceof Inet4Address) == (a instanceof Inet4Address)) {
                out.add(new InetSocketAddress(ia, s.localAddress().getPort()));
              }
            }
          }
        } catch (SocketException e) {
          // no interface list: advertise what we have
        }
      } else {
        out.add(s.localAddress());
      }
    }
    out.removeIf(a -> !config.pathPolicy().isAllowed(a.getAddress()));
    return new ArrayList<>(out);
  }

  // ---------------------------------------------------------------------------------------------- relaying

  private void relay(byte[] buf, int off, int len, boolean isFragment, long now) {
    if (!config.root()) {
      counters.drop(Drop.NOT_RELAYED);
      return;
    }
    int hops = isFragment ? Fragments.hops(buf, off) : Packet.hops(buf, off);
    if (hops >= Packet.RELAY_MAX_HOPS) {
      counters.drop(Drop.NOT_RELAYED);
      return;
    }
    long dest = isFragment ? Fragments.destination(buf, off) : Packet.destination(buf, off);
    Peer to = peers.get(dest);
    Path path = to == null ? null : to.bestPath(now);
    if (path == null) {
      counters.drop(Drop.NOT_RELAYED);
      return;
    }
    if (isFragment) {
      Fragments.incrementHops(buf, off);
    } else {
      Packet.incrementHops(buf, off);
    }
    physicalSend(path.socketId, path.remote, buf, off, len);
    counters.countRelayed();
    path.lastSendMillis = now;
    if (!isFragment && config.rendezvous()) {
      Peer fromPeer = peers.get(Packet.source(buf, off));
      if (fromPeer != null) {
        unite(fromPeer, to, now);
      }
    }
  }

  /** Sends RENDEZVOUS to both ends of a relayed conversation so they can try a direct path (spec 6.4). */
  private void unite(Peer a, Peer b, long now) {
    long pairKey = a.address < b.address ? (a.address << 24) ^ b.address : (b.address << 24) ^ a.address;
    Path pa = a.bestPath(now);
    Path pb = b.bestPath(now);
    if (pa == null || pb == null || !pa.alive(now) || !pb.alive(now)) {
      return;
    }
    // The interval limits repeats of the same introduction. When either end now sits at another address (a peer
    // restarted on a new port, a NAT remapped it), the other end still sends to the old one: introduce them again.
    int endpoints = a.address < b.address ? 31 * pa.remote.hashCode() + pb.remote.hashCode()
        : 31 * pb.remote.hashCode() + pa.remote.hashCode();
    UniteRecord last = lastUnite.get(pairKey);
    if (last != null
        && now - last.atMillis() < (last.endpoints() == endpoints ? Timing.MIN_UNITE_INTERVAL : MIN_REUNITE_INTERVAL)) {
      return;
    }
    if ((pa.remote.getAddress() instanceof Inet4Address) != (pb.remote.getAddress() instanceof Inet4Address)) {
      return;
    }
    if (lastUnite.size() > 65536) {
      lastUnite.clear();
    }
    lastUnite.put(pairKey, new UniteRecord(now, endpoints));
    boolean aFirst = random.nextBoolean();
    sendRendezvous(aFirst ? a : b, aFirst ? b : a, aFirst ? pb : pa, now);
    sendRendezvous(aFirst ? b : a, aFirst ? a : b, aFirst ? pa : pb, now);
  }

  private void sendRendezvous(Peer to, Peer about, Path aboutPath, long now) {
    int n = new Rendezvous(0, about.address, aboutPath.remote).write(tx, 0, random.nextLong(), to.address, self);
    transmit(to, tx, n, false, false, now);
  }

  // ---------------------------------------------------------------------------------------------- transmit

  private boolean transmit(Peer peer, byte[] pkt, int len, boolean compress, boolean expectReply, long now) {
    return transmitWithSuite(peer, pkt, len, compress, expectReply, peer.sendSuite(), now);
  }

  private boolean transmitWithSuite(
      Peer peer, byte[] pkt, int len, boolean compress, boolean expectReply, int suite, long now) {
    Path path = peer.bestPath(now);
    if (path == null || !path.alive(now)) {
      // A direct path that has stopped answering (the peer moved to another port or address) is used only when no
      // upstream can relay: relaying reaches the peer wherever it now is, and lets the root unite us again.
      Peer relay = bestUpstream(now, peer.address);
      Path relayPath = relay == null ? null : relay.bestPath(now);
      if (relayPath != null && (path == null || relayPath.alive(now))) {
        path = relayPath;
      }
      if (path == null) {
        return false;
      }
    }
    if (compress) {
      len = compressor.compress(pkt, 0, len);
    }
    // When relaying, the path belongs to the upstream: its send time is the upstream's, not the peer's.
    return armorAndSend(peer, pkt, len, suite, expectReply, path.socketId, path.remote, path, now);
  }

  /** Armors {@code pkt[0..len)} for {@code peer}, fragments it if needed and sends it to one physical address. */
  private boolean armorAndSend(
      Peer peer,
      byte[] pkt,
      int len,
      int suite,
      boolean expectReply,
      int socketId,
      InetSocketAddress to,
      @Nullable Path path,
      long now) {
    int mtu = config.physicalMtu();
    int verb = Packet.verbCode(pkt, 0);
    if (len > mtu) {
      if (Fragments.count(len, mtu) > Fragments.MAX_FRAGMENTS) {
        return false;
      }
      Packet.setFragmented(pkt, 0, true);
    }
    armor.armor(pkt, 0, len, peer.key, suite);
    if (expectReply) {
      sent.record(Packet.packetId(pkt, 0), now);
    }
    counters.out(verb, len);
    peer.lastSendMillis = now;
    if (path != null) {
      path.lastSendMillis = now;
    }
    if (len <= mtu) {
      return physicalSend(socketId, to, pkt, 0, len);
    }
    boolean ok = physicalSend(socketId, to, pkt, 0, mtu);
    int total = Fragments.count(len, mtu);
    for (int i = 1; i < total; i++) {
      int n = Fragments.writeFragment(pkt, 0, len, mtu, i, fragment, 0);
      ok &= physicalSend(socketId, to, fragment, 0, n);
    }
    return ok;
  }

  private boolean physicalSend(int socketId, InetSocketAddress to, byte[] buf, int off, int len) {
    UdpUnderlay u = underlay;
    if (u == null) {
      return false;
    }
    counters.datagramOut(len);
    return u.send(socketId, to, buf, off, len);
  }

  private int socketFor(InetSocketAddress to) {
    UdpUnderlay u = underlay;
    if (u == null) {
      return -1;
    }
    for (UdpUnderlay.LocalSocket s : u.sockets()) {
      if (!s.secondary() && s.canReach(to.getAddress())) {
        return s.id();
      }
    }
    TcpRelayClient relay = u.tcpRelay();
    return relay != null && relay.canCarry(to.getAddress()) ? TcpRelayClient.SOCKET_ID : -1;
  }

  // ---------------------------------------------------------------------------------------------- upstreams

  private void rebuildUpstreams(long now) {
    for (Peer p : peers.values()) {
      p.role = PeerInfo.Role.LEAF;
      p.stableEndpoints = List.of();
    }
    addUpstreams(planet, PeerInfo.Role.PLANET, now);
    for (World m : moons.values()) {
      addUpstreams(m, PeerInfo.Role.MOON, now);
    }
  }

  private void addUpstreams(World world, PeerInfo.Role role, long now) {
    for (World.Root r : world.roots()) {
      long a = r.identity().address();
      if (a == self) {
        continue;
      }
      Peer p = peers.get(a);
      if (p == null || !p.identity.equals(r.identity())) {
        // Roots come from a signed world: their identities are trusted without a proof-of-work check.
        p = new Peer(r.identity(), identity.agree(r.identity()), now);
        peers.put(a, p);
      }
      if (p.role != PeerInfo.Role.PLANET) {
        p.role = role;
      }
      List<InetSocketAddress> eps = new ArrayList<>(p.stableEndpoints);
      eps.addAll(r.stableEndpoints());
      p.stableEndpoints = List.copyOf(eps);
    }
  }

  /** The upstream with the best path (lowest latency, recently heard), other than {@code exclude}. */
  private @Nullable Peer bestUpstream(long now, long exclude) {
    Peer best = null;
    double bestScore = Double.MAX_VALUE;
    for (Peer p : peers.values()) {
      if (!p.isUpstream() || p.address == exclude) {
        continue;
      }
      Path path = p.bestPath(now);
      if (path == null) {
        continue;
      }
      double score = path.quality(now);
      if (score < bestScore) {
        bestScore = score;
        best = p;
      }
    }
    return best;
  }

  private void setOnline(boolean value) {
    if (online != value) {
      online = value;
      for (Vl1Listener l : listeners) {
        l.onOnlineChanged(value);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------- timers

  private void tick() {
    if (!started) {
      return;
    }
    long now = now();
    try {
      fastDuties(now);
      if (now - lastSlowTickMillis >= (online ? Timing.TICK : 1_000)) {
        lastSlowTickMillis = now;
        slowDuties(now);
      }
    } catch (RuntimeException e) {
      LOG.log(Level.WARNING, "VL1 timer failed on node " + identity.addressString(), e);
    }
    fastTick = loop.schedule(FAST_TICK_NANOS, this::tick);
  }

  private void fastDuties(long now) {
    reassembler.expire(now);
    if (whois.size() == 0) {
      return;
    }
    for (long address : whois.keys()) {
      PendingWhois pw = whois.get(address);
      if (pw == null) {
        continue;
      }
      if (now - pw.firstMillis >= Timing.QUEUE_TIMEOUT) {
        whois.remove(address);
        for (int i = 0; i < pw.outbound.size() + pw.inbound.size(); i++) {
          counters.drop(Drop.WHOIS_TIMEOUT);
        }
      } else {
        sendWhoisIfDue(address, pw, now);
      }
    }
  }

  private void slowDuties(long now) {
    boolean anyUpstreamHeard = false;
    List<Peer> all = peers.values();
    for (Peer p : all) {
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
        peers.remove(p.address);
        for (Vl1Listener l : listeners) {
          l.onPeerRemoved(p.address);
        }
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
    for (Map.Entry<Long, Long> o : orbits.entrySet()) {
      if (!moons.containsKey(o.getKey())) {
        Peer seed = peers.get(o.getValue());
        if (seed == null) {
          requestWhois(o.getValue(), now);
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
      int socketId = socketFor(ep);
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
          WireWriter w = begin(p.address, Verb.ECHO);
          w.u64(random.nextLong()).u64(now);
          armorAndSend(p, tx, w.position(), p.sendSuite(), true, path.socketId, path.remote, path, now);
        } else {
          sendHello(p, path.socketId, path.remote, now);
        }
      }
    }
  }
}
