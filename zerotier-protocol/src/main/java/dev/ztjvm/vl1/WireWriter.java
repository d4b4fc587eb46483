package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;
import java.util.Arrays;

/**
 * The one big-endian writer of the wire codecs. Over a caller's buffer ({@link #WireWriter(byte[], int)}, how packets
 * are built in place) writing past the buffer's end throws {@link IndexOutOfBoundsException}: building packets is
 * under our control, so overflow is a programming error. A writer made with {@link #WireWriter()} owns its buffer
 * and grows it (how credentials and configs are serialised); {@link #toByteArray()} copies what was written.
 */
public final class WireWriter {

  private byte[] b;
  private int start;
  private int pos;
  private final boolean growable;

  public WireWriter(byte[] b, int off) {
    this.b = b;
    this.start = off;
    this.pos = off;
    this.growable = false;
  }

  /** A writer owning a buffer that grows as needed. */
  public WireWriter() {
    this(64);
  }

  /** A writer owning a buffer that grows as needed, first sized for {@code initialCapacity} bytes. */
  public WireWriter(int initialCapacity) {
    this.b = new byte[Math.max(16, initialCapacity)];
    this.growable = true;
  }

  public WireWriter wrap(byte[] b, int off) {
    if (growable) {
      throw new IllegalStateException("a growable writer owns its buffer");
    }
    this.b = b;
    this.start = off;
    this.pos = off;
    return this;
  }

  /** The buffer written into (a growable writer's buffer is replaced when it grows). */
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

  /** A copy of the bytes written since the start offset. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(b, start, pos);
  }

  private void need(int n) {
    if (b.length - pos < n) {
      if (!growable) {
        throw new IndexOutOfBoundsException("buffer full: need " + n + " bytes at " + pos + " of " + b.length);
      }
      b = Arrays.copyOf(b, Math.max(b.length * 2, pos + n));
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

  /** Writes {@code n} zero bytes. */
  public WireWriter zeros(int n) {
    need(n);
    Arrays.fill(b, pos, pos + n, (byte) 0);
    pos += n;
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
