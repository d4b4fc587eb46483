package dev.ztjvm.vl1;

/** ECHO (spec 3.4): arbitrary payload; OK(ECHO) data is the request payload copied. */
public final class Echo {

  private Echo() {}

  /** Writes a complete ECHO packet with the given payload and returns its length. */
  public static int writeRequest(
      byte[] buf, int off, long packetId, long destination, long source, byte[] payload, int pOff, int pLen) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.ECHO);
    System.arraycopy(payload, pOff, buf, off + Packet.IDX_PAYLOAD, pLen);
    return Packet.IDX_PAYLOAD + pLen;
  }

  /**
   * Writes the OK(ECHO) answering the dearmored ECHO {@code req[reqOff..reqOff+reqLen)} into {@code buf[off..]} and
   * returns its length. The in-re packet ID is the request's wire packet ID.
   */
  public static int writeReply(byte[] req, int reqOff, int reqLen, byte[] buf, int off, long packetId, long source) {
    long inRe = Packet.packetId(req, reqOff);
    long requester = Packet.source(req, reqOff);
    WireWriter w = Responses.beginOk(buf, off, packetId, requester, source, Verb.ECHO, inRe);
    w.bytes(req, reqOff + Packet.IDX_PAYLOAD, reqLen - Packet.IDX_PAYLOAD);
    return w.position() - off;
  }
}
