package dev.ztjvm.crypto;

import java.security.MessageDigest;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc7748.X25519;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * ZeroTier's "C25519" key pairs: 64-byte blobs holding an X25519 half (bytes 0..31) and an independent Ed25519
 * half (bytes 32..63). Private blobs hold the raw X25519 scalar and the Ed25519 seed (spec 1.1).
 *
 * <p>Signatures are ZeroTier's 96-byte form: Ed25519 over the first 32 bytes of SHA-512(message), followed by those
 * 32 bytes (spec 1.2). Agreement is the first 48 bytes of SHA-512(X25519(...)) (spec 1.3). Backed by
 * BouncyCastle's low-level RFC 7748 / RFC 8032 code (about 10x the JDK's EdDSA speed).
 */
public final class C25519 {

  /** Public and private key blob length. */
  public static final int KEY_LENGTH = 64;
  /** ZeroTier signature length. */
  public static final int SIGNATURE_LENGTH = 96;
  /** Shared (symmetric) key length produced by {@link #agree}. */
  public static final int SHARED_KEY_LENGTH = 48;

  static {
    X25519.precompute();
    Ed25519.precompute();
  }

  /** A 64-byte public blob and its 64-byte private blob. */
  public record KeyPair(byte[] publicKey, byte[] privateKey) {
    public KeyPair {
      if (publicKey.length != KEY_LENGTH || privateKey.length != KEY_LENGTH) {
        throw new IllegalArgumentException("C25519 key blobs must be 64 bytes");
      }
    }
  }

  private C25519() {}

  /** Forces the one-time precomputation of the curve tables (otherwise done on first use). */
  public static void precompute() {
    // the static initializer did it
  }

  /** A new random key pair. */
  public static KeyPair generate(SecureRandom random) {
    byte[] priv = new byte[KEY_LENGTH];
    random.nextBytes(priv);
    return new KeyPair(derivePublic(priv), priv);
  }

  /** The 64-byte public blob for a 64-byte private blob. */
  public static byte[] derivePublic(byte[] private64) {
    checkKey(private64, "private");
    byte[] pub = new byte[KEY_LENGTH];
    X25519.generatePublicKey(private64, 0, pub, 0);
    Ed25519.generatePublicKey(private64, 32, pub, 32);
    return pub;
  }

  /** Only the X25519 public half (32 bytes) into {@code pub64[0..32)}: used by the identity search loop. */
  public static void deriveX25519Public(byte[] private64, byte[] pub64) {
    X25519.generatePublicKey(private64, 0, pub64, 0);
  }

  /** Only the Ed25519 public half (32 bytes) into {@code pub64[32..64)}. */
  public static void deriveEd25519Public(byte[] private64, byte[] pub64) {
    Ed25519.generatePublicKey(private64, 32, pub64, 32);
  }

  /** The first 64 bytes of SHA-512(X25519(myPrivate[0..32), theirPublic[0..32))). */
  public static byte[] agree64(byte[] myPrivate64, byte[] theirPublic64) {
    checkKey(myPrivate64, "private");
    checkKey(theirPublic64, "public");
    byte[] raw = new byte[32];
    // scalarMult, not calculateAgreement: the reference does not reject an all-zero result, so neither do we.
    X25519.scalarMult(myPrivate64, 0, theirPublic64, 0, raw, 0);
    return Sha.sha512(raw);
  }

  /** The 48-byte ZeroTier shared key K. */
  public static byte[] agree(byte[] myPrivate64, byte[] theirPublic64) {
    byte[] h = agree64(myPrivate64, theirPublic64);
    byte[] k = new byte[SHARED_KEY_LENGTH];
    System.arraycopy(h, 0, k, 0, SHARED_KEY_LENGTH);
    return k;
  }

  /** The 96-byte ZeroTier signature of {@code msg[off..off+len)}. */
  public static byte[] sign(byte[] private64, byte[] public64, byte[] msg, int off, int len) {
    checkKey(private64, "private");
    checkKey(public64, "public");
    byte[] digest = Sha.sha512(msg, off, len);
    byte[] sig = new byte[SIGNATURE_LENGTH];
    Ed25519.sign(private64, 32, public64, 32, digest, 0, 32, sig, 0);
    System.arraycopy(digest, 0, sig, 64, 32);
    return sig;
  }

  /**
   * Verifies a ZeroTier signature. Returns false (never throws) for a wrong length, a hash mismatch or a bad
   * Ed25519 signature.
   */
  public static boolean verify(byte[] public64, byte[] msg, int off, int len, byte[] sig, int sigOff, int sigLen) {
    if (public64.length != KEY_LENGTH || sigLen != SIGNATURE_LENGTH || sigOff < 0 || sigOff > sig.length - sigLen) {
      return false;
    }
    byte[] digest = Sha.sha512(msg, off, len);
    byte[] expect = new byte[32];
    System.arraycopy(sig, sigOff + 64, expect, 0, 32);
    byte[] got = new byte[32];
    System.arraycopy(digest, 0, got, 0, 32);
    if (!MessageDigest.isEqual(expect, got)) {
      return false;
    }
    try {
      return Ed25519.verify(sig, sigOff, public64, 32, digest, 0, 32);
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static void checkKey(byte[] k, String what) {
    if (k.length != KEY_LENGTH) {
      throw new IllegalArgumentException("C25519 " + what + " key must be 64 bytes, got " + k.length);
    }
  }
}
