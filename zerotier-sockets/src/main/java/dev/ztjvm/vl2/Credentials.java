package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;

/** Shared pieces of the credential formats. */
final class Credentials {
  static final long SIGN_MARKER = 0x7f7f7f7f7f7f7f7fL;

  private Credentials() {}

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

  static void signatureTriple(ByteSink out, byte[] signature) {
    out.u8(1).u16(96);
    if (signature.length == 96) {
      out.bytes(signature);
    } else {
      out.zeros(96); // unsigned credentials serialise an all-zero signature like 1.x
    }
  }
}
