package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;

/**
 * The generic OK / ERROR layout (spec 3.1): {@code in-re verb (1) | in-re packet ID (8) | ...}; for ERROR followed by
 * an error code (1). Static accessors read a dearmored packet in place; writers build into the caller's buffer.
 */
public final class Responses {

  /** Offset of the in-re verb. */
  public static final int IDX_IN_RE_VERB = Packet.IDX_PAYLOAD;
  /** Offset of the in-re packet ID. */
  public static final int IDX_IN_RE_PACKET_ID = Packet.IDX_PAYLOAD + 1;
  /** Offset of OK's verb-specific data. */
  public static final int IDX_OK_DATA = Packet.IDX_PAYLOAD + 9;
  /** Offset of ERROR's code. */
  public static final int IDX_ERROR_CODE = Packet.IDX_PAYLOAD + 9;
  /** Offset of ERROR's code-specific data. */
  public static final int IDX_ERROR_DATA = Packet.IDX_PAYLOAD + 10;

  private Responses() {}

  /** True if a dearmored OK packet is long enough for its in-re fields. */
  public static boolean isValidOk(int len) {
    return len >= IDX_OK_DATA;
  }

  /** True if a dearmored ERROR packet is long enough for its in-re fields and code. */
  public static boolean isValidError(int len) {
    return len >= IDX_ERROR_DATA;
  }

  public static int inReVerb(byte[] pkt, int off) {
    return pkt[off + IDX_IN_RE_VERB] & Verb.CODE_MASK;
  }

  public static long inRePacketId(byte[] pkt, int off) {
    return Bytes.u64(pkt, off + IDX_IN_RE_PACKET_ID);
  }

  public static int errorCode(byte[] pkt, int off) {
    return pkt[off + IDX_ERROR_CODE] & 0xff;
  }

  /**
   * Writes the header and in-re fields of an OK packet; returns a writer positioned at the verb-specific data.
   *
   * @param inRePacketId the request's packet ID exactly as it was on the wire
   */
  public static WireWriter beginOk(
      byte[] buf, int off, long packetId, long destination, long source, Verb inReVerb, long inRePacketId) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.OK);
    return new WireWriter(buf, off + Packet.IDX_PAYLOAD).u8(inReVerb.code()).u64(inRePacketId);
  }

  /** Writes an ERROR packet's header, in-re fields and code; returns a writer positioned at the code's data. */
  public static WireWriter beginError(
      byte[] buf, int off, long packetId, long destination, long source, Verb inReVerb, long inRePacketId,
      ErrorCode code) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.ERROR);
    return new WireWriter(buf, off + Packet.IDX_PAYLOAD).u8(inReVerb.code()).u64(inRePacketId).u8(code.code());
  }
}
