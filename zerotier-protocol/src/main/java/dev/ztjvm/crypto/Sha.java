package dev.ztjvm.crypto;

import java.security.DigestException;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** SHA-512, SHA-384 and HMAC-SHA-384 from the JDK (intrinsified SUN provider), with per-thread instances. */
public final class Sha {

  /** SHA-512 output length in bytes. */
  public static final int SHA512_LENGTH = 64;
  /** SHA-384 output length in bytes. */
  public static final int SHA384_LENGTH = 48;

  private static final ThreadLocal<MessageDigest> SHA512 = ThreadLocal.withInitial(() -> digest("SHA-512"));
  private static final ThreadLocal<MessageDigest> SHA384 = ThreadLocal.withInitial(() -> digest("SHA-384"));

  private Sha() {}

  /** SHA-512 of {@code in[off..off+len)}. */
  public static byte[] sha512(byte[] in, int off, int len) {
    MessageDigest md = SHA512.get();
    md.reset();
    md.update(in, off, len);
    return md.digest();
  }

  /** SHA-512 of the whole array. */
  public static byte[] sha512(byte[] in) {
    return sha512(in, 0, in.length);
  }

  /** SHA-512 of {@code in[off..off+len)} written to {@code out[outOff..outOff+64)} without allocating. */
  public static void sha512(byte[] in, int off, int len, byte[] out, int outOff) {
    MessageDigest md = SHA512.get();
    md.reset();
    md.update(in, off, len);
    try {
      md.digest(out, outOff, SHA512_LENGTH);
    } catch (DigestException e) {
      throw new IllegalArgumentException("output buffer too small for SHA-512", e);
    }
  }

  /** SHA-384 of the concatenation of the given arrays. */
  public static byte[] sha384(byte[]... parts) {
    MessageDigest md = SHA384.get();
    md.reset();
    for (byte[] p : parts) {
      md.update(p);
    }
    return md.digest();
  }

  /** HMAC-SHA-384 of {@code msg} under {@code key} (48 bytes out). */
  public static byte[] hmacSha384(byte[] key, byte[] msg) {
    try {
      Mac mac = Mac.getInstance("HmacSHA384");
      mac.init(new SecretKeySpec(key, "HmacSHA384"));
      return mac.doFinal(msg);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA384 unavailable in this JDK", e);
    }
  }

  private static MessageDigest digest(String name) {
    try {
      return MessageDigest.getInstance(name);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(name + " unavailable in this JDK", e);
    }
  }
}
