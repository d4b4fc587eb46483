package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import org.jspecify.annotations.Nullable;

/** The 1.x membership gate (spec 7.7) and COM acceptance as pure functions. */
public final class MembershipCheck {
  private MembershipCheck() {}

  /**
   * Whether frames from a peer may pass on a network: always on public networks; on private networks only if we hold
   * the peer's COM, its timestamp is above any COM revocation threshold for the peer, and our own COM agrees with it
   * for the peer's identity.
   *
   * @param ours our current config (its COM is "our COM")
   * @param theirs the peer's COM we hold, or null
   * @param theirIdentity the peer's identity
   * @param comRevocationThreshold highest COM revocation threshold received for the peer (0 = none)
   */
  public static boolean passes(NetworkConfig ours, @Nullable CertificateOfMembership theirs, Identity theirIdentity,
      long comRevocationThreshold) {
    if (!ours.isPrivate()) {
      return true;
    }
    CertificateOfMembership ourCom = ours.com();
    if (ourCom == null || theirs == null) {
      return false;
    }
    if (Long.compareUnsigned(theirs.timestamp(), comRevocationThreshold) <= 0 && comRevocationThreshold != 0) {
      return false;
    }
    return ourCom.agreesWith(theirs, theirIdentity);
  }

  /**
   * Whether a received COM replaces the stored one: it must be signed by the network's controller (verified with
   * {@code controller}), not older than the stored one, and above the revocation threshold.
   */
  public static boolean acceptCom(long networkId, CertificateOfMembership received,
      @Nullable CertificateOfMembership stored, Identity controller, long comRevocationThreshold) {
    if (received.networkId() != networkId || !received.verify(controller)) {
      return false;
    }
    if (stored != null && Long.compareUnsigned(received.timestamp(), stored.timestamp()) < 0) {
      return false;
    }
    return comRevocationThreshold == 0 || Long.compareUnsigned(received.timestamp(), comRevocationThreshold) > 0;
  }

  /**
   * Whether a capability, tag or certificate of ownership is timely (spec 7.5): its timestamp lies within the config's
   * credential time max delta of our config's timestamp. Signature checks are separate ({@code verify}).
   */
  public static boolean timely(NetworkConfig ours, long credentialTimestamp) {
    long diff = Math.abs(credentialTimestamp - ours.timestamp());
    return diff >= 0 && diff <= ours.credentialTimeMaxDelta();
  }
}
