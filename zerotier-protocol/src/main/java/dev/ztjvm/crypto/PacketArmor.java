package dev.ztjvm.crypto;

import org.bouncycastle.crypto.macs.Poly1305;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * Armor and dearmor of whole ZeroTier VL1 packets in place (spec 2.4–2.6): Salsa20/12 + Poly1305 (suites 0 and 1),
 * AES-GMAC-SIV (suite 3), and HELLO's field encryption ({@link #cryptField}).
 *
 * <p>Packet layout: {@code [0,8)} packet ID, {@code [8,13)} destination, {@code [13,18)} source, {@code 18} flags /
 * cipher / hops, {@code [19,27)} MAC, {@code 27} verb, {@code [28,len)} payload. One instance per thread or event
 * loop: it holds a reusable Salsa20, Poly1305, AES ciphers and scratch, and does not allocate for suites 0/1.
 */
public final class PacketArmor {

  /** Poly1305 MAC keyed from Salsa20/12, payload in the clear (HELLO). */
  public static final int SUITE_POLY1305_NONE = 0;
  /** Salsa20/12 encryption plus Poly1305 MAC. */
  public static final int SUITE_POLY1305_SALSA2012 = 1;
  /** No crypto; the MAC field carries a trusted-path ID (handled by the caller, never by this class). */
  public static final int SUITE_TRUSTED_PATH = 2;
  /** AES-256-GMAC-SIV. */
  public static final int SUITE_AES_GMAC_SIV = 3;

  /** Offset of the flags / cipher / hops byte. */
  public static final int FLAGS_INDEX = 18;
  /** Offset of the 8-byte MAC field. */
  public static final int MAC_INDEX = 19;
  /** Offset of the verb byte, the first byte inside the encryption envelope. */
  public static final int VERB_INDEX = 27;
  /** Smallest packet: header plus verb. */
  public static final int MIN_PACKET_LENGTH = 28;

  private static final int FLAG_ENCRYPTED = 0x80;
  private static final int FLAG_FRAGMENTED = 0x40;

  private final Salsa20 salsa = new Salsa20(12);
  private final Poly1305 poly = new Poly1305();
  private final KeyParameter polyKeyParam;
  private final byte[] polyKey;
  private final boolean polyKeyShared;
  private final AesGmacSiv siv = new AesGmacSiv();

  private final byte[] perPacketKey = new byte[32];
  private final byte[] block0 = new byte[64];
  private final byte[] mac = new byte[16];
  private final byte[] aad = new byte[11];
  private final byte[] tag = new byte[16];
  private final byte[] nonce = new byte[8];

  public PacketArmor() {
    // BouncyCastle's KeyParameter.getKey() returns its own array in current releases, which lets us re-key Poly1305
    // per packet without allocating; fall back to a fresh KeyParameter per packet if that ever changes.
    KeyParameter kp = new KeyParameter(new byte[32]);
    polyKeyShared = kp.getKey() == kp.getKey();
    polyKeyParam = kp;
    polyKey = polyKeyShared ? kp.getKey() : new byte[32];
  }

  /** Whether Poly1305 is re-keyed without allocating (BouncyCastle exposes its key array); for tests. */
  boolean reusesPoly1305Key() {
    return polyKeyShared;
  }

  /** The cipher suite encoded in a packet's flags byte. */
  public static int suiteOf(byte[] pkt, int off) {
    return (pkt[off + FLAGS_INDEX] >> 3) & 7;
  }

  /**
   * Armors a complete plaintext packet in place. {@code pkt[off..off+len)} is the whole assembled packet; the caller
   * has set the 0x40 fragmented flag if it will fragment. Sets the cipher bits and the 0x80 flag of byte 18 (hops
   * 0), writes the MAC and encrypts; for suite 3 the packet ID is overwritten with the SIV tag's first half.
   *
   * @param suite 0, 1 or 3
   */
  public void armor(byte[] pkt, int off, int len, SymmetricKey key, int suite) {
    if (len < MIN_PACKET_LENGTH || off < 0 || off > pkt.length - len) {
      throw new IllegalArgumentException("packet range too short or out of bounds: off=" + off + " len=" + len);
    }
    int fragmented = pkt[off + FLAGS_INDEX] & FLAG_FRAGMENTED;
    switch (suite) {
      case SUITE_POLY1305_NONE:
        pkt[off + FLAGS_INDEX] = (byte) (fragmented | (SUITE_POLY1305_NONE << 3));
        salsaPoly(pkt, off, len, key, false, true);
        break;
      case SUITE_POLY1305_SALSA2012:
        pkt[off + FLAGS_INDEX] = (byte) (FLAG_ENCRYPTED | fragmented | (SUITE_POLY1305_SALSA2012 << 3));
        salsaPoly(pkt, off, len, key, true, true);
        break;
      case SUITE_AES_GMAC_SIV:
        pkt[off + FLAGS_INDEX] = (byte) (fragmented | (SUITE_AES_GMAC_SIV << 3));
        System.arraycopy(pkt, off + 8, aad, 0, 11);
        aad[10] &= (byte) 0xf8;
        siv.encrypt(key.aesGmacSivKeys(), pkt, off, aad, 0, 11,
            pkt, off + VERB_INDEX, len - VERB_INDEX, tag, 0);
        System.arraycopy(tag, 0, pkt, off, 8);
        System.arraycopy(tag, 8, pkt, off + MAC_INDEX, 8);
        break;
      default:
        throw new IllegalArgumentException("cannot armor with cipher suite " + suite);
    }
  }

