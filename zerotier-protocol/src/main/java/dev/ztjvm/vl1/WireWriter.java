package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;

/**
 * A big-endian cursor writing into a caller's buffer. Writing past the buffer's end throws {@link
 * IndexOutOfBoundsException}: building packets is under our control, so overflow is a programming error.
 */
public final class WireWriter {

  private byte[] b;
  private int start;
  private int pos;

  public WireWriter(byte[] b, int off) {
    this.b = b;
    this.start = off;
    this.pos = off;
  }

  public WireWriter wrap(byte[] b, int off) {
    this.b = b;
    this.start = off;
    this.pos = off;
    return this;
  }

  public byte[] array() {
    return b;
  }

  public int position() {
    return pos;
  }

  /** Bytes written since the start offset. */
  public int length() {
    return pos - start;
  }

  private void need(int n) {
    if (b.length - pos < n) {
      throw new IndexOutOfBoundsException("buffer full: need " + n + " bytes at " + pos + " of " + b.length);
    }
  }

  public WireWriter u8(int v) {
    need(1);
    b[pos++] = (byte) v;
    return this;
  }

  public WireWriter u16(int v) {
    need(2);
    Bytes.put16(b, pos, v);
    pos += 2;
    return this;
  }

  public WireWriter u32(long v) {
    need(4);
    Bytes.put32(b, pos, v);
    pos += 4;
    return this;
  }

  public WireWriter u40(long v) {
    need(5);
    Bytes.put40(b, pos, v);
    pos += 5;
    return this;
  }

  public WireWriter u64(long v) {
    need(8);
    Bytes.put64(b, pos, v);
    pos += 8;
    return this;
  }

  public WireWriter bytes(byte[] src) {
    return bytes(src, 0, src.length);
  }

  public WireWriter bytes(byte[] src, int off, int len) {
    need(len);
    System.arraycopy(src, off, b, pos, len);
    pos += len;
    return this;
  }

  /** Moves the cursor, e.g. after a sub-encoder wrote directly into the array. */
  public WireWriter position(int newPos) {
    if (newPos < start || newPos > b.length) {
      throw new IndexOutOfBoundsException("position " + newPos);
    }
    pos = newPos;
    return this;
  }
}
