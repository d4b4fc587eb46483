package dev.ztjvm.netstack.ip;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** The Internet checksum (RFC 1071) and the TCP/UDP pseudo-header sums for IPv4 and IPv6. */
public final class InternetChecksum {

  private InternetChecksum() {}

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Adds the 16-bit big-endian words of {@code buf[off, off+len)} to {@code sum} (an odd last byte is padded). */
  public static long add(long sum, byte[] buf, int off, int len) {
    int i = off;
    int end = off + len;
    // Eight bytes at a time: since 2^16 = 1 (mod 2^16 - 1), adding the two 32-bit halves as plain numbers gives
    // the same one's-complement sum as adding their 16-bit words; finish() folds the carries.
    // Four independent accumulators keep the additions from waiting on each other.
    long w0 = 0;
    long w1 = 0;
    long w2 = 0;
    long w3 = 0;
    for (; i + 32 <= end; i += 32) {
      long a = (long) LONGS.get(buf, i);
      long b = (long) LONGS.get(buf, i + 8);
      long c = (long) LONGS.get(buf, i + 16);
      long d = (long) LONGS.get(buf, i + 24);
      w0 += (a >>> 32) + (a & 0xffffffffL);
      w1 += (b >>> 32) + (b & 0xffffffffL);
      w2 += (c >>> 32) + (c & 0xffffffffL);
      w3 += (d >>> 32) + (d & 0xffffffffL);
    }
    for (; i + 8 <= end; i += 8) {
      long v = (long) LONGS.get(buf, i);
      w0 += (v >>> 32) + (v & 0xffffffffL);
    }
    long wide = (w0 & 0xffffffffL) + (w0 >>> 32) + (w1 & 0xffffffffL) + (w1 >>> 32)
        + (w2 & 0xffffffffL) + (w2 >>> 32) + (w3 & 0xffffffffL) + (w3 >>> 32);
    sum += wide;
    for (; i + 1 < end; i += 2) {
      sum += ((buf[i] & 0xff) << 8) | (buf[i + 1] & 0xff);
    }
    if (i < end) {
      sum += (buf[i] & 0xff) << 8;
    }
    return sum;
  }

  /** Folds a running sum into 16 bits and complements it: the value to put in a checksum field. */
  public static int finish(long sum) {
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) (~sum & 0xffff);
  }

  /** Checksum of a plain buffer (IPv4 header, ICMPv4). */
  public static int of(byte[] buf, int off, int len) {
    return finish(add(0, buf, off, len));
  }

  /**
   * Running sum of the pseudo-header for TCP/UDP/ICMPv6: addresses (4 or 16 bytes each), protocol and the
   * transport length. Add the transport bytes to it with {@link #add} and {@link #finish} the result.
   */
  public static long pseudoHeader(byte[] src, byte[] dst, int protocol, int transportLength) {
    long sum = add(0, src, 0, src.length);
    sum = add(sum, dst, 0, dst.length);
    sum += protocol;
    sum += transportLength & 0xffff;
    sum += transportLength >>> 16;
    return sum;
  }
}
