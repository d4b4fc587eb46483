package dev.ztjvm.netstack.tcp;

/** A parsed TCP header, reused for every received segment (fields are valid until the next parse). */
final class Segment {
  static final int FIN = 0x01;
  static final int SYN = 0x02;
  static final int RST = 0x04;
  static final int PSH = 0x08;
  static final int ACK = 0x10;
  static final int URG = 0x20;

  static final int MAX_SACK_BLOCKS = 4;

  int srcPort;
  int dstPort;
  int seq;
  int ack;
  int flags;
  int window;
  boolean hasMss;
  int mss;
  boolean hasWindowScale;
  int windowScale;
  boolean sackPermitted;
  boolean hasTimestamp;
  int tsVal;
  int tsEcr;
  int sackBlocks;
  final int[] sackStart = new int[MAX_SACK_BLOCKS];
  final int[] sackEnd = new int[MAX_SACK_BLOCKS];
  byte[] buf = new byte[0];
  int dataOff;
  int dataLen;

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** Sequence space the segment occupies: data plus one each for SYN and FIN. */
  int seqLength() {
    return dataLen + ((flags & SYN) != 0 ? 1 : 0) + ((flags & FIN) != 0 ? 1 : 0);
  }

  /** Parses the header at {@code b[off, off+len)} (checksum already verified); false if malformed. */
  boolean parse(byte[] b, int off, int len) {
    if (len < 20) {
      return false;
    }
    srcPort = u16(b, off);
    dstPort = u16(b, off + 2);
    seq = i32(b, off + 4);
    ack = i32(b, off + 8);
    int hlen = ((b[off + 12] & 0xf0) >>> 4) * 4;
    if (hlen < 20 || hlen > len) {
      return false;
    }
    flags = b[off + 13] & 0x3f;
    window = u16(b, off + 14);
    hasMss = false;
    hasWindowScale = false;
    sackPermitted = false;
    hasTimestamp = false;
    sackBlocks = 0;
    int i = off + 20;
    int end = off + hlen;
    while (i < end) {
      int kind = b[i] & 0xff;
      if (kind == 0) {
        break;
      }
      if (kind == 1) {
        i++;
        continue;
      }
      if (i + 1 >= end) {
        return false;
      }
      int olen = b[i + 1] & 0xff;
      if (olen < 2 || i + olen > end) {
        return false;
      }
      switch (kind) {
        case 2 -> {
          if (olen == 4) {
            hasMss = true;
            mss = u16(b, i + 2);
          }
        }
        case 3 -> {
          if (olen == 3) {
            hasWindowScale = true;
            windowScale = Math.min(14, b[i + 2] & 0xff);
          }
        }
        case 4 -> {
          if (olen == 2) {
            sackPermitted = true;
          }
        }
        case 5 -> {
          int n = (olen - 2) / 8;
          if ((olen - 2) % 8 == 0) {
            sackBlocks = Math.min(n, MAX_SACK_BLOCKS);
            for (int k = 0; k < sackBlocks; k++) {
              sackStart[k] = i32(b, i + 2 + 8 * k);
              sackEnd[k] = i32(b, i + 6 + 8 * k);
            }
          }
        }
        case 8 -> {
          if (olen == 10) {
            hasTimestamp = true;
            tsVal = i32(b, i + 2);
            tsEcr = i32(b, i + 6);
          }
        }
        default -> {
          // unknown options are skipped
        }
      }
      i += olen;
    }
    buf = b;
    dataOff = off + hlen;
    dataLen = len - hlen;
    return true;
  }

  static int u16(byte[] b, int o) {
    return ((b[o] & 0xff) << 8) | (b[o + 1] & 0xff);
  }

  static int i32(byte[] b, int o) {
    return ((b[o] & 0xff) << 24) | ((b[o + 1] & 0xff) << 16) | ((b[o + 2] & 0xff) << 8) | (b[o + 3] & 0xff);
  }

  static void put16(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 8);
    b[o + 1] = (byte) v;
  }

  static void put32(byte[] b, int o, int v) {
    b[o] = (byte) (v >>> 24);
    b[o + 1] = (byte) (v >>> 16);
    b[o + 2] = (byte) (v >>> 8);
    b[o + 3] = (byte) v;
  }
}
