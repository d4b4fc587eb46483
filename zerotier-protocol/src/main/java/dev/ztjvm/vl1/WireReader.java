package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.identity.Identity;
import org.jspecify.annotations.Nullable;

/**
 * A bounds-checked big-endian cursor over a byte range. Reading past the end never throws: it sets {@link #failed()}
 * and returns zeros, so a parser reads its fields and checks once at the end. Reusable via {@link #wrap}.
 */
public final class WireReader {

  private byte[] b;
  private int pos;
  private int end;
  private boolean failed;

  public WireReader() {
    this(new byte[0], 0, 0);
  }

  public WireReader(byte[] b, int off, int len) {
    this.b = b;
    wrap(b, off, len);
  }

  /** Points the reader at {@code b[off..off+len)} and clears the failure flag. */
  public WireReader wrap(byte[] b, int off, int len) {
    this.b = b;
    if (off < 0 || len < 0 || off > b.length - len) {
      this.pos = 0;
      this.end = 0;
      this.failed = true;
    } else {
      this.pos = off;
      this.end = off + len;
      this.failed = false;
    }
    return this;
  }

  public byte[] array() {
    return b;
  }

  public int position() {
    return pos;
  }

  public int remaining() {
    return end - pos;
  }

  /** True once any read or skip went past the end (or {@link #fail()} was called). */
  public boolean failed() {
    return failed;
  }

  /** Marks the input invalid (a parser found a bad value). */
  public void fail() {
    failed = true;
    pos = end;
  }

  private boolean need(int n) {
    if (n < 0 || end - pos < n) {
      fail();
      return false;
    }
    return true;
  }

  public int u8() {
    return need(1) ? b[pos++] & 0xff : 0;
  }

  public int u16() {
    if (!need(2)) {
      return 0;
    }
    int v = Bytes.u16(b, pos);
    pos += 2;
    return v;
  }

  public long u32() {
    if (!need(4)) {
      return 0;
    }
    long v = Bytes.u32(b, pos);
    pos += 4;
    return v;
  }

  /** A 5-byte address. */
  public long u40() {
    if (!need(5)) {
      return 0;
    }
    long v = Bytes.u40(b, pos);
    pos += 5;
    return v;
  }

  public long u64() {
    if (!need(8)) {
      return 0;
    }
    long v = Bytes.u64(b, pos);
    pos += 8;
    return v;
  }

  /** Copies the next {@code n} bytes (an empty array on failure). */
  public byte[] bytes(int n) {
    if (!need(n)) {
      return new byte[0];
    }
    byte[] r = new byte[n];
    System.arraycopy(b, pos, r, 0, n);
    pos += n;
    return r;
  }

  public void skip(int n) {
    if (need(n)) {
      pos += n;
    }
  }

  /** Copies all remaining bytes. */
  public byte[] rest() {
    return bytes(remaining());
  }

  /** Reads a binary identity (spec 1.6); null and failed if malformed. */
  public @Nullable Identity identity() {
    if (failed) {
      return null;
    }
    try {
      int n = Identity.binaryLength(b, pos);
      if (n > end - pos) {
        fail();
        return null;
      }
      Identity id = Identity.readBinary(b, pos);
      pos += n;
      return id;
    } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
      fail();
      return null;
    }
  }
}
