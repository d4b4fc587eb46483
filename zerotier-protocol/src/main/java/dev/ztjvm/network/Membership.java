package dev.ztjvm.network;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl2.Capability;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.CertificateOfOwnership;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.Rule;
import dev.ztjvm.vl2.RuleEngine;
import dev.ztjvm.vl2.Tag;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What we know about another member of one network (ZeroTier One's {@code Membership}): the credentials it showed us
 * (COM, tags, capabilities, certificates of ownership) and the COM revocations we heard of, the cached result of the
 * membership gate, its rules contexts, and when we last pushed our credentials or LIKEs to it. Confined to the loop.
 */
final class Membership {

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
  private @Nullable CertificateOfMembership gateTheirs;
  private @Nullable CertificateOfMembership gateOurs;
  private boolean gateResult;
  private RuleEngine.@Nullable Context inbound;
  private RuleEngine.@Nullable Context outbound;

  Membership(long address) {
    this.address = address;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Credentials (already verified against the network's controller by the caller)

  /** Takes a COM of this member unless it is revoked or older than the one held. */
  void acceptCom(CertificateOfMembership c) {
    if (c.timestamp() > comRevocationThreshold
        && (com == null || Long.compareUnsigned(c.timestamp(), com.timestamp()) >= 0)) {
      com = c;
      gateTheirs = null;
    }
  }

  /** A COM revocation: this member's COMs up to {@code threshold} are void. */
  void revokeComs(long threshold) {
    comRevocationThreshold = Math.max(comRevocationThreshold, threshold);
    if (com != null && com.timestamp() <= comRevocationThreshold) {
      com = null;
    }
    gateTheirs = null;
  }

  void addTag(Tag t) {
    tags.put(t.id(), t);
    invalidateContexts();
  }

  void addCapability(Capability c) {
    capabilities.put(c.id(), c);
    invalidateContexts();
  }

  void addCertificateOfOwnership(CertificateOfOwnership c) {
    coos.put(c.id(), c);
    invalidateContexts();
  }

  /** The network's config changed: rules contexts and the gate are computed again. */
  void configChanged() {
    invalidateContexts();
    gateTheirs = null;
  }

  private void invalidateContexts() {
    inbound = null;
    outbound = null;
  }

  // ---------------------------------------------------------------------------------------------------------
  // The membership gate (spec 7.7)

  /**
   * Whether this member's COM agrees with ours ({@code peerIdentity} is looked up only when the cached result does
   * not apply: the identity hash is costly). False without a COM, or with a revoked one.
   */
  boolean comAgrees(CertificateOfMembership ours, java.util.function.LongFunction<@Nullable Identity> peerIdentity) {
    CertificateOfMembership theirs = com;
    if (theirs == null) {
      return false;
    }
    if (theirs.timestamp() <= comRevocationThreshold) {
      return false;
    }
    if (gateTheirs == theirs && gateOurs == ours) {
      return gateResult;
    }
    Identity id = peerIdentity.apply(address);
    if (id == null) {
      return false;
    }
    gateTheirs = theirs;
    gateOurs = ours;
    gateResult = theirs.issuedTo() == address && ours.agreesWith(theirs, id);
    return gateResult;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Rules contexts

  /** The context for frames this member sends us: its capabilities, tags and certificates of ownership. */
  RuleEngine.Context inboundContext(NetworkConfig c) {
    if (inbound != null) {
      return inbound;
    }
    List<List<Rule>> caps = new ArrayList<>();
    for (Capability cap : capabilities.values()) {
      caps.add(cap.rules());
    }
    RuleEngine.Ownership own = RuleEngine.Ownership.of(coos.values());
    inbound = new RuleEngine.Context(c.effectiveRules(), caps, c.localTagLookup(), tagLookup(), own, c.flags());
    return inbound;
  }

  /** The context for frames we send this member (our capabilities, its tags), cached. */
  RuleEngine.Context outboundContext(NetworkConfig c) {
    if (outbound == null) {
      outbound = outboundContext(c, this);
    }
    return outbound;
  }

  /** The context for frames we send to {@code m}, or to a group when {@code m} is null (not cached then). */
  static RuleEngine.Context outboundContext(NetworkConfig c, @Nullable Membership m) {
    List<List<Rule>> caps = new ArrayList<>();
    for (Capability cap : c.capabilities()) {
      caps.add(cap.rules());
    }
    return new RuleEngine.Context(c.effectiveRules(), caps, c.localTagLookup(), m == null ? null : m.tagLookup(),
        c.localOwnership(), c.flags());
  }

  private RuleEngine.TagLookup tagLookup() {
    Map<Long, Tag> snapshot = Map.copyOf(tags);
    return id -> {
      Tag t = snapshot.get(id);
      return t == null ? -1 : t.value();
    };
  }
}
