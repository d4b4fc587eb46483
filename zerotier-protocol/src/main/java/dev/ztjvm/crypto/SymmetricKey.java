package dev.ztjvm.crypto;

import java.security.MessageDigest;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The 48-byte static key K that two ZeroTier identities share (spec 1.3), with what is derived from it computed once:
 * the Salsa20 key (K[0..32)) and the AES-GMAC-SIV keys K0/K1 from the HMAC-SHA-384 KBKDF. Immutable and thread-safe.
 */
public final class SymmetricKey {

  /** Length of K. */
  public static final int LENGTH = 48;

  private final byte[] k;
  private final AesGmacSiv.Keys aesKeys;

  private SymmetricKey(byte[] k48) {
    this.k = k48;
    byte[] k0 = kbkdf(k48, '0');
    byte[] k1 = kbkdf(k48, '1');
    this.aesKeys = AesGmacSiv.Keys.of(k0, k1);
    Arrays.fill(k0, (byte) 0);
    Arrays.fill(k1, (byte) 0);
  }

  /** Wraps a copy of a 48-byte key. */
  public static SymmetricKey of(byte[] k48) {
    if (k48.length != LENGTH) {
      throw new IllegalArgumentException("ZeroTier symmetric key must be 48 bytes, got " + k48.length);
    }
    return new SymmetricKey(k48.clone());
  }

  /** A copy of K. */
  public byte[] bytes() {
    return k.clone();
  }

  /** The AES-GMAC-SIV keys (K0, K1) derived from K. */
  public AesGmacSiv.Keys aesGmacSivKeys() {
    return aesKeys;
  }

  /** K itself, for the packet code in this package (never modified). */
  byte[] raw() {
    return k;
  }

  /**
   * ZeroTier's KBKDF (NIST SP 800-108 counter mode, one iteration): HMAC-SHA-384 under all 48 bytes of K of
   * {@code 00000000 'Z' 'T' label 00 00 00000180}. Returns 48 bytes; the AES-256 key is the first 32.
   */
  public static byte[] kbkdf(byte[] key48, char label) {
    byte[] msg = {0, 0, 0, 0, 'Z', 'T', (byte) label, 0, 0, 0, 0, 0x01, (byte) 0x80};
    return Sha.hmacSha384(key48, msg);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof SymmetricKey other && MessageDigest.isEqual(k, other.k);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(k);
  }

  @Override
  public String toString() {
    return "SymmetricKey[redacted]";
  }
}
