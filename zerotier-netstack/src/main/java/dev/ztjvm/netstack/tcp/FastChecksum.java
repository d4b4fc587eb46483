package dev.ztjvm.netstack.tcp;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The Internet checksum's running sum, eight bytes per step. Summing big-endian 64-bit words as two 32-bit halves
 * into a long is congruent (mod 0xffff) to summing 16-bit words, so the result folds with
 * {@link dev.ztjvm.netstack.ip.InternetChecksum#finish} like {@link dev.ztjvm.netstack.ip.InternetChecksum#add}'s.
 */
final class FastChecksum {
  private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private FastChecksum() {}

  static long add(long sum, byte[] b, int off, int len) {
    int i = off;
    int end = off + len;
    long s = 0;
    // at most 2^31 bytes: 2^28 steps of < 2^33 each stay well inside a long
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONG_BE.get(b, i);
      s += (v >>> 32) + (v & 0xffffffffL);
    }
    for (; i + 1 < end; i += 2) {
      s += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    if (i < end) {
      s += (b[i] & 0xff) << 8;
    }
    // fold to keep the caller's arithmetic small
    s = (s & 0xffffffffL) + (s >>> 32);
    return sum + s;
  }
}
