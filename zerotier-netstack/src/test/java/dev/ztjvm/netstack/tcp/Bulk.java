package dev.ztjvm.netstack.tcp;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Bulk transfer endpoints: {@link Source} writes {@code total} pseudo-random bytes (xorshift stream) as fast as
 * backpressure allows, then shuts down output; {@link Sink} reads everything and hashes it.
 */
final class Bulk {
  private Bulk() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Listens on {@code port} (backlog 4) and gives every accepted connection a new {@link Sink}, added to {@code sinks}. */
  static void acceptIntoSinks(TcpStack tcp, int port, List<Sink> sinks) {
    tcp.listen(null, port, 4, l -> {
      TcpConnection c;
      while ((c = l.accept()) != null) {
        Sink s = new Sink();
        sinks.add(s);
        c.setHandler(s);
      }
    });
  }

  /** What both endpoints keep: a SHA-256 of the bytes they saw and how the connection ended. */
  abstract static class Hashing implements TcpHandler {
    final MessageDigest digest = sha256();
    boolean closed;
    @Nullable TcpError cause;

    @Override
    public void onClosed(TcpConnection c, @Nullable TcpError cause) {
      closed = true;
      this.cause = cause;
    }

    byte[] hash() {
      return digest.digest();
    }
  }

  static final class Source extends Hashing {
    final long total;
    long written;
    private long state;
    private final byte[] chunk = new byte[32 * 1024];
    private int chunkOff;
    private int chunkLen;
    boolean connected;
    final Sink reverse = new Sink(); // data coming back, if any

    Source(long total, long seed) {
      this.total = total;
      this.state = seed | 1;
    }

    private void refill() {
      int n = (int) Math.min(chunk.length, total - written - 0);
      long x = state;
      for (int i = 0; i < n; i += 8) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        for (int k = 0; k < 8 && i + k < n; k++) {
          chunk[i + k] = (byte) (x >>> (8 * k));
        }
      }
      state = x;
      digest.update(chunk, 0, n);
      chunkOff = 0;
      chunkLen = n;
    }

    void pump(TcpConnection c) {
      if (c.isOutputShutdown() || c.state() == TcpState.CLOSED) {
        return;
      }
      while (true) {
        if (chunkOff == chunkLen) {
          if (written == total) {
            c.shutdownOutput();
            return;
          }
          refill();
        }
        int n = c.write(chunk, chunkOff, chunkLen - chunkOff);
        if (n == 0) {
          return;
        }
        chunkOff += n;
        written += n;
      }
    }

    @Override
    public void onConnected(TcpConnection c) {
      connected = true;
      pump(c);
    }

    @Override
    public void onWritable(TcpConnection c) {
      pump(c);
    }

    @Override
    public void onReadable(TcpConnection c) {
      reverse.onReadable(c);
    }
  }

  static final class Sink extends Hashing {
    long received;
    boolean eof;
    boolean closeOnEof = true;
    /** Keeps the raw bytes too (small transfers only). */
    java.io.@Nullable ByteArrayOutputStream kept;
    private final byte[] buf = new byte[64 * 1024];

    @Override
    public void onReadable(TcpConnection c) {
      int n;
      while ((n = c.read(buf, 0, buf.length)) > 0) {
        digest.update(buf, 0, n);
        received += n;
        if (kept != null) {
          kept.write(buf, 0, n);
        }
      }
      if (n < 0 && !eof) {
        eof = true;
        if (closeOnEof) {
          c.close();
        }
      }
    }
  }
}
