package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.function.Consumer;

/** Shared pieces of the credential formats. */
final class Credentials {
  static final long SIGN_MARKER = 0x7f7f7f7f7f7f7f7fL;

  private Credentials() {}

  /**
   * The message a signer signs over: marker, the credential's body, an empty extension length, marker (1.x signs
   * the credential with these around it).
   */
  static WireWriter signedMessage(int capacity, Consumer<WireWriter> body) {
    WireWriter m = new WireWriter(capacity);
    m.u64(SIGN_MARKER);
    body.accept(m);
    m.u16(0).u64(SIGN_MARKER);
    return m;
  }

  /**
   * True if {@code signedBy} is set, is the controller of {@code networkId} and is {@code controller}: the address
   * checks 1.x makes before verifying a controller-issued credential's signature.
   */
  static boolean signedByController(long signedBy, long networkId, Identity controller) {
    return signedBy != 0 && signedBy == NetworkId.controllerAddress(networkId) && signedBy == controller.address();
  }

  /** Serialises a credential through its {@code write} into a fresh array. */
  static byte[] toBytes(int capacity, Consumer<WireWriter> writer) {
    WireWriter out = new WireWriter(capacity);
    writer.accept(out);
    return out.toByteArray();
  }

  static byte[] sign(Identity signer, WireWriter message) {
    if (!signer.hasSecret()) {
      throw new IllegalArgumentException("signing needs an identity with its secret key");
    }
    byte[] m = message.toByteArray();
    return signer.sign(m, 0, m.length);
  }

  static boolean verify(Identity signer, WireWriter message, byte[] signature) {
    if (signature.length != 96) {
      return false;
    }
    byte[] m = message.toByteArray();
    return signer.verify(m, 0, m.length, signature, 0, 96);
  }

  /** The tail of a signed credential: its signature triple, then an empty extension length. */
  static void signatureAndNoExtensions(WireWriter out, byte[] signature) {
    signatureTriple(out, signature);
    out.u16(0);
  }

  static void signatureTriple(WireWriter out, byte[] signature) {
    out.u8(1).u16(96);
    if (signature.length == 96) {
      out.bytes(signature);
    } else {
      out.zeros(96); // unsigned credentials serialise an all-zero signature like 1.x
    }
  }

  /**
   * Reads the "signature type (1) | length (2) | signature" triple of 1.x credentials: type 1 must have length 96; any
   * other type is skipped. Returns the signature, or an empty array for "unsigned" (another type, or all zeros,
   * which is what 1.x writes for a credential it never signed).
   */
  static byte[] readSignatureTriple(WireReader c) {
    int type = c.u8();
    int len = c.u16();
    if (type == 1) {
      if (len != 96) {
        throw c.error("signature length " + len + " (must be 96)");
      }
      byte[] sig = c.bytes(96);
      for (byte x : sig) {
        if (x != 0) {
          return sig;
        }
      }
      return new byte[0];
    }
    c.skip(len);
    return new byte[0];
  }
}
