package dev.ztjvm.vl1;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;

/**
 * The one bounds-checked big-endian reader of the wire codecs (VL1 packets, VL2 credentials and configs) over
 * {@code b[off, end)}. Every overrun throws a {@link WireFormatException} naming what was being read, where, and how
 * many bytes were missing; parsers whose API answers {@code null} for malformed input catch it at their entry point.
 * Reusable via {@link #wrap}.
 */
public final class WireReader {

  private byte[] b;
  private int pos;
  private int end;
  private String what;

  public WireReader() {
    this(new byte[0], 0, 0);
  }

  /**
   * Reads {@code b[off, off+len)}, named "packet" in error messages.
   *
   * @throws WireFormatException if the range lies outside the array
   */
  public WireReader(byte[] b, int off, int len) {
    this.b = b;
    this.what = "packet";
    wrap(b, off, len);
  }

  /**
   * Reads {@code b[off, end)}; errors name {@code what} (e.g. "COM", "config chunk").
   *
   * @throws WireFormatException if the range lies outside the array
   */
  public static WireReader of(byte[] b, int off, int end, String what) {
    WireReader r = new WireReader();
    r.what = what;
    if (off < 0 || end > b.length || off > end) {
      throw new WireFormatException(what + ": range outside the buffer");
    }
    r.b = b;
    r.pos = off;
    r.end = end;
    return r;
  }

  /**
   * Points the reader at {@code b[off, off+len)}.
   *
   * @throws WireFormatException if the range lies outside the array
   */
  public WireReader wrap(byte[] b, int off, int len) {
    if (off < 0 || len < 0 || off > b.length - len) {
      throw new WireFormatException(what + ": range outside the buffer");
    }
    this.b = b;
    this.pos = off;
    this.end = off + len;
    return this;
  }

  /**
   * Checks that {@code b[off, off+n)} lies within {@code end} (and the array), for parsers that read in place.
   *
   * @throws WireFormatException naming {@code what} if it does not
   */
  public static void requireRange(byte[] b, int off, int n, int end, String what) {
    if (off < 0 || n < 0 || off + n > end || end > b.length) {
      throw new WireFormatException(
          what + ": truncated (need " + n + " bytes at " + off + ", have " + (end - off) + ")");
    }
  }

  public byte[] array() {
    return b;
  }

  public int position() {
    return pos;
  }

  /** The end of the readable range (exclusive). */
  public int end() {
    return end;
  }

  public int remaining() {
    return end - pos;
  }

  /** A {@link WireFormatException} naming what is being read, for a parser that found a bad value. */
  public WireFormatException error(String message) {
    return new WireFormatException(what + ": " + message);
  }

  private void need(int n) {
    if (n < 0 || end - pos < n) {
      throw new WireFormatException(
          what + ": truncated at byte " + pos + " (need " + n + ", have " + (end - pos) + ")");
    }
  }

  public int u8() {
    need(1);
    return b[pos++] & 0xff;
  }

  public int u16() {
    need(2);
    int v = Bytes.u16(b, pos);
    pos += 2;
    return v;
  }

  public long u32() {
    need(4);
    long v = Bytes.u32(b, pos);
    pos += 4;
    return v;
  }

  /** A 5-byte address. */
  public long u40() {
    need(5);
    long v = Bytes.u40(b, pos);
    pos += 5;
    return v;
  }

  public long u64() {
    need(8);
    long v = Bytes.u64(b, pos);
    pos += 8;
    return v;
  }

  /** Copies the next {@code n} bytes. */
  public byte[] bytes(int n) {
    need(n);
    byte[] r = new byte[n];
    System.arraycopy(b, pos, r, 0, n);
    pos += n;
    return r;
  }

  public void skip(int n) {
    need(n);
    pos += n;
  }

  /** Copies all remaining bytes. */
  public byte[] rest() {
    return bytes(remaining());
  }

  /** Reads a binary identity (spec 1.6). */
  public Identity identity() {
    int n;
    Identity id;
    try {
      n = Identity.binaryLength(b, pos);
      if (n > end - pos) {
        throw error("truncated identity at byte " + pos);
      }
      id = Identity.readBinary(b, pos);
    } catch (WireFormatException e) {
      throw e;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      throw error("malformed identity at byte " + pos + ": " + e.getMessage());
    }
    pos += n;
    return id;
  }
}
