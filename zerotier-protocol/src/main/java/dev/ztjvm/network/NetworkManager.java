package dev.ztjvm.network;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.node.Vl2Hook;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Responses;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl2.AdHocNetworks;
import dev.ztjvm.vl2.Capability;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.CertificateOfOwnership;
import dev.ztjvm.vl2.ConfigChunk;
import dev.ztjvm.vl2.ConfigRequest;
import dev.ztjvm.vl2.Dictionary;
import dev.ztjvm.vl2.FilterResult;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.NdpEmulation;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkCredentials;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.NodeMac;
import dev.ztjvm.vl2.Revocation;
import dev.ztjvm.vl2.RuleEngine;
import dev.ztjvm.vl2.Tag;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * <p>Split along ZeroTier One's seams: this class is the switch (lifecycle, verb dispatch, frames in and out through
 * the rules); each joined {@link Network} keeps its config, status and members' {@link Membership}s; the
 * {@link Multicaster} does LIKE/GATHER and multicast replication.
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
  static final long CREDENTIAL_PUSH_MAX_AGE_MILLIS = 500_000;
  static final int MAX_FRAME_PAYLOAD = 10_000;

  private final Vl1Node node;
  private final long self;
  private final NetworkOptions options;
  private final @Nullable NetworkCache cache;
  private final Map<Long, Network> networks = new LinkedHashMap<>();
  private final List<NetworkListener> listeners = new CopyOnWriteArrayList<>();
  private final SplittableRandom random = new SplittableRandom();
  private final RuleEngine rules;
  private final Multicaster multicaster;
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
    this.multicaster = new Multicaster(this, random);
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
      return n == null ? null : n.info();
    });
  }

  /** Snapshots of all joined networks. */
  public List<NetworkInfo> networks() {
    return onLoop(() -> networks.values().stream().map(Network::info).toList());
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
      return n == null ? List.<MulticastGroup>of() : List.copyOf(n.groups());
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
        n.requestConfig(node.now());
      }
      return null;
    });
  }

  private <T> T onLoop(Callable<T> task) {
    return node.loop().await(task, Duration.ofSeconds(30));
  }

  // ------------------------------------------------------------------------------------------------ join / status

  private Network joinOnLoop(long nwid) {
    Network existing = networks.get(nwid);
    if (existing != null) {
      return existing;
    }
    long mac = NodeMac.forNode(nwid, self);
    Network n = new Network(this, nwid, new VirtualTap(this, nwid, mac), mac);
    networks.put(nwid, n);
    long now = node.now();
    if (n.adHoc) {
      NetworkConfig c = AdHocNetworks.config(nwid, self, now).orElse(null);
      if (c == null) {
        n.setStatus(NetworkStatus.NOT_FOUND, "ad-hoc network ID " + NetworkId.toString(nwid) + " is malformed");
      } else {
        n.applyConfig(c, false, now);
      }
      return n;
    }
    n.setStatus(NetworkStatus.REQUESTING_CONFIGURATION, n.requestingReason());
    if (cache != null) {
      NetworkConfig cached = cache.load(nwid);
      if (cached != null && cached.issuedTo() == self) {
        n.applyConfig(cached, true, now);
      } else {
        cache.markJoined(nwid);
      }
    }
    if (started) {
      n.requestConfig(now);
    }
    return n;
  }

  // ---- what Network and Multicaster ask of the manager

  @Nullable
  Network joined(long networkId) {
    return networks.get(networkId);
  }

  @Nullable
  NetworkCache cache() {
    return cache;
  }

  boolean started() {
    return started;
  }

  Multicaster multicaster() {
    return multicaster;
  }

  @Nullable
  Vl2Hook controllerHook() {
    return controllerHook;
  }

  @Nullable
  LocalController localController() {
    return localController;
  }

  ConfigRequest.Metadata requestMetadata() {
    return ConfigRequest.Metadata.defaults(options.osArch()).withAuthToken(options.authToken());
  }

  void countDrop() {
    dropped++;
  }

  void statusChanged(NetworkInfo info) {
    for (NetworkListener l : listeners) {
      l.onStatusChanged(info);
    }
  }

  void configChanged(Network n, @Nullable NetworkConfig old, NetworkConfig c) {
    NetworkInfo i = n.info();
    for (NetworkListener l : listeners) {
      l.onConfigChanged(i, c);
    }
    if (old == null || !old.staticIps().equals(c.staticIps())) {
      for (NetworkListener l : listeners) {
        l.onAddressesChanged(n.id, c.staticIps());
      }
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
          n.requestConfig(now);
        }
      }
      if (n.usable() && (n.groupsDirty || now - n.lastAnnounce >= Multicaster.ANNOUNCE_PERIOD_MILLIS)) {
        multicaster.announce(n, now);
      }
      n.pending.removeIf(p -> now > p.expiresAt());
      n.subscriptions.expire(now);
    }
  }

  void groupsChanged(long nwid) {
    Network n = networks.get(nwid);
    if (n != null) {
      n.groupsDirty = true;
      if (n.usable()) {
        multicaster.announce(n, node.now());
      }
    }
  }

  // ------------------------------------------------------------------------------------------------ receive

  @Override
  public void onPacket(Vl1Node node, long source, int verbCode, byte[] pkt, int off, int len, int hops,
      long nowMillis) {
    try {
      dispatch(source, verbCode, pkt, off, len, nowMillis);
    } catch (RuntimeException e) {
      // parsers throw WireFormatException (an IllegalArgumentException) on bad input: drop and count
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
          case 0x0d -> multicaster.receiveGatherResult(source, pkt, d, end, false, now);
          case 0x0e -> multicaster.receiveGatherResult(source, pkt, d, end, true, now);
          case 0x0c -> forward(ctl, source, verb, pkt, off, len, now);
          default -> {
          }
        }
      }
      case 0x02 -> receiveError(source, pkt, off, end, now);
      case 0x06 -> receiveFrame(source, pkt, p, end, now);
      case 0x07 -> receiveExtFrame(source, pkt, p, end, Packet.packetId(pkt, off), now);
      case 0x09 -> {
        forward(ctl, source, verb, pkt, off, len, now);
        multicaster.receiveLike(source, pkt, p, end, now);
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
        multicaster.receiveGather(source, pkt, p, end, Packet.packetId(pkt, off), now);
      }
      case 0x0e -> multicaster.receiveMulticastFrame(source, pkt, p, end, now);
      default -> {
      }
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
    if (n == null || !n.receiveConfigChunk(chunk, source, packetId, push, now)) {
      dropped++;
    }
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
        n.applyError(ec, ec == ErrorCode.NETWORK_AUTHENTICATION_REQUIRED ? authUrl(pkt, d + 8, end) : null);
      }
      return;
    }
    if (code == ErrorCode.NEED_MEMBERSHIP_CERTIFICATE.code()) {
      Membership m = n.member(source);
      if (now - m.lastNeedCertificateHandled >= 1_000) {
        m.lastNeedCertificateHandled = now;
        n.pushCredentials(m, now);
      }
    } else if (code == ErrorCode.UNWANTED_MULTICAST.code() && end - d >= 18) {
      n.subscriptions.remove(new MulticastGroup(MacAddress.read(pkt, d + 8), (int) Bytes.u32(pkt, d + 14)), source);
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

  // ---- credentials (each checked against the controller of the network it names)

  private void receiveCredentials(long source, byte[] pkt, int p, int end, long now) {
    NetworkCredentials creds = NetworkCredentials.parse(pkt, p, end - p);
    for (CertificateOfMembership com : creds.coms()) {
      Network n = networks.get(com.networkId());
      Identity ctl = n == null ? null : n.controllerIdentity();
      if (ctl == null || com.signedBy() != n.controller || !com.verify(ctl)) {
        dropped++;
        continue;
      }
      n.member(com.issuedTo()).acceptCom(com);
    }
    for (Revocation r : creds.revocations()) {
      Network n = networks.get(r.networkId());
      Identity ctl = n == null ? null : n.controllerIdentity();
      if (ctl == null || r.signedBy() != n.controller || !r.verify(ctl)) {
        dropped++;
        continue;
      }
      if (r.credentialType() == Revocation.CREDENTIAL_COM) {
        n.member(r.target()).revokeComs(r.threshold());
      }
    }
    for (Tag t : creds.tags()) {
      Network n = networks.get(t.networkId());
      Identity ctl = n == null ? null : n.controllerIdentity();
      if (ctl != null && t.signedBy() == n.controller && n.timely(t.timestamp()) && t.verify(ctl)) {
        n.member(t.issuedTo()).addTag(t);
      }
    }
    for (Capability c : creds.capabilities()) {
      Network n = networks.get(c.networkId());
      Identity ctl = n == null ? null : n.controllerIdentity();
      if (ctl != null && n.timely(c.timestamp()) && c.verify(ctl)) {
        n.member(c.holder() == 0 ? source : c.holder()).addCapability(c);
      }
    }
    for (CertificateOfOwnership c : creds.certificatesOfOwnership()) {
      Network n = networks.get(c.networkId());
      Identity ctl = n == null ? null : n.controllerIdentity();
      if (ctl != null && c.signedBy() == n.controller && n.timely(c.timestamp()) && c.verify(ctl)) {
        n.member(c.issuedTo()).addCertificateOfOwnership(c);
      }
    }
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
    if (!n.gate(source)) {
      n.refuse(source, Verb.FRAME.code(), packetId, now);
      return;
    }
    int et = Bytes.u16(pkt, p + 8);
    inboundUnicast(n, source, NodeMac.forNode(n.id, source), n.mac, et, pkt, p + 10, end - p - 10, now);
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
    long dst = MacAddress.read(pkt, q);
    long src = MacAddress.read(pkt, q + 6);
    int et = Bytes.u16(pkt, q + 12);
    if (!n.usable()) {
      n.tap.framesDropped.incrementAndGet();
      return;
    }
    if (!n.gate(source)) {
      n.refuse(source, Verb.EXT_FRAME.code(), packetId, now);
      return;
    }
    if (src != NodeMac.forNode(n.id, source)) {
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
  @Nullable
  Network networkOf(byte[] pkt, int p, int end, int minLength) {
    if (end - p < minLength) {
      dropped++;
      return null;
    }
    return networks.get(Bytes.u64(pkt, p));
  }

  /** Reads the COM a frame carries inline at {@code q} and accepts it if valid; returns its length. */
  private int acceptInlineCom(Network n, long source, byte[] pkt, int q, int end) {
    var com = CertificateOfMembership.read(pkt, q, end);
    n.acceptInlineCom(source, com.value());
    return com.length();
  }

  private void inboundUnicast(Network n, long source, long srcMac, long dstMac, int et, byte[] b, int p, int len,
      long now) {
    if (len < 0 || len > MAX_FRAME_PAYLOAD) {
      dropped++;
      return;
    }
    NetworkConfig c = Objects.requireNonNull(n.config);
    FilterResult r = filterInbound(n, c, source, srcMac, dstMac, et, b, p, len);
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

  /** The inbound rules for a frame of {@code source} (the result is reused: read it before the next call). */
  FilterResult filterInbound(Network n, NetworkConfig c, long source, long srcMac, long dstMac, int et, byte[] b,
      int p, int len) {
    return rules.filterInbound(n.inboundContext(c, source), source, self, srcMac, dstMac, et, 0, b, p, len, filter);
  }

  static int teeLength(int ruleLength, int len) {
    return ruleLength == 0 ? len : Math.min(ruleLength, len);
  }

  void deliver(Network n, long dstMac, long srcMac, int et, byte[] b, int p, int len) {
    MacAddress.write(dstMac, frameOut, 0);
    MacAddress.write(srcMac, frameOut, 6);
    frameOut[12] = (byte) (et >>> 8);
    frameOut[13] = (byte) et;
    System.arraycopy(b, p, frameOut, 14, len);
    n.tap.deliver(frameOut, 0, 14 + len);
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
      if (dst == MacAddress.BROADCAST.value()) {
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
      FilterResult r = rules.filterOutbound(n.outboundContext(c, 0), self, 0, src, dst, et, 0, f, p, plen, filter);
      if (!r.accepted()) {
        tap.framesDropped.incrementAndGet();
        return;
      }
      sendTees(n, r, dst, src, et, f, p, plen, 0x02, 0x16, now);
      multicaster.send(n, c, group, src, et, f, p, plen, now);
      return;
    }
    if (dst == n.mac) {
      n.tap.deliver(f, off, len);
      return;
    }
    if (!NodeMac.isNodeMac(n.id, dst)) {
      tap.framesDropped.incrementAndGet(); // behind a bridge: no bridges supported
      return;
    }
    long to = NodeMac.nodeAddress(n.id, dst);
    if (to == self || to == 0) {
      tap.framesDropped.incrementAndGet();
      return;
    }
    FilterResult r = rules.filterOutbound(n.outboundContext(c, to), self, to, src, dst, et, 0, f, p, plen, filter);
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
    n.pushCredentialsIfNeeded(to, now);
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

  void sendExtFrame(Network n, long to, int flags, long dst, long src, int et, byte[] f, int p, int len,
      long now) {
    if (to == self || to == 0) {
      return;
    }
    n.pushCredentialsIfNeeded(to, now);
    WireWriter w = node.begin(to, Verb.EXT_FRAME);
    w.u64(n.id).u8(flags);
    Multicaster.writeMac(w, dst);
    Multicaster.writeMac(w, src);
    w.u16(et).bytes(f, p, len);
    node.send(w, true, false);
  }

}
