package dev.ztjvm.netstack.tcp;

/** A decoded TCP header for assertions on sniffed traffic. */
record SegView(int srcPort, int dstPort, int seq, int ack, int flags, int window, int headerLen, int dataLen,
    int sackBlocks, boolean hasTimestamp) {

  static SegView parse(byte[] b) {
    Segment s = new Segment();
    if (!s.parse(b, 0, b.length)) {
      return new SegView(-1, -1, 0, 0, 0, 0, 0, 0, 0, false);
    }
    return new SegView(s.srcPort, s.dstPort, s.seq, s.ack, s.flags, s.window, s.dataOff, s.dataLen, s.sackBlocks,
        s.hasTimestamp);
  }

  boolean syn() {
    return (flags & Segment.SYN) != 0;
  }

  boolean fin() {
    return (flags & Segment.FIN) != 0;
  }

  boolean rst() {
    return (flags & Segment.RST) != 0;
  }

  boolean ackFlag() {
    return (flags & Segment.ACK) != 0;
  }

  boolean isPureAck() {
    return dataLen == 0 && (flags & (Segment.SYN | Segment.FIN | Segment.RST)) == 0;
  }
}
