package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import java.util.Arrays;

/** Bounds-checked big-endian reader; every overrun is a {@link Vl2FormatException} naming {@code what}. */
final class Cursor {
  final byte[] b;
  int p;
  final int end;
  private final String what;

  Cursor(byte[] b, int off, int end, String what) {
    if (off < 0 || end > b.length || off > end) {
      throw new Vl2FormatException(what + ": range outside the buffer");
    }
    this.b = b;
    this.p = off;
    this.end = end;
    this.what = what;
  }

  /**
   * Checks that {@code b[off, off+n)} lies within {@code end} (and the array) for callers that read in place.
   *
   * @throws Vl2FormatException naming {@code what} if it does not
   */
  static void requireRange(byte[] b, int off, int n, int end, String what) {
    if (off < 0 || n < 0 || off + n > end || end > b.length) {
      throw new Vl2FormatException(what + ": truncated (need " + n + " bytes at " + off + ", have " + (end - off) + ")");
    }
  }

  private void need(int n) {
    if (n < 0 || p + n > end) {
      throw new Vl2FormatException(what + ": truncated at byte " + p + " (need " + n + ", have " + (end - p) + ")");
    }
  }

  int remaining() {
    return end - p;
  }

  int u8() {
    need(1);
    return b[p++] & 0xff;
  }

  int u16() {
    need(2);
    int v = Bytes.u16(b, p);
    p += 2;
    return v;
  }

  long u32() {
    need(4);
    long v = Bytes.u32(b, p);
    p += 4;
    return v;
  }

  long u40() {
    need(5);
    long v = Bytes.u40(b, p);
    p += 5;
    return v;
  }

  long u64() {
    need(8);
    long v = Bytes.u64(b, p);
    p += 8;
    return v;
  }

  byte[] bytes(int n) {
    need(n);
    byte[] v = Arrays.copyOfRange(b, p, p + n);
    p += n;
    return v;
  }

  void skip(int n) {
    need(n);
    p += n;
  }

  Vl2FormatException error(String message) {
    return new Vl2FormatException(what + ": " + message);
  }

  /**
   * The "signature type (1) | length (2) | signature" triple of 1.x credentials: type 1 must have length 96; any
   * other type is skipped. Returns the signature, or an empty array for "unsigned" (another type, or all zeros,
   * which is what 1.x writes for a credential it never signed).
   */
  byte[] signatureTriple() {
    int type = u8();
    int len = u16();
    if (type == 1) {
      if (len != 96) {
        throw error("signature length " + len + " (must be 96)");
      }
      byte[] sig = bytes(96);
      for (byte x : sig) {
        if (x != 0) {
          return sig;
        }
      }
      return new byte[0];
    }
    skip(len);
    return new byte[0];
  }
}
