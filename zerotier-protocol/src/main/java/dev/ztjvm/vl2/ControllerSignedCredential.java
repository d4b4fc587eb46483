package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.WireWriter;

/**
 * What the credentials a controller signs alone share (tag, revocation, certificate of ownership; spec 7.5): the
 * network they belong to, the signer's address and signature, and the layout {@code body, signature triple, empty
 * extension length} whose signed message is the body between two sign markers. A subclass writes its body and makes
 * a copy of itself with another signature; signing, verifying and serialising are done here once.
 *
 * @param <T> the concrete credential, so that {@link #sign} returns it
 */
abstract sealed class ControllerSignedCredential<T extends ControllerSignedCredential<T>>
    permits Tag, Revocation, CertificateOfOwnership {

  /** Bytes a serialised credential adds after its body: signature triple (1 + 2 + 96), extension length (2). */
  private static final int TAIL_LENGTH = 101;

  final long networkId;
  final long signedBy;
  final byte[] signature;

  ControllerSignedCredential(long networkId, long signedBy, byte[] signature) {
    this.networkId = networkId;
    this.signedBy = signedBy;
    this.signature = signature;
  }

  /** Writes the signed fields (everything before the signature, signer included). */
  abstract void writeBody(WireWriter out);

  /** Length of what {@link #writeBody} writes; only sizes buffers. */
  abstract int bodyLength();

  /** This credential with {@code signedBy} and {@code signature} replaced. */
  abstract T withSignature(long signedBy, byte[] signature);

  /**
   * This credential signed by the controller.
   *
   * @throws IllegalArgumentException if {@code controller} has no secret key
   */
  public final T sign(Identity controller) {
    T unsigned = withSignature(controller.address(), new byte[0]);
    return withSignature(controller.address(), Credentials.sign(controller, unsigned.signedMessage()));
  }

  /** True if signed by the network's controller and the signature verifies with {@code controller}. */
  public final boolean verify(Identity controller) {
    return Credentials.signedByController(signedBy, networkId, controller)
        && Credentials.verify(controller, signedMessage(), signature);
  }

  final WireWriter signedMessage() {
    return Credentials.signedMessage(bodyLength() + 18, this::writeBody);
  }

  /** The credential's wire form. */
  public final byte[] toBytes() {
    return Credentials.toBytes(bodyLength() + TAIL_LENGTH, this::write);
  }

  final void write(WireWriter out) {
    writeBody(out);
    Credentials.signatureAndNoExtensions(out, signature);
  }

  public final long networkId() {
    return networkId;
  }

  /** Address of the signer, 0 if unsigned. */
  public final long signedBy() {
    return signedBy;
  }
}
