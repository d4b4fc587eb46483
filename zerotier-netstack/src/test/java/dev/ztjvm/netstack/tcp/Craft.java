package dev.ztjvm.netstack.tcp;

import dev.ztjvm.netstack.ip.InternetChecksum;

/** Builds raw TCP segments (valid checksum) for injection tests. */
final class Craft {
  private Craft() {}

  static byte[] segment(byte[] src, byte[] dst, int srcPort, int dstPort, int seq, int ack, int flags, int window,
      byte[] options, byte[] data) {
    int hl = 20 + ((options.length + 3) & ~3);
    byte[] b = new byte[hl + data.length];
    Segment.put16(b, 0, srcPort);
    Segment.put16(b, 2, dstPort);
    Segment.put32(b, 4, seq);
    Segment.put32(b, 8, ack);
    b[12] = (byte) ((hl / 4) << 4);
    b[13] = (byte) flags;
    Segment.put16(b, 14, window);
    System.arraycopy(options, 0, b, 20, options.length);
    for (int i = 20 + options.length; i < hl; i++) {
      b[i] = 1; // NOP padding
    }
    System.arraycopy(data, 0, b, hl, data.length);
    long sum = InternetChecksum.pseudoHeader(src, dst, 6, b.length);
    int c = InternetChecksum.finish(InternetChecksum.add(sum, b, 0, b.length));
    Segment.put16(b, 16, c);
    return b;
  }

  static byte[] timestamp(int tsVal, int tsEcr) {
    byte[] o = new byte[12];
    o[0] = 1;
    o[1] = 1;
    o[2] = 8;
    o[3] = 10;
    Segment.put32(o, 4, tsVal);
    Segment.put32(o, 8, tsEcr);
    return o;
  }
}
