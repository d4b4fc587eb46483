package dev.ztjvm.network;

import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.WireWriter;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.ConfigAssembler;
import dev.ztjvm.vl2.ConfigChunk;
import dev.ztjvm.vl2.ConfigRequest;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MembershipCheck;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkCredentials;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.RuleEngine;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One joined network (ZeroTier One's {@code Network}): its config and the status model around it (requests to the
 * controller, chunk reassembly, errors), its members' {@link Membership}s and the gate they pass, our credentials
 * pushed to them, and our multicast subscriptions. The multicast state ({@link #subscriptions}, gathers, frames
 * waiting for members) is kept here and worked by the {@link Multicaster}. Confined to the node's loop.
 */
final class Network {

  /** A multicast frame waiting for gather results (sent to newly learned members for up to 5 s). */
  record PendingMulticast(
      MulticastGroup group, long sourceMac, int etherType, byte[] payload, long expiresAt, int limit,
      Set<Long> sentTo) {}

  final long id;
  final long controller;
  final boolean adHoc;
  final VirtualTap tap;
  final long mac;
  private final NetworkManager manager;
  private final Vl1Node node;
  private final long self;
  @Nullable NetworkConfig config;
  boolean fromCache;
  NetworkStatus status = NetworkStatus.REQUESTING_CONFIGURATION;
  String reason = "";
  @Nullable String authenticationUrl;
  private @Nullable ConfigAssembler assembler;
  private @Nullable Identity controllerIdentity;
  long lastConfigUpdate = Long.MIN_VALUE / 2;
  long lastRequestSent = Long.MIN_VALUE / 2;
  long lastAnnounce = Long.MIN_VALUE / 2;
  boolean groupsDirty = true;
  final Map<Long, Membership> members = new HashMap<>();
  final MulticastSubscriptions subscriptions = new MulticastSubscriptions();
  final Map<MulticastGroup, Long> lastGather = new HashMap<>();
  final List<PendingMulticast> pending = new ArrayList<>();
  Set<MulticastGroup> announced = new LinkedHashSet<>();

  Network(NetworkManager manager, long id, VirtualTap tap, long mac) {
    this.manager = manager;
    this.node = manager.node();
    this.self = node.address();
    this.id = id;
    this.controller = NetworkId.controllerAddress(id);
    this.adHoc = NetworkId.isAdHoc(id);
    this.tap = tap;
    this.mac = mac;
  }

  Membership member(long address) {
    return members.computeIfAbsent(address, Membership::new);
  }

  boolean usable() {
    return config != null && status == NetworkStatus.OK;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Status and config

  NetworkInfo info() {
    NetworkConfig c = config;
    return new NetworkInfo(
        id, status, reason, c == null ? "" : c.name(), mac, c == null ? NetworkConfig.DEFAULT_MTU : c.mtu(),
        c == null || c.isPrivate(), c != null && c.broadcastEnabled(), c == null ? List.of() : c.staticIps(),
        c == null ? List.of() : c.routes(), c == null ? 0 : c.revision(), c == null ? 0 : c.timestamp(), fromCache,
        authenticationUrl);
  }

  String requestingReason() {
    return "waiting for a config from controller " + Address.toString(controller) + " of network "
        + NetworkId.toString(id);
  }

  void setStatus(NetworkStatus newStatus, String newReason) {
    if (status == newStatus && reason.equals(newReason)) {
      return;
    }
    status = newStatus;
    reason = newReason;
    manager.statusChanged(info());
  }

  void applyConfig(NetworkConfig c, boolean cached, long now) {
    NetworkConfig old = config;
    config = c;
    tap.setMtu(c.mtu());
    fromCache = cached;
    lastConfigUpdate = cached ? Long.MIN_VALUE / 2 : now;
    authenticationUrl = null;
    for (Membership m : members.values()) {
      m.configChanged();
    }
    groupsDirty = true;
    NetworkCache cache = manager.cache();
    if (!cached && !adHoc && cache != null) {
      cache.save(id, c);
    }
    setStatus(NetworkStatus.OK, "");
    manager.configChanged(this, old, c);
    if (manager.started()) {
      manager.multicaster().announce(this, now);
    }
  }

  /** Asks the controller for a config (or the embedded controller, when this node is the network's controller). */
  void requestConfig(long now) {
    lastRequestSent = now;
    NetworkConfig c = config;
    ConfigRequest.Metadata md = manager.requestMetadata();
    if (controller == self) {
      NetworkManager.LocalController lc = manager.localController();
      if (lc == null) {
        setStatus(NetworkStatus.NOT_FOUND, "network " + NetworkId.toString(id)
            + " belongs to this node, which runs no controller");
        return;
      }
      NetworkManager.LocalAnswer answer = lc.requestLocal(id, md);
      if (answer.config() != null) {
        if (c == null || fromCache || Long.compareUnsigned(answer.config().timestamp(), c.timestamp()) >= 0) {
          applyConfig(answer.config(), false, now);
        }
      } else if (answer.error() != null) {
        applyError(answer.error(), null);
      }
      return;
    }
    ConfigRequest req = new ConfigRequest(id, md, c == null ? 0 : c.revision(), c == null ? 0 : c.timestamp());
    WireWriter w = node.begin(controller, Verb.NETWORK_CONFIG_REQUEST);
    w.bytes(req.toBytes());
    node.send(w, true, true);
  }

  /**
   * A chunk of a config from {@code source} (an answer to our request, or a push); the config is applied when
   * complete. Returns false if the chunk was dropped.
   */
  boolean receiveConfigChunk(ConfigChunk chunk, long source, long packetId, boolean push, long now) {
    if (adHoc || (!push && source != controller)) {
      return false;
    }
    ConfigAssembler asm = assembler();
    if (asm == null) {
      return false;
    }
    ConfigAssembler.Completed done = asm.offer(chunk, source, packetId);
    if (done == null) {
      return true;
    }
    NetworkConfig c = done.config();
    NetworkConfig old = config;
    if (old != null && !fromCache && Long.compareUnsigned(c.timestamp(), old.timestamp()) < 0) {
      return false; // stale: older than what we hold
    }
    if (push) {
      WireWriter w = node.begin(source, Verb.OK);
      w.u8(Verb.NETWORK_CONFIG.code()).u64(packetId).u64(id).u64(done.updateId());
      node.send(w, false, false);
    }
    applyConfig(c, false, now);
    return true;
  }

  private @Nullable ConfigAssembler assembler() {
    if (assembler == null) {
      Identity ctl = controllerIdentity();
      if (ctl == null) {
        return null;
      }
      assembler = new ConfigAssembler(id, self, ctl);
    }
    return assembler;
  }

  /** The controller's identity (null until known, and for ad-hoc networks). */
  @Nullable
  Identity controllerIdentity() {
    if (controllerIdentity == null && !adHoc) {
      controllerIdentity = controller == self ? node.identity() : node.peerIdentity(controller);
    }
    return controllerIdentity;
  }

  /** The controller refused our request: the status says what to do about it. */
  void applyError(ErrorCode ec, @Nullable String url) {
    String net = NetworkId.toString(id);
    String ctl = Address.toString(controller);
    switch (ec) {
      case OBJ_NOT_FOUND, UNSUPPORTED_OPERATION -> setStatus(NetworkStatus.NOT_FOUND,
          "network " + net + " does not exist at controller " + ctl + " (check the network ID)");
      case NETWORK_ACCESS_DENIED -> setStatus(NetworkStatus.ACCESS_DENIED,
          "authorize node " + Address.toString(self) + " on network " + net + " at its controller " + ctl);
      case BAD_PROTOCOL_VERSION -> setStatus(NetworkStatus.CLIENT_TOO_OLD,
          "controller " + ctl + " of network " + net + " requires a newer client");
      case NETWORK_AUTHENTICATION_REQUIRED -> {
        authenticationUrl = url;
        setStatus(NetworkStatus.AUTHENTICATION_REQUIRED,
            "network " + net + " requires single sign-on: authenticate node " + Address.toString(self)
                + (url == null ? "" : " at " + url));
      }
      default -> {
      }
    }
  }

  /** Whether a credential's timestamp is within the config's COM window. */
  boolean timely(long timestamp) {
    NetworkConfig c = config;
    return c != null && MembershipCheck.timely(c, timestamp);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Members

  /** The membership check of spec 7.7: public networks admit everyone, private ones a member whose COM agrees. */
  boolean gate(long peer) {
    NetworkConfig c = config;
    if (c == null) {
      return false;
    }
    if (!c.isPrivate()) {
      return true;
    }
    Membership m = members.get(peer);
    CertificateOfMembership ours = c.com();
    if (m == null || ours == null) {
      return false;
    }
    return m.comAgrees(ours, node::peerIdentity);
  }

  /** A frame of {@code source} failed the gate: drop it and ask for its COM (at most once a second). */
  void refuse(long source, int inReVerb, long packetId, long now) {
    manager.countDrop();
    tap.framesDropped.incrementAndGet();
    Membership m = member(source);
    if (now - m.lastNeedCertificateSent >= 1_000) {
      m.lastNeedCertificateSent = now;
      WireWriter w = node.begin(source, Verb.ERROR);
      w.u8(inReVerb).u64(packetId).u8(ErrorCode.NEED_MEMBERSHIP_CERTIFICATE.code()).u64(id);
      node.send(w, false, false);
    }
  }

  /** Takes a COM carried inline by a frame of {@code source} if the controller signed it for that sender. */
  void acceptInlineCom(long source, CertificateOfMembership com) {
    Identity ctl = controllerIdentity();
    if (ctl != null && com.networkId() == id && com.issuedTo() == source && com.verify(ctl)) {
      member(source).acceptCom(com);
    }
  }

  /** Pushes our credentials before sending to {@code peer} unless it has fresh ones. */
  void pushCredentialsIfNeeded(long peer, long now) {
    Membership m = member(peer);
    if (now - m.lastCredentialsPushed >= NetworkManager.CREDENTIAL_PUSH_MAX_AGE_MILLIS
        || m.lastCredentialsPushed < lastConfigUpdate) {
      pushCredentials(m, now);
    }
  }

  void pushCredentials(Membership m, long now) {
    NetworkConfig c = config;
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

  RuleEngine.Context inboundContext(NetworkConfig c, long peer) {
    return member(peer).inboundContext(c);
  }

  /** Rules context towards {@code peer}, or towards a group when {@code peer} is 0. */
  RuleEngine.Context outboundContext(NetworkConfig c, long peer) {
    Membership m = peer == 0 ? null : members.get(peer);
    return m == null ? Membership.outboundContext(c, null) : m.outboundContext(c);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Our multicast subscriptions (spec 8.3)

  /** The ARP and solicited-node groups of the managed addresses, broadcast when enabled, and the stack's groups. */
  Set<MulticastGroup> groups() {
    Set<MulticastGroup> g = new LinkedHashSet<>();
    NetworkConfig c = config;
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
    g.addAll(tap.subscriptions());
    return g;
  }

  boolean subscribed(MulticastGroup group) {
    NetworkConfig c = config;
    if (c == null) {
      return false;
    }
    if (group.equals(MulticastGroup.BROADCAST)) {
      return c.broadcastEnabled();
    }
    return groups().contains(group);
  }
}
