package dev.ztjvm.crypto;

import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * ZeroTier's AES-256-GMAC-SIV (spec 2.6) on top of the JDK's AES (AES-NI / CLMUL intrinsics): a GMAC under K0 of
 * (AAD zero-padded to 16 ‖ plaintext) with nonce IV ‖ 0^32, folded to 8 bytes, one ECB block under K1 to form the
 * 16-byte tag, and AES-CTR under K1 from the tag (bit 31 of the counter cleared).
 *
 * <p>Reusable, not thread-safe: holds its {@link Cipher} objects and scratch. The JDK refuses to re-initialise GCM
 * for encryption with the key and IV of the previous initialisation ("Cannot reuse iv"), which a replayed packet
 * would trigger on the receive path; this class detects that and re-initialises through a different IV first, so
 * callers never see the exception.
 */
public final class AesGmacSiv {

  /** Tag length in bytes (on the ZeroTier wire: 8 bytes in the packet-ID field, 8 in the MAC field). */
  public static final int TAG_LENGTH = 16;
  /** IV length in bytes. */
  public static final int IV_LENGTH = 8;

  private static final byte[] ZERO16 = new byte[16];

  /** The two AES-256 keys K0 (GMAC) and K1 (ECB/CTR), prepared for the JCA. Immutable. */
  public static final class Keys {
    final SecretKeySpec k0;
    final SecretKeySpec k1;

    private Keys(SecretKeySpec k0, SecretKeySpec k1) {
      this.k0 = k0;
      this.k1 = k1;
    }

    /** Keys from two 32-byte AES-256 keys (only the first 32 bytes of each array are used). */
    public static Keys of(byte[] k0, byte[] k1) {
      if (k0.length < 32 || k1.length < 32) {
        throw new IllegalArgumentException("AES-GMAC-SIV keys must be 32 bytes");
      }
      return new Keys(new SecretKeySpec(k0, 0, 32, "AES"), new SecretKeySpec(k1, 0, 32, "AES"));
    }
  }

  // Separate GMAC ciphers for sealing and opening, so opening a packet this instance just sealed (loopback, tests,
  // benchmarks) does not hit the JDK's IV-reuse check; only a genuinely repeated packet takes the slow fallback.
  private final Cipher gmacSeal;
  private final Cipher gmacOpen;
  private final Cipher ecbEncrypt;
  private final Cipher ecbDecrypt;
  private final Cipher ctr;
  private SecretKeySpec ecbEncryptKey;
  private SecretKeySpec ecbDecryptKey;

  private final byte[] gcmIv = new byte[12];
  private final byte[] t = new byte[16];
  private final byte[] block = new byte[16];
  private final byte[] counter = new byte[16];

  public AesGmacSiv() {
    try {
      gmacSeal = Cipher.getInstance("AES/GCM/NoPadding");
      gmacOpen = Cipher.getInstance("AES/GCM/NoPadding");
      ecbEncrypt = Cipher.getInstance("AES/ECB/NoPadding");
      ecbDecrypt = Cipher.getInstance("AES/ECB/NoPadding");
      ctr = Cipher.getInstance("AES/CTR/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("JDK AES modes unavailable", e);
    }
  }

  /**
   * Encrypts {@code data[off..off+len)} in place and writes the 16-byte tag to {@code tagOut[tagOff..+16)}.
   *
   * @param iv 8-byte IV at {@code ivOff} (for packets: the random packet ID)
   */
  public void encrypt(Keys keys, byte[] iv, int ivOff, byte[] aad, int aadOff, int aadLen,
      byte[] data, int off, int len, byte[] tagOut, int tagOff) {
    try {
      gmacFolded(gmacSeal, keys, iv, ivOff, aad, aadOff, aadLen, data, off, len);
      System.arraycopy(iv, ivOff, block, 0, 8);
      for (int i = 0; i < 8; i++) {
        block[8 + i] = (byte) (t[i] ^ t[8 + i]);
      }
      if (ecbEncryptKey != keys.k1) {
        ecbEncrypt.init(Cipher.ENCRYPT_MODE, keys.k1);
        ecbEncryptKey = keys.k1;
      }
      ecbEncrypt.doFinal(block, 0, 16, tagOut, tagOff);
      ctr(keys, tagOut, tagOff, data, off, len);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GMAC-SIV encryption failed", e);
    }
  }

  /**
   * Decrypts {@code data[off..off+len)} in place and checks the tag. Returns false (never throws) when the data is
   * not authentic; the data range then holds garbage and must be dropped.
   */
  public boolean decrypt(Keys keys, byte[] tag, int tagOff, byte[] aad, int aadOff, int aadLen,
      byte[] data, int off, int len) {
    try {
      ctr(keys, tag, tagOff, data, off, len);
      if (ecbDecryptKey != keys.k1) {
        ecbDecrypt.init(Cipher.DECRYPT_MODE, keys.k1);
        ecbDecryptKey = keys.k1;
      }
      ecbDecrypt.doFinal(tag, tagOff, 16, block, 0);
      gmacFolded(gmacOpen, keys, block, 0, aad, aadOff, aadLen, data, off, len);
      int diff = 0;
      for (int i = 0; i < 8; i++) {
        diff |= (t[i] ^ t[8 + i]) ^ block[8 + i];
      }
      return diff == 0;
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  /** t = GMAC_K0(iv ‖ 0^32; aad ‖ pad16 ‖ data). */
  private void gmacFolded(Cipher gmac, Keys keys, byte[] iv, int ivOff, byte[] aad, int aadOff, int aadLen,
      byte[] data, int off, int len) throws GeneralSecurityException {
    System.arraycopy(iv, ivOff, gcmIv, 0, 8);
    gcmIv[8] = 0;
    gcmIv[9] = 0;
    gcmIv[10] = 0;
    gcmIv[11] = 0;
    try {
      gmac.init(Cipher.ENCRYPT_MODE, keys.k0, new GCMParameterSpec(128, gcmIv));
    } catch (InvalidAlgorithmParameterException reuse) {
      // Same key and IV as the previous init (a duplicate or replayed packet, or a test repeating itself).
      // Initialising once with a different IV resets the JDK's check; 0xff in byte 11 never occurs in our IVs.
      gcmIv[11] = (byte) 0xff;
      gmac.init(Cipher.ENCRYPT_MODE, keys.k0, new GCMParameterSpec(128, gcmIv));
      gcmIv[11] = 0;
      gmac.init(Cipher.ENCRYPT_MODE, keys.k0, new GCMParameterSpec(128, gcmIv));
    }
    if (aadLen > 0) {
      gmac.updateAAD(aad, aadOff, aadLen);
      int rem = aadLen & 15;
      if (rem != 0) {
        gmac.updateAAD(ZERO16, 0, 16 - rem);
      }
    }
    if (len > 0) {
      gmac.updateAAD(data, off, len);
    }
    int n = gmac.doFinal(t, 0);
    if (n != 16) {
      throw new IllegalStateException("GCM tag length " + n);
    }
  }

  private void ctr(Keys keys, byte[] tag, int tagOff, byte[] data, int off, int len)
      throws GeneralSecurityException {
    System.arraycopy(tag, tagOff, counter, 0, 16);
    counter[12] &= 0x7f;
    try {
      ctr.init(Cipher.ENCRYPT_MODE, keys.k1, new IvParameterSpec(counter));
    } catch (InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
    if (len > 0) {
      ctr.doFinal(data, off, len, data, off);
    }
  }
}
