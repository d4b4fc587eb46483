package dev.ztjvm.identity;

import dev.ztjvm.crypto.C25519;
import dev.ztjvm.crypto.Sha;
import dev.ztjvm.crypto.SymmetricKey;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * A ZeroTier identity (type 0, "C25519"): a 40-bit address bound by a memory-hard proof of work to a 64-byte public
 * key, optionally with the 64-byte private key (spec 1.1–1.7). Immutable and thread-safe; byte arrays are copied in
 * and out.
 *
 * <p>Parsing ({@link #parse}, {@link #readBinary}) checks syntax only; call {@link #locallyValidate()} (a few tens of
 * milliseconds) before trusting an identity from the network.
 */
public final class Identity {

  /** Length of the public string form ({@code address:0:public}). */
  public static final int PUBLIC_STRING_LENGTH = 141;
  /** Length of the secret string form ({@code address:0:public:private}). */
  public static final int SECRET_STRING_LENGTH = 270;
  /** Binary form without the private key. */
  public static final int BINARY_PUBLIC_LENGTH = 71;
  /** Binary form with the private key. */
  public static final int BINARY_SECRET_LENGTH = 135;

  private static final HexFormat HEX = HexFormat.of();
  private static final VarHandle LE_LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private final long address;
  private final byte[] publicKey;
  private final byte @Nullable [] privateKey;
  /** Memoized {@link #invalidReason()}: empty when valid, the reason otherwise, null when not computed yet. */
  private volatile @Nullable Optional<String> validation;

  private Identity(long address, byte[] publicKey, byte @Nullable [] privateKey) {
    this.address = address;
    this.publicKey = publicKey;
    this.privateKey = privateKey;
  }

  /**
   * An identity from its parts (copied). Checks lengths and that the address is not reserved, not the proof of work.
   *
   * @param privateKey 64-byte private key, or null for a public-only identity
   */
  public static Identity of(long address, byte[] publicKey, byte @Nullable [] privateKey) {
    if (address < 0 || address > Address.MASK) {
      throw new IllegalArgumentException("address out of 40-bit range: " + Long.toHexString(address));
    }
    if (Address.isReserved(address)) {
      throw new IllegalArgumentException("reserved address " + Address.toString(address));
    }
    if (publicKey.length != C25519.KEY_LENGTH) {
      throw new IllegalArgumentException("public key must be 64 bytes, got " + publicKey.length);
    }
    if (privateKey != null && privateKey.length != C25519.KEY_LENGTH) {
      throw new IllegalArgumentException("private key must be 64 bytes, got " + privateKey.length);
    }
    return new Identity(address, publicKey.clone(), privateKey == null ? null : privateKey.clone());
  }

  // ---------------------------------------------------------------------------------------------- generation

  /** Generates a new identity, searching candidates on all available cores. Takes about a second. */
  public static Identity generate() {
    return generate(new SecureRandom(), Runtime.getRuntime().availableProcessors());
  }

  /**
   * Generates a new identity with {@code threads} parallel searchers (each with its own 2 MiB buffer).
   *
   * @throws IllegalStateException if interrupted
   */
  public static Identity generate(SecureRandom random, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1");
    }
    AtomicReference<Identity> found = new AtomicReference<>();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    AtomicBoolean done = new AtomicBoolean();
    if (threads == 1) {
      search(random, found, done);
      return found.get();
    }
    Thread[] workers = new Thread[threads];
    for (int i = 0; i < threads; i++) {
      workers[i] = new Thread(() -> {
        try {
          search(random, found, done);
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
          done.set(true);
        }
      }, "zt-identity-generator-" + i);
      workers[i].setDaemon(true);
      workers[i].start();
    }
    try {
      for (Thread w : workers) {
        w.join();
      }
    } catch (InterruptedException e) {
      done.set(true);
      Thread.currentThread().interrupt();
      throw new IllegalStateException("identity generation interrupted", e);
    }
    Identity id = found.get();
    if (id == null) {
      throw new IllegalStateException("identity generation failed", failure.get());
    }
    return id;
  }

  /** One searcher: random start, then perturb the X25519 scalar until the proof of work accepts the public key. */
  private static void search(SecureRandom random, AtomicReference<Identity> found, AtomicBoolean done) {
    ProofOfWork pow = new ProofOfWork();
    byte[] priv = new byte[64];
    byte[] pub = new byte[64];
    byte[] digest = new byte[64];
    while (!done.get()) {
      random.nextBytes(priv);
      C25519.deriveEd25519Public(priv, pub);
      while (!done.get()) {
        // Any perturbation works (not protocol-visible); the reference increments a 64-bit word of the scalar.
        LE_LONG.set(priv, 8, (long) LE_LONG.get(priv, 8) + 1);
        C25519.deriveX25519Public(priv, pub);
        pow.digest(pub, digest);
        if (ProofOfWork.acceptable(digest)) {
          long address = ProofOfWork.addressOf(digest);
          if (!Address.isReserved(address)) {
            if (found.compareAndSet(null, new Identity(address, pub.clone(), priv.clone()))) {
              done.set(true);
            }
            Arrays.fill(priv, (byte) 0);
            return;
          }
          break; // reserved address: start over with new keys
        }
      }
    }
    Arrays.fill(priv, (byte) 0);
  }

  // ---------------------------------------------------------------------------------------------- validation

  /**
   * Whether this identity is locally valid: the address is not reserved and matches the memory-hard digest of the
   * public key, whose first byte is below 17; and, if the private key is present, it produces this public key. The
   * first call costs one memory-hard hash (tens of milliseconds, 2 MiB); the result is remembered.
   */
  public boolean locallyValidate() {
    return invalidReason() == null;
  }

  /** Why {@link #locallyValidate()} fails, or null if the identity is valid. */
  public @Nullable String invalidReason() {
    Optional<String> v = validation;
    if (v == null) {
      v = Optional.ofNullable(computeInvalidReason());
      validation = v;
    }
    return v.orElse(null);
  }

  private @Nullable String computeInvalidReason() {
    if (Address.isReserved(address)) {
      return "reserved address " + Address.toString(address);
    }
    byte[] digest = memoryHardDigest();
    if (!ProofOfWork.acceptable(digest)) {
      return "public key fails the proof-of-work criterion (digest[0] = " + (digest[0] & 0xff) + ", must be < 17)";
    }
    long derived = ProofOfWork.addressOf(digest);
    if (derived != address) {
      return "address " + Address.toString(address) + " does not match the public key (which yields "
          + Address.toString(derived) + ")";
    }
    if (privateKey != null && !MessageDigest.isEqual(C25519.derivePublic(privateKey), publicKey)) {
      return "private key does not match the public key";
    }
    return null;
  }

  /** The 64-byte memory-hard digest of the public key (spec 1.4); its last five bytes are the address. */
  public byte[] memoryHardDigest() {
    byte[] digest = new byte[64];
    new ProofOfWork().digest(publicKey, digest);
    return digest;
  }

  // ---------------------------------------------------------------------------------------------- accessors

  /** The 40-bit address. */
  public long address() {
    return address;
  }

  /** The address as 10 hex digits. */
  public String addressString() {
    return Address.toString(address);
  }

  /** A copy of the 64-byte public key (X25519 ‖ Ed25519). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Whether the private key is present. */
  public boolean hasSecret() {
    return privateKey != null;
  }

  /**
   * A copy of the 64-byte private key.
   *
   * @throws IllegalStateException if this identity has no private key
   */
  public byte[] privateKey() {
    return secret().clone();
  }

  /** This identity without its private key. */
  public Identity publicOnly() {
    return privateKey == null ? this : new Identity(address, publicKey, null);
  }

  // ---------------------------------------------------------------------------------------------- crypto

  /** ZeroTier's 96-byte signature of {@code msg[off..off+len)}; requires the private key. */
  public byte[] sign(byte[] msg, int off, int len) {
    return C25519.sign(secret(), publicKey, msg, off, len);
  }

  /** Signs a whole array. */
  public byte[] sign(byte[] msg) {
    return sign(msg, 0, msg.length);
  }

  /** Verifies a 96-byte signature by this identity; false (never an exception) if it does not verify. */
  public boolean verify(byte[] msg, int off, int len, byte[] sig, int sigOff, int sigLen) {
    return C25519.verify(publicKey, msg, off, len, sig, sigOff, sigLen);
  }

  /** Verifies a signature over a whole array. */
  public boolean verify(byte[] msg, byte[] sig) {
    return verify(msg, 0, msg.length, sig, 0, sig.length);
  }

  /** The static key shared with {@code other} (same value on both sides); requires this identity's private key. */
  public SymmetricKey agree(Identity other) {
    byte[] k = C25519.agree(secret(), other.publicKey);
    try {
      return SymmetricKey.of(k);
    } finally {
      Arrays.fill(k, (byte) 0);
    }
  }

  /** SHA-384(address (5 bytes) ‖ public key): the identity hash used by certificates of membership (spec 1.7). */
  public byte[] sha384AddressAndPublicKey() {
    byte[] a = new byte[5];
    Address.write(address, a, 0);
    return Sha.sha384(a, publicKey);
  }

  private byte[] secret() {
    byte[] p = privateKey;
    if (p == null) {
      throw new IllegalStateException("identity " + Address.toString(address) + " has no private key");
    }
    return p;
  }

  // ---------------------------------------------------------------------------------------------- string form

  /**
   * Parses {@code address:0:public[:private]} (surrounding whitespace ignored).
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static Identity parse(String s) {
    String[] f = s.strip().split(":", -1);
    if (f.length < 3 || f.length > 4) {
      throw new IllegalArgumentException("identity must have 3 or 4 ':'-separated fields, found " + f.length);
    }
    long address;
    try {
      address = Address.parse(f[0]);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("identity address field: " + e.getMessage(), e);
    }
    if (Address.isReserved(address)) {
      throw new IllegalArgumentException("identity has reserved address " + f[0]);
    }
    if (!f[1].equals("0")) {
      throw new IllegalArgumentException("identity type must be 0 (C25519), got \"" + f[1] + "\"");
    }
    byte[] pub = hexKey(f[2], "public");
    byte[] priv = f.length == 4 ? hexKey(f[3], "private") : null;
    return new Identity(address, pub, priv);
  }

  private static byte[] hexKey(String h, String what) {
    if (h.length() != 128) {
      throw new IllegalArgumentException("identity " + what + " key must be 128 hex digits, got " + h.length());
    }
    try {
      return HEX.parseHex(h);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("identity " + what + " key is not hex", e);
    }
  }

  /** {@code address:0:public} (the content of {@code identity.public}). */
  public String toPublicString() {
    return Address.toString(address) + ":0:" + HEX.formatHex(publicKey);
  }

  /**
   * {@code address:0:public:private} (the content of {@code identity.secret}).
   *
   * @throws IllegalStateException if this identity has no private key
   */
  public String toSecretString() {
    return toPublicString() + ":" + HEX.formatHex(secret());
  }

  // ---------------------------------------------------------------------------------------------- binary form

  /**
   * Length of the binary identity at {@code b[off..]}: 71 (public) or 135 (with private key).
   *
   * @throws IllegalArgumentException if it is truncated or malformed
   */
  public static int binaryLength(byte[] b, int off) {
    if (off < 0 || b.length - off < BINARY_PUBLIC_LENGTH) {
      throw new IllegalArgumentException("binary identity truncated");
    }
    if (b[off + 5] != 0) {
      throw new IllegalArgumentException("unsupported identity type " + (b[off + 5] & 0xff));
    }
    int privLen = b[off + 70] & 0xff;
    if (privLen == 0) {
      return BINARY_PUBLIC_LENGTH;
    }
    if (privLen != 64) {
      throw new IllegalArgumentException("invalid private key length " + privLen + " in binary identity");
    }
    if (b.length - off < BINARY_SECRET_LENGTH) {
      throw new IllegalArgumentException("binary identity truncated (private key)");
    }
    return BINARY_SECRET_LENGTH;
  }

  /**
   * Reads the binary form {@code address(5) ‖ 0x00 ‖ public(64) ‖ privLen(1) ‖ private(0|64)}; use
   * {@link #binaryLength} for the number of bytes it occupies.
   *
   * @throws IllegalArgumentException if it is truncated or malformed
   */
  public static Identity readBinary(byte[] b, int off) {
    int n = binaryLength(b, off);
    long address = Address.read(b, off);
    if (Address.isReserved(address)) {
      throw new IllegalArgumentException("binary identity has reserved address " + Address.toString(address));
    }
    byte[] pub = Arrays.copyOfRange(b, off + 6, off + 70);
    byte[] priv = n == BINARY_SECRET_LENGTH ? Arrays.copyOfRange(b, off + 71, off + 135) : null;
    return new Identity(address, pub, priv);
  }

  /**
   * Writes the binary form at {@code b[off..]} and returns the number of bytes written (71 or 135).
   *
   * @throws IllegalStateException if {@code includeSecret} and there is no private key
   */
  public int writeBinary(byte[] b, int off, boolean includeSecret) {
    Address.write(address, b, off);
    b[off + 5] = 0;
    System.arraycopy(publicKey, 0, b, off + 6, 64);
    if (includeSecret) {
      b[off + 70] = 64;
      System.arraycopy(secret(), 0, b, off + 71, 64);
      return BINARY_SECRET_LENGTH;
    }
    b[off + 70] = 0;
    return BINARY_PUBLIC_LENGTH;
  }

  /** The binary form as a new array. */
  public byte[] toBinary(boolean includeSecret) {
    byte[] b = new byte[includeSecret ? BINARY_SECRET_LENGTH : BINARY_PUBLIC_LENGTH];
    writeBinary(b, 0, includeSecret);
    return b;
  }

  // ---------------------------------------------------------------------------------------------- object

  /** Same address and public key (the private key is not compared, as in zerotier-one). */
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Identity other && other.address == address && Arrays.equals(other.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(address) * 31 + Arrays.hashCode(publicKey);
  }

  /** The public string form; never the private key. */
  @Override
  public String toString() {
    return toPublicString();
  }
}
