package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;

/**
 * Flyweight-free accessors for a VL1 packet header held in a {@code byte[]} at an offset (spec 2.2). Nothing is copied
 * or allocated: every method reads or writes the caller's buffer. Callers must have checked that at least
 * {@link #HEADER_LENGTH} bytes are present (see {@link #isPacketHead}).
 *
 * <pre>
 * [0..7] packet ID  [8..12] destination  [13..17] source  [18] flags/cipher/hops  [19..26] MAC  [27] verb  [28..] payload
 * </pre>
 */
public final class Packet {

  public static final int IDX_PACKET_ID = 0;
  public static final int IDX_DEST = 8;
  public static final int IDX_SOURCE = 13;
  public static final int IDX_FLAGS = 18;
  public static final int IDX_MAC = 19;
  public static final int IDX_VERB = 27;
  public static final int IDX_PAYLOAD = 28;
  /** Header length including the verb byte. */
  public static final int HEADER_LENGTH = 28;

  /** Flags byte: legacy "encrypted" flag, set iff the suite is 1. */
  public static final int FLAG_ENCRYPTED = 0x80;
  /** Flags byte: more fragments follow. */
  public static final int FLAG_FRAGMENTED = 0x40;
  public static final int HOPS_MASK = 0x07;
  /** Largest hop count a relay still forwards (relays forward while hops < 3). */
  public static final int RELAY_MAX_HOPS = 3;

  /** Default physical MTU (UDP payload per datagram). */
  public static final int DEFAULT_PHYSICAL_MTU = 1432;
  public static final int MIN_PHYSICAL_MTU = 1400;
  public static final int MAX_PHYSICAL_MTU = 10324;
  /** Largest assembled packet (7 × 1432). */
  public static final int MAX_PACKET_LENGTH = 10024;
  /** Output bound when decompressing a payload (spec 2.9: 10,024 − 28). */
  public static final int MAX_DECOMPRESSED_PAYLOAD = MAX_PACKET_LENGTH - HEADER_LENGTH;
  /** Datagrams of exactly this length are legacy LAN beacons. */
  public static final int BEACON_LENGTH = 13;

  /** Protocol version we announce. */
  public static final int PROTOCOL_VERSION = 12;
  /** Oldest protocol version whose HELLO / OK(HELLO) is processed. */
  public static final int PROTOCOL_VERSION_MIN = 4;

  private Packet() {}

  /**
   * The cipher suite to send a non-HELLO packet with (spec 0 "answers first"): AES-GMAC-SIV (3) to a peer that
   * announced protocol version 12 or later, Salsa20/12-Poly1305 (1) otherwise, including while its version is still
   * unknown (pass 0).
   */
  public static int suiteFor(int remoteProtocolVersion) {
    return remoteProtocolVersion >= PROTOCOL_VERSION ? 3 : 1;
  }

  /** True if a datagram of this length, classified by its bytes, is a fragment (spec 2.1). */
  public static boolean isFragment(byte[] b, int off, int len) {
    return len > Fragments.HEADER_LENGTH && (b[off + Fragments.IDX_INDICATOR] & 0xff) == Fragments.INDICATOR;
  }

  /** True if a datagram is long enough to be a packet head and is not a fragment. */
  public static boolean isPacketHead(byte[] b, int off, int len) {
    return len >= HEADER_LENGTH && (b[off + Fragments.IDX_INDICATOR] & 0xff) != Fragments.INDICATOR;
  }

  public static long packetId(byte[] b, int off) {
    return Bytes.u64(b, off + IDX_PACKET_ID);
  }

  public static void setPacketId(byte[] b, int off, long id) {
    Bytes.put64(b, off + IDX_PACKET_ID, id);
  }

  public static long destination(byte[] b, int off) {
    return Bytes.u40(b, off + IDX_DEST);
  }

  public static void setDestination(byte[] b, int off, long address) {
    Bytes.put40(b, off + IDX_DEST, address);
  }

  public static long source(byte[] b, int off) {
    return Bytes.u40(b, off + IDX_SOURCE);
  }

  public static void setSource(byte[] b, int off, long address) {
    Bytes.put40(b, off + IDX_SOURCE, address);
  }

  /** The whole flags byte (hops, cipher, fragmented flag, legacy encrypted flag). */
  public static int flags(byte[] b, int off) {
    return b[off + IDX_FLAGS] & 0xff;
  }

  /** The cipher suite (0..7; 0..3 are defined). */
  public static int cipher(byte[] b, int off) {
    return (b[off + IDX_FLAGS] >>> 3) & 0x07;
  }

  public static int hops(byte[] b, int off) {
    return b[off + IDX_FLAGS] & HOPS_MASK;
  }

  public static void setHops(byte[] b, int off, int hops) {
    b[off + IDX_FLAGS] = (byte) ((b[off + IDX_FLAGS] & ~HOPS_MASK) | (hops & HOPS_MASK));
  }

  /** Increments the hop count (relaying; masked to three bits like the reference). */
  public static void incrementHops(byte[] b, int off) {
    setHops(b, off, hops(b, off) + 1);
  }

  public static boolean isFragmented(byte[] b, int off) {
    return (b[off + IDX_FLAGS] & FLAG_FRAGMENTED) != 0;
  }

  public static void setFragmented(byte[] b, int off, boolean fragmented) {
    if (fragmented) {
      b[off + IDX_FLAGS] |= (byte) FLAG_FRAGMENTED;
    } else {
      b[off + IDX_FLAGS] &= (byte) ~FLAG_FRAGMENTED;
    }
  }

  /** The 8-byte MAC field (or trusted-path ID for suite 2). */
  public static long mac(byte[] b, int off) {
    return Bytes.u64(b, off + IDX_MAC);
  }

  /** The raw verb byte, compressed flag included. */
  public static int verbByte(byte[] b, int off) {
    return b[off + IDX_VERB] & 0xff;
  }

  /** The verb code (low five bits of the verb byte); meaningful only after dearmoring for suites 1 and 3. */
  public static int verbCode(byte[] b, int off) {
    return b[off + IDX_VERB] & Verb.CODE_MASK;
  }

  public static boolean isCompressed(byte[] b, int off) {
    return (b[off + IDX_VERB] & Verb.FLAG_COMPRESSED) != 0;
  }

  /**
   * Writes a plaintext header: packet ID, destination, source, flags 0 (the armor sets the cipher bits), MAC zeroed,
   * and the verb byte. Returns the offset (relative to {@code off}) where the payload starts, i.e. {@link
   * #HEADER_LENGTH}.
   */
  public static int writeHeader(byte[] b, int off, long packetId, long destination, long source, Verb verb) {
    Bytes.put64(b, off + IDX_PACKET_ID, packetId);
    Bytes.put40(b, off + IDX_DEST, destination);
    Bytes.put40(b, off + IDX_SOURCE, source);
    b[off + IDX_FLAGS] = 0;
    for (int i = IDX_MAC; i < IDX_VERB; i++) {
      b[off + i] = 0;
    }
    b[off + IDX_VERB] = (byte) verb.code();
    return HEADER_LENGTH;
  }
}
