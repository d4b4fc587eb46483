package dev.ztjvm.netstack.tcp;

/**
 * A byte ring with a fixed capacity whose backing array grows on demand (doubling, linearising once), so idle
 * connections stay small. Offsets are relative to the first stored byte; bytes beyond {@link #size()} (up to the
 * capacity) may be written ahead, which the receive side uses for out-of-order data.
 */
final class ByteRing {
  private byte[] buf;
  private int head;
  private int size;
  private final int capacity;

  ByteRing(int capacity, int initial) {
    this.capacity = capacity;
    this.buf = new byte[Math.max(1, Math.min(capacity, initial))];
  }

  int size() {
    return size;
  }

  int capacity() {
    return capacity;
  }

  int free() {
    return capacity - size;
  }

  /** Makes the backing array hold at least {@code needed} bytes (≤ capacity), keeping offsets. */
  private void ensure(int needed) {
    if (needed <= buf.length) {
      return;
    }
    int n = buf.length;
    while (n < needed) {
      n = (int) Math.min((long) n * 2, capacity);
    }
    byte[] nb = new byte[n];
    // copy everything (including bytes written ahead of size) from head in ring order
    int first = Math.min(buf.length - head, buf.length);
    System.arraycopy(buf, head, nb, 0, first);
    System.arraycopy(buf, 0, nb, first, head);
    buf = nb;
    head = 0;
  }

  /** The array index of the byte {@code offset} (0..buf.length) after the head. */
  private int index(int offset) {
    int pos = head + offset;
    return pos >= buf.length ? pos - buf.length : pos;
  }

  /** Appends up to {@link #free()} bytes; returns how many were taken. */
  int write(byte[] src, int off, int len) {
    int n = Math.min(len, free());
    if (n <= 0) {
      return 0;
    }
    copyIn(size, src, off, n);
    size += n;
    return n;
  }

  /** Writes {@code len} bytes at {@code offset} from the head (may lie beyond size; must stay within capacity). */
  void copyIn(int offset, byte[] src, int off, int len) {
    ensure(offset + len);
    int pos = index(offset);
    int first = Math.min(len, buf.length - pos);
    System.arraycopy(src, off, buf, pos, first);
    if (first < len) {
      System.arraycopy(src, off + first, buf, 0, len - first);
    }
  }

  /** Copies {@code len} bytes starting {@code offset} bytes after the head, without consuming them. */
  void copyOut(int offset, byte[] dst, int dstOff, int len) {
    int pos = index(offset);
    int first = Math.min(len, buf.length - pos);
    System.arraycopy(buf, pos, dst, dstOff, first);
    if (first < len) {
      System.arraycopy(buf, 0, dst, dstOff + first, len - first);
    }
  }

  /** Extends the stored size by {@code n} bytes already written with {@link #copyIn}. */
  void commit(int n) {
    size += n;
  }

  /** Drops {@code n} bytes from the head. */
  void skip(int n) {
    head = index(n);
    size -= n; // head is not rewound when empty: bytes written ahead (out-of-order data) stay in place
  }

  /** Reads and consumes up to {@code len} bytes. */
  int read(byte[] dst, int off, int len) {
    int n = Math.min(len, size);
    if (n <= 0) {
      return 0;
    }
    copyOut(0, dst, off, n);
    skip(n);
    return n;
  }
}
