package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import java.util.function.Consumer;

/** Shared pieces of the credential formats. */
final class Credentials {
  static final long SIGN_MARKER = 0x7f7f7f7f7f7f7f7fL;

  private Credentials() {}

  /**
   * The message a signer signs over: marker, the credential's body, an empty extension length, marker (1.x signs
   * the credential with these around it).
   */
  static ByteSink signedMessage(int capacity, Consumer<ByteSink> body) {
    ByteSink m = new ByteSink(capacity);
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
  static byte[] toBytes(int capacity, Consumer<ByteSink> writer) {
    ByteSink out = new ByteSink(capacity);
    writer.accept(out);
    return out.toByteArray();
  }

  static byte[] sign(Identity signer, ByteSink message) {
    if (!signer.hasSecret()) {
      throw new IllegalArgumentException("signing needs an identity with its secret key");
    }
    byte[] m = message.toByteArray();
    return signer.sign(m, 0, m.length);
  }

  static boolean verify(Identity signer, ByteSink message, byte[] signature) {
    if (signature.length != 96) {
      return false;
    }
    byte[] m = message.toByteArray();
    return signer.verify(m, 0, m.length, signature, 0, 96);
  }

  /** The tail of a signed credential: its signature triple, then an empty extension length. */
  static void signatureAndNoExtensions(ByteSink out, byte[] signature) {
    signatureTriple(out, signature);
    out.u16(0);
  }

  static void signatureTriple(ByteSink out, byte[] signature) {
    out.u8(1).u16(96);
    if (signature.length == 96) {
      out.bytes(signature);
    } else {
      out.zeros(96); // unsigned credentials serialise an all-zero signature like 1.x
    }
  }
}
