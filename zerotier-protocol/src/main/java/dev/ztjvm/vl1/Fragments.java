package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;

/**
 * Fragmentation of armored packets (spec 2.11). A packet longer than the path MTU gets {@link Packet#FLAG_FRAGMENTED}
 * before it is armored; after armoring the first {@code mtu} bytes are sent as they are (the head) and the rest is
 * cut into fragments of at most {@code mtu − 16} bytes, each behind a 16-byte fragment header:
 *
 * <pre>
 * [0..7] packet ID (as on the wire)  [8..12] destination  [13] 0xFF  [14] (total &lt;&lt; 4) | number  [15] hops  [16..] piece
 * </pre>
 */
public final class Fragments {

  public static final int HEADER_LENGTH = 16;
  public static final int IDX_INDICATOR = 13;
  public static final int IDX_COUNTS = 14;
  public static final int IDX_HOPS = 15;
  /** Byte 13 of a fragment (a reserved address prefix, so no head can have it). */
  public static final int INDICATOR = 0xff;
  /** Most fragments accepted, head included. */
  public static final int MAX_FRAGMENTS = 7;

  private Fragments() {}

  /** True if a packet of {@code packetLength} bytes must be fragmented on a path with this MTU. */
  public static boolean needsFragmentation(int packetLength, int mtu) {
    return packetLength > mtu;
  }

  /**
   * Total datagrams (head included) for a packet of this length; 1 if it fits the MTU.
   *
   * @throws IllegalArgumentException if the MTU is smaller than a fragment header plus one byte
   */
  public static int count(int packetLength, int mtu) {
    if (mtu <= HEADER_LENGTH) {
      throw new IllegalArgumentException("MTU too small: " + mtu);
    }
    if (packetLength <= mtu) {
      return 1;
    }
    int piece = mtu - HEADER_LENGTH;
    return 1 + (packetLength - mtu + piece - 1) / piece;
  }

  /**
   * Writes fragment {@code number} (1..count−1) of the armored packet {@code pkt[off..off+len)} into {@code out} and
   * returns the datagram length. Datagram 0, the head, is {@code pkt[off..off+mtu)} itself and needs no copy.
   *
   * @throws IllegalArgumentException if {@code number} is out of range or the packet needs more than {@link
   *     #MAX_FRAGMENTS} datagrams
   */
  public static int writeFragment(byte[] pkt, int off, int len, int mtu, int number, byte[] out, int outOff) {
    int total = count(len, mtu);
    if (total > MAX_FRAGMENTS) {
      throw new IllegalArgumentException("packet of " + len + " bytes needs " + total + " fragments at MTU " + mtu);
    }
    if (number < 1 || number >= total) {
      throw new IllegalArgumentException("fragment number " + number + " not in 1.." + (total - 1));
    }
    int piece = mtu - HEADER_LENGTH;
    int start = mtu + (number - 1) * piece;
    int n = Math.min(piece, len - start);
    System.arraycopy(pkt, off, out, outOff, 8);
    System.arraycopy(pkt, off + Packet.IDX_DEST, out, outOff + 8, 5);
    out[outOff + IDX_INDICATOR] = (byte) INDICATOR;
    out[outOff + IDX_COUNTS] = (byte) ((total << 4) | number);
    out[outOff + IDX_HOPS] = 0;
    System.arraycopy(pkt, off + start, out, outOff + HEADER_LENGTH, n);
    return HEADER_LENGTH + n;
  }

  public static long packetId(byte[] b, int off) {
    return Bytes.u64(b, off);
  }

  public static long destination(byte[] b, int off) {
    return Bytes.u40(b, off + 8);
  }

  /** Total datagram count announced by a fragment (head included). */
  public static int total(byte[] b, int off) {
    return (b[off + IDX_COUNTS] >>> 4) & 0x0f;
  }

  /** This fragment's number (1..total−1). */
  public static int number(byte[] b, int off) {
    return b[off + IDX_COUNTS] & 0x0f;
  }

  public static int hops(byte[] b, int off) {
    return b[off + IDX_HOPS] & Packet.HOPS_MASK;
  }

  /** Increments a fragment's hop count (relaying), masked to three bits. */
  public static void incrementHops(byte[] b, int off) {
    b[off + IDX_HOPS] = (byte) ((hops(b, off) + 1) & Packet.HOPS_MASK);
  }
}
