package dev.ztjvm.vl1.world;

import dev.ztjvm.crypto.C25519;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * The raw 128-byte C25519 key pair that signs a world ({@code public (64) ‖ private (64)}, the format of mkworld's
 * {@code previous.c25519} / {@code current.c25519} files). Not an identity: it has no address.
 */
public final class WorldSigningKey {

  public static final int LENGTH = 128;

  private final byte[] publicKey;
  private final byte[] privateKey;

  private WorldSigningKey(byte[] publicKey, byte[] privateKey) {
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /** A fresh random key pair. */
  public static WorldSigningKey generate(SecureRandom random) {
    C25519.KeyPair kp = C25519.generate(random);
    return new WorldSigningKey(kp.publicKey(), kp.privateKey());
  }

  /**
   * Reads the 128-byte file form.
   *
   * @throws IllegalArgumentException if the length is wrong or the public half does not belong to the private half
   */
  public static WorldSigningKey fromBytes(byte[] b) {
    if (b.length != LENGTH) {
      throw new IllegalArgumentException("world signing key must be " + LENGTH + " bytes, got " + b.length);
    }
    byte[] pub = Arrays.copyOfRange(b, 0, 64);
    byte[] priv = Arrays.copyOfRange(b, 64, 128);
    if (!Arrays.equals(C25519.derivePublic(priv), pub)) {
      throw new IllegalArgumentException("world signing key: public half does not match the private half");
    }
    return new WorldSigningKey(pub, priv);
  }

  /** The 128-byte file form (contains the private key). */
  public byte[] toBytes() {
    byte[] b = new byte[LENGTH];
    System.arraycopy(publicKey, 0, b, 0, 64);
    System.arraycopy(privateKey, 0, b, 64, 64);
    return b;
  }

  /** The 64-byte public key (what a world's {@code updatesMustBeSignedBy} holds). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The 96-byte ZeroTier signature of {@code msg}. */
  public byte[] sign(byte[] msg) {
    return C25519.sign(privateKey, publicKey, msg, 0, msg.length);
  }

  @Override
  public String toString() {
    return "WorldSigningKey[public=" + java.util.HexFormat.of().formatHex(publicKey) + "]";
  }
}