  /**
   * Verifies and decrypts a received packet in place, using the suite in its flags byte. Returns false (never
   * throws) when the packet is not authentic, too short, or uses a suite this method does not handle (2, 4–7). After
   * a false return the packet contents are unspecified and it must be dropped. After success the header is left as
   * received (for suite 3 the packet ID remains the wire value).
   */
  public boolean dearmor(byte[] pkt, int off, int len, SymmetricKey key) {
    if (len < MIN_PACKET_LENGTH || off < 0 || off > pkt.length - len) {
      return false;
    }
    switch (suiteOf(pkt, off)) {
      case SUITE_POLY1305_NONE:
        return salsaPoly(pkt, off, len, key, false, false);
      case SUITE_POLY1305_SALSA2012:
        return salsaPoly(pkt, off, len, key, true, false);
      case SUITE_AES_GMAC_SIV: {
        System.arraycopy(pkt, off, tag, 0, 8);
        System.arraycopy(pkt, off + MAC_INDEX, tag, 8, 8);
        System.arraycopy(pkt, off + 8, aad, 0, 11);
        aad[10] &= (byte) 0xf8;
        return siv.decrypt(key.aesGmacSivKeys(), tag, 0, aad, 0, 11,
            pkt, off + VERB_INDEX, len - VERB_INDEX);
      }
      default:
        return false;
    }
  }

  /**
   * HELLO field encryption (spec 2.5): XORs {@code pkt[off+fieldStart .. off+len)} with Salsa20/12 keyed by K[0..32)
   * and the packet ID with the low three bits of its last byte cleared. Its own inverse.
   */
  public void cryptField(byte[] pkt, int off, int fieldStart, int len, SymmetricKey key) {
    if (fieldStart < 0 || fieldStart > len || len < 8 || off < 0 || off > pkt.length - len) {
      throw new IllegalArgumentException("field range out of bounds: fieldStart=" + fieldStart + " len=" + len);
    }
    System.arraycopy(pkt, off, nonce, 0, 8);
    nonce[7] &= (byte) 0xf8;
    salsa.init(key.raw(), 0, nonce, 0);
    salsa.crypt(pkt, off + fieldStart, pkt, off + fieldStart, len - fieldStart);
  }

  /** Suites 0 and 1; armor when {@code seal}, otherwise verify (and for suite 1 decrypt). */
  private boolean salsaPoly(byte[] pkt, int off, int len, SymmetricKey key, boolean encrypt, boolean seal) {
    byte[] k = key.raw();
    byte[] kp = perPacketKey;
    for (int i = 0; i < 18; i++) {
      kp[i] = (byte) (k[i] ^ pkt[off + i]);
    }
    kp[18] = (byte) (k[18] ^ (pkt[off + FLAGS_INDEX] & 0xf8));
    kp[19] = (byte) (k[19] ^ len);
    kp[20] = (byte) (k[20] ^ (len >>> 8));
    System.arraycopy(k, 21, kp, 21, 11);

    salsa.init(kp, 0, pkt, off);
    salsa.keystream(block0, 0, 64); // block 0: Poly1305 key, rest discarded; payload starts at block 1
    keyPoly(block0);

    int bodyOff = off + VERB_INDEX;
    int bodyLen = len - VERB_INDEX;
    if (seal) {
      if (encrypt) {
        salsa.crypt(pkt, bodyOff, pkt, bodyOff, bodyLen);
      }
      poly.update(pkt, bodyOff, bodyLen);
      poly.doFinal(mac, 0);
      System.arraycopy(mac, 0, pkt, off + MAC_INDEX, 8);
      return true;
    }
    poly.update(pkt, bodyOff, bodyLen);
    poly.doFinal(mac, 0);
    int diff = 0;
    for (int i = 0; i < 8; i++) {
      diff |= mac[i] ^ pkt[off + MAC_INDEX + i];
    }
    if (diff != 0) {
      return false;
    }
    if (encrypt) {
      salsa.crypt(pkt, bodyOff, pkt, bodyOff, bodyLen);
    }
    return true;
  }

  private void keyPoly(byte[] src) {
    if (polyKeyShared) {
      System.arraycopy(src, 0, polyKey, 0, 32);
      poly.init(polyKeyParam);
    } else {
      poly.init(new KeyParameter(src, 0, 32));
    }
  }
}
