package dev.ztjvm.crypto;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Salsa20 stream cipher (Bernstein) with a 256-bit key, a 64-bit nonce and a 64-bit block counter, with a
 * configurable number of rounds: 12 for ZeroTier packets, 20 for the identity proof of work.
 *
 * <p>Reusable, not thread-safe. After {@link #init} the position is block 0, byte 0; {@link #crypt} and
 * {@link #keystream} continue from the current position; {@link #seekBlock} jumps to the start of any block.
 * Whole 64-byte blocks are generated in 16 local ints and XORed eight bytes at a time (little-endian views),
 * which is about twice as fast as BouncyCastle's engine on the JVM.
 */
public final class Salsa20 {

  private static final VarHandle LE_LONG =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LE_INT =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final byte[] ZERO_BLOCK = new byte[64];

  // "expand 32-byte k"
  private static final int SIGMA0 = 0x61707865;
  private static final int SIGMA1 = 0x3320646e;
  private static final int SIGMA2 = 0x79622d32;
  private static final int SIGMA3 = 0x6b206574;

  private final int doubleRounds;

  // Key and nonce words of the input state (the constants and counter are added at block time).
  private int k0, k1, k2, k3, k4, k5, k6, k7;
  private int n0, n1;

  /** Counter of the next block to generate. */
  private long nextBlock;
  /** Buffered keystream of block {@code nextBlock - 1}; bytes {@code [ksPos, 64)} are still unused. */
  private final byte[] ks = new byte[64];
  private int ksPos = 64;

  /**
   * @param rounds 12 or 20 (any even number from 2 to 20 is accepted; ZeroTier uses only 12 and 20)
   */
  public Salsa20(int rounds) {
    if (rounds < 2 || rounds > 20 || (rounds & 1) != 0) {
      throw new IllegalArgumentException("Salsa20 rounds must be an even number in 2..20, got " + rounds);
    }
    this.doubleRounds = rounds / 2;
  }

  /** Number of rounds this instance runs (12 or 20). */
  public int rounds() {
    return doubleRounds * 2;
  }

  /** Sets a 32-byte key and an 8-byte nonce and rewinds to block 0. */
  public void init(byte[] key, int keyOff, byte[] nonce, int nonceOff) {
    k0 = (int) LE_INT.get(key, keyOff);
    k1 = (int) LE_INT.get(key, keyOff + 4);
    k2 = (int) LE_INT.get(key, keyOff + 8);
    k3 = (int) LE_INT.get(key, keyOff + 12);
    k4 = (int) LE_INT.get(key, keyOff + 16);
    k5 = (int) LE_INT.get(key, keyOff + 20);
    k6 = (int) LE_INT.get(key, keyOff + 24);
    k7 = (int) LE_INT.get(key, keyOff + 28);
    n0 = (int) LE_INT.get(nonce, nonceOff);
    n1 = (int) LE_INT.get(nonce, nonceOff + 4);
    nextBlock = 0;
    ksPos = 64;
  }

  /** Moves to the first byte of keystream block {@code block} (block 0 is where {@link #init} starts). */
  public void seekBlock(long block) {
    nextBlock = block;
    ksPos = 64;
  }

  /**
   * XORs {@code len} bytes of {@code in} with the keystream into {@code out}, continuing from the current position.
   * {@code in == out} with the same offset is allowed; otherwise the ranges must not overlap.
   */
  public void crypt(byte[] in, int inOff, byte[] out, int outOff, int len) {
    if (len < 0 || inOff < 0 || outOff < 0 || inOff > in.length - len || outOff > out.length - len) {
      throw new IndexOutOfBoundsException("crypt range out of bounds");
    }
    while (ksPos < 64 && len > 0) {
      out[outOff++] = (byte) (in[inOff++] ^ ks[ksPos++]);
      len--;
    }
    while (len >= 64) {
      block(nextBlock++, in, inOff, out, outOff);
      inOff += 64;
      outOff += 64;
      len -= 64;
    }
    if (len > 0) {
      block(nextBlock++, ZERO_BLOCK, 0, ks, 0);
      for (int i = 0; i < len; i++) {
        out[outOff + i] = (byte) (in[inOff + i] ^ ks[i]);
      }
      ksPos = len;
    }
  }

  /** Writes {@code len} raw keystream bytes to {@code out}, continuing from the current position. */
  public void keystream(byte[] out, int off, int len) {
    if (len < 0 || off < 0 || off > out.length - len) {
      throw new IndexOutOfBoundsException("keystream range out of bounds");
    }
    while (ksPos < 64 && len > 0) {
      out[off++] = ks[ksPos++];
      len--;
    }
    while (len >= 64) {
      block(nextBlock++, ZERO_BLOCK, 0, out, off);
      off += 64;
      len -= 64;
    }
    if (len > 0) {
      block(nextBlock++, ZERO_BLOCK, 0, ks, 0);
      System.arraycopy(ks, 0, out, off, len);
      ksPos = len;
    }
  }

  /** out[outOff..+64) = in[inOff..+64) XOR keystream block {@code counter}. */
  private void block(long counter, byte[] in, int inOff, byte[] out, int outOff) {
    final int c0 = (int) counter;
    final int c1 = (int) (counter >>> 32);
    int x0 = SIGMA0, x1 = k0, x2 = k1, x3 = k2;
    int x4 = k3, x5 = SIGMA1, x6 = n0, x7 = n1;
    int x8 = c0, x9 = c1, x10 = SIGMA2, x11 = k4;
    int x12 = k5, x13 = k6, x14 = k7, x15 = SIGMA3;
    for (int r = doubleRounds; r > 0; r--) {
      // column round
      x4 ^= Integer.rotateLeft(x0 + x12, 7);
      x8 ^= Integer.rotateLeft(x4 + x0, 9);
      x12 ^= Integer.rotateLeft(x8 + x4, 13);
      x0 ^= Integer.rotateLeft(x12 + x8, 18);
      x9 ^= Integer.rotateLeft(x5 + x1, 7);
      x13 ^= Integer.rotateLeft(x9 + x5, 9);
      x1 ^= Integer.rotateLeft(x13 + x9, 13);
      x5 ^= Integer.rotateLeft(x1 + x13, 18);
      x14 ^= Integer.rotateLeft(x10 + x6, 7);
      x2 ^= Integer.rotateLeft(x14 + x10, 9);
      x6 ^= Integer.rotateLeft(x2 + x14, 13);
      x10 ^= Integer.rotateLeft(x6 + x2, 18);
      x3 ^= Integer.rotateLeft(x15 + x11, 7);
      x7 ^= Integer.rotateLeft(x3 + x15, 9);
      x11 ^= Integer.rotateLeft(x7 + x3, 13);
      x15 ^= Integer.rotateLeft(x11 + x7, 18);
      // row round
      x1 ^= Integer.rotateLeft(x0 + x3, 7);
      x2 ^= Integer.rotateLeft(x1 + x0, 9);
      x3 ^= Integer.rotateLeft(x2 + x1, 13);
      x0 ^= Integer.rotateLeft(x3 + x2, 18);
      x6 ^= Integer.rotateLeft(x5 + x4, 7);
      x7 ^= Integer.rotateLeft(x6 + x5, 9);
      x4 ^= Integer.rotateLeft(x7 + x6, 13);
      x5 ^= Integer.rotateLeft(x4 + x7, 18);
      x11 ^= Integer.rotateLeft(x10 + x9, 7);
      x8 ^= Integer.rotateLeft(x11 + x10, 9);
      x9 ^= Integer.rotateLeft(x8 + x11, 13);
      x10 ^= Integer.rotateLeft(x9 + x8, 18);
      x12 ^= Integer.rotateLeft(x15 + x14, 7);
      x13 ^= Integer.rotateLeft(x12 + x15, 9);
      x14 ^= Integer.rotateLeft(x13 + x12, 13);
      x15 ^= Integer.rotateLeft(x14 + x13, 18);
    }
    x0 += SIGMA0;
    x1 += k0;
    x2 += k1;
    x3 += k2;
    x4 += k3;
    x5 += SIGMA1;
    x6 += n0;
    x7 += n1;
    x8 += c0;
    x9 += c1;
    x10 += SIGMA2;
    x11 += k4;
    x12 += k5;
    x13 += k6;
    x14 += k7;
    x15 += SIGMA3;
    LE_LONG.set(out, outOff, (long) LE_LONG.get(in, inOff) ^ pair(x0, x1));
    LE_LONG.set(out, outOff + 8, (long) LE_LONG.get(in, inOff + 8) ^ pair(x2, x3));
    LE_LONG.set(out, outOff + 16, (long) LE_LONG.get(in, inOff + 16) ^ pair(x4, x5));
    LE_LONG.set(out, outOff + 24, (long) LE_LONG.get(in, inOff + 24) ^ pair(x6, x7));
    LE_LONG.set(out, outOff + 32, (long) LE_LONG.get(in, inOff + 32) ^ pair(x8, x9));
    LE_LONG.set(out, outOff + 40, (long) LE_LONG.get(in, inOff + 40) ^ pair(x10, x11));
    LE_LONG.set(out, outOff + 48, (long) LE_LONG.get(in, inOff + 48) ^ pair(x12, x13));
    LE_LONG.set(out, outOff + 56, (long) LE_LONG.get(in, inOff + 56) ^ pair(x14, x15));
  }

  private static long pair(int lo, int hi) {
    return (lo & 0xffffffffL) | ((long) hi << 32);
  }
}
