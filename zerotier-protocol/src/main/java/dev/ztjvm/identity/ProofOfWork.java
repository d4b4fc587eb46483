package dev.ztjvm.identity;

import dev.ztjvm.crypto.Salsa20;
import dev.ztjvm.crypto.Sha;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The memory-hard hash of spec 1.4 that binds an address to a public key. One instance owns the 2 MiB scratch
 * buffer and a Salsa20/20 instance and is reused for many candidates by one thread; not thread-safe.
 */
final class ProofOfWork {

  static final int MEMORY = 2 * 1024 * 1024;
  private static final int WORDS = MEMORY / 8;
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final byte[] g = new byte[MEMORY];
  private final Salsa20 salsa = new Salsa20(20);

  /** Writes the 64-byte memory-hard digest of {@code pub64} into {@code digest}. */
  void digest(byte[] pub64, byte[] digest) {
    Sha.sha512(pub64, 0, 64, digest, 0);
    salsa.init(digest, 0, digest, 32);
    byte[] g = this.g;
    salsa.keystream(g, 0, 64);
    for (int off = 64; off < MEMORY; off += 64) {
      // block i = block i-1 XOR keystream block i
      salsa.crypt(g, off - 64, g, off, 64);
    }
    for (int j = 0; j < WORDS; j += 2) {
      int w0 = j * 8;
      int w1 = w0 + 8;
      // W[j] and W[j+1] as big-endian unsigned 64-bit numbers, reduced mod 8 and mod 2^18: only low bytes matter.
      int idx1 = g[w0 + 7] & 7;
      int idx2 = ((g[w1 + 5] & 3) << 16) | ((g[w1 + 6] & 0xff) << 8) | (g[w1 + 7] & 0xff);
      long tmp = (long) LONGS.get(g, idx2 * 8);
      LONGS.set(g, idx2 * 8, (long) LONGS.get(digest, idx1 * 8));
      LONGS.set(digest, idx1 * 8, tmp);
      salsa.crypt(digest, 0, digest, 0, 64);
    }
  }

  /** Whether a digest satisfies the criterion (first byte below 17). */
  static boolean acceptable(byte[] digest) {
    return (digest[0] & 0xff) < 17;
  }

  /** The address a digest commits to (its last five bytes). */
  static long addressOf(byte[] digest) {
    return Address.read(digest, 59);
  }
}
