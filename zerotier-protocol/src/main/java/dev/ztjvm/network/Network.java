package dev.ztjvm.network;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl2.Capability;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.CertificateOfOwnership;
import dev.ztjvm.vl2.ConfigAssembler;
import dev.ztjvm.vl2.MulticastGroup;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.RuleEngine;
import dev.ztjvm.vl2.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** State of one joined network; confined to the node's loop. */
final class Network {

  /** What we know about another member of this network. */
  static final class Member {
    final long address;
    @Nullable CertificateOfMembership com;
    /** COMs of this member with a timestamp at or below this were revoked. */
    long comRevocationThreshold = Long.MIN_VALUE;
    long lastCredentialsPushed = Long.MIN_VALUE / 2;
    long lastNeedCertificateSent = Long.MIN_VALUE / 2;
    long lastNeedCertificateHandled = Long.MIN_VALUE / 2;
    long lastLikeSent = Long.MIN_VALUE / 2;
    final Map<Long, Tag> tags = new HashMap<>();
    final Map<Long, Capability> capabilities = new HashMap<>();
    final Map<Long, CertificateOfOwnership> coos = new HashMap<>();
    /** Cache of the last gate check: their COM and ours it was computed for, and the result. */
    @Nullable CertificateOfMembership gateTheirs;
    @Nullable CertificateOfMembership gateOurs;
    boolean gateResult;
    RuleEngine.@Nullable Context inbound;
    RuleEngine.@Nullable Context outbound;

    Member(long address) {
      this.address = address;
    }

    void invalidateContexts() {
      inbound = null;
      outbound = null;
    }
  }

  /** A multicast frame waiting for gather results (sent to newly learned members for up to 5 s). */
  record PendingMulticast(
      MulticastGroup group, long sourceMac, int etherType, byte[] payload, long expiresAt, int limit,
      Set<Long> sentTo) {}

  final long id;
  final long controller;
  final boolean adHoc;
  final VirtualTap tap;
  final long mac;
  @Nullable NetworkConfig config;
  boolean fromCache;
  NetworkStatus status = NetworkStatus.REQUESTING_CONFIGURATION;
  String reason = "";
  @Nullable String authenticationUrl;
  @Nullable ConfigAssembler assembler;
  @Nullable Identity controllerIdentity;
  long lastConfigUpdate = Long.MIN_VALUE / 2;
  long lastRequestSent = Long.MIN_VALUE / 2;
  long lastAnnounce = Long.MIN_VALUE / 2;
  boolean groupsDirty = true;
  final Map<Long, Member> members = new HashMap<>();
  final MulticastSubscriptions subscriptions = new MulticastSubscriptions();
  final Map<MulticastGroup, Long> lastGather = new HashMap<>();
  final List<PendingMulticast> pending = new ArrayList<>();
  Set<MulticastGroup> announced = new LinkedHashSet<>();

  Network(long id, long controller, boolean adHoc, VirtualTap tap, long mac) {
    this.id = id;
    this.controller = controller;
    this.adHoc = adHoc;
    this.tap = tap;
    this.mac = mac;
  }

  Member member(long address) {
    return members.computeIfAbsent(address, Member::new);
  }

  boolean usable() {
    return config != null && status == NetworkStatus.OK;
  }
}
