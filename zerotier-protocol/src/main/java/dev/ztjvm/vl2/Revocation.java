package dev.ztjvm.vl2;

import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A revocation (spec 7.5): the controller revokes a member's credentials of one type up to a timestamp threshold.
 * A COM revocation rejects the target's COMs with timestamp ≤ threshold. Immutable.
 */
public final class Revocation extends ControllerSignedCredential<Revocation> {
  public static final int CREDENTIAL_COM = 1;
  public static final int CREDENTIAL_CAPABILITY = 2;
  public static final int CREDENTIAL_TAG = 3;
  public static final int CREDENTIAL_COO = 4;
  public static final int CREDENTIAL_REVOCATION = 6;
  /** Flag: receivers re-broadcast the revocation to the other members. */
  public static final long FLAG_FAST_PROPAGATE = 0x1;

  private final long id;
  private final long credentialId;
  private final long threshold;
  private final long flags;
  private final long target;
  private final int credentialType;

  private Revocation(long id, long networkId, long credentialId, long threshold, long flags, long target,
      long signedBy, int credentialType, byte[] signature) {
    super(networkId, signedBy, signature);
    this.id = id & 0xffffffffL;
    this.credentialId = credentialId & 0xffffffffL;
    this.threshold = threshold;
    this.flags = flags;
    this.target = target;
    this.credentialType = credentialType & 0xff;
  }

  /** An unsigned revocation. */
  public static Revocation of(long id, long networkId, long credentialId, long threshold, long flags, long target,
      int credentialType) {
    return new Revocation(id, networkId, credentialId, threshold, flags, target, 0, credentialType, new byte[0]);
  }

  @Override
  Revocation withSignature(long signedBy, byte[] signature) {
    return new Revocation(id, networkId, credentialId, threshold, flags, target, signedBy, credentialType, signature);
  }

  @Override
  void writeBody(WireWriter m) {
    m.u32(0).u32(id).u64(networkId).u32(0).u32(credentialId).u64(threshold).u64(flags).u40(target).u40(signedBy)
        .u8(credentialType);
  }

  @Override
  int bodyLength() {
    return 51;
  }

  public static Parsed<Revocation> read(byte[] b, int off, int end) {
    WireReader c = WireReader.of(b, off, end, "revocation");
    c.skip(4);
    long id = c.u32();
    long nwid = c.u64();
    c.skip(4);
    long credId = c.u32();
    long threshold = c.u64();
    long flags = c.u64();
    long target = c.u40();
    long by = c.u40();
    int type = c.u8();
    byte[] sig = Credentials.readSignatureTriple(c);
    c.skip(c.u16());
    return new Parsed<>(new Revocation(id, nwid, credId, threshold, flags, target, by, type, sig), c.position() - off);
  }

  public long id() {
    return id;
  }

  public long credentialId() {
    return credentialId;
  }

  public long threshold() {
    return threshold;
  }

  public long flags() {
    return flags;
  }

  public long target() {
    return target;
  }

  public int credentialType() {
    return credentialType;
  }

  public boolean fastPropagate() {
    return (flags & FLAG_FAST_PROPAGATE) != 0;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Revocation r && r.id == id && r.networkId == networkId && r.credentialId == credentialId
        && r.threshold == threshold && r.flags == flags && r.target == target && r.signedBy == signedBy
        && r.credentialType == credentialType && Arrays.equals(r.signature, signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(id * 31 + networkId ^ target);
  }

  @Override
  public String toString() {
    return "Revocation{type=" + credentialType + ", target=" + Long.toHexString(target) + ", threshold=" + threshold
        + "}";
  }
}
