package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import java.util.Arrays;

/** A growable big-endian byte buffer used by the serialisers. */
final class ByteSink {
  private byte[] buf;
  private int size;

  ByteSink() {
    this(64);
  }

  ByteSink(int initial) {
    buf = new byte[Math.max(16, initial)];
  }

  private void ensure(int n) {
    if (size + n > buf.length) {
      buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + n));
    }
  }

  ByteSink u8(int v) {
    ensure(1);
    buf[size++] = (byte) v;
    return this;
  }

  ByteSink u16(int v) {
    ensure(2);
    Bytes.put16(buf, size, v);
    size += 2;
    return this;
  }

  ByteSink u32(long v) {
    ensure(4);
    Bytes.put32(buf, size, v);
    size += 4;
    return this;
  }

  ByteSink u40(long v) {
    ensure(5);
    Bytes.put40(buf, size, v);
    size += 5;
    return this;
  }

  ByteSink u64(long v) {
    ensure(8);
    Bytes.put64(buf, size, v);
    size += 8;
    return this;
  }

  ByteSink bytes(byte[] b) {
    return bytes(b, 0, b.length);
  }

  ByteSink bytes(byte[] b, int off, int len) {
    ensure(len);
    System.arraycopy(b, off, buf, size, len);
    size += len;
    return this;
  }

  ByteSink zeros(int n) {
    ensure(n);
    size += n; // buffer is zero beyond size: we never shrink
    return this;
  }

  int size() {
    return size;
  }

  byte[] toByteArray() {
    return Arrays.copyOf(buf, size);
  }
}
