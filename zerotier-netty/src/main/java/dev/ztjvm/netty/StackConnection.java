package dev.ztjvm.netty;

import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpChannelHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * The stack-loop half of a {@link ZeroTierSocketChannel}: the stack's TCP connection, the chunk being written into
 * it, read demand, and the stack's callbacks, each handed to the channel's Netty loop. Everything here runs on the
 * stack loop except the two write hand-over flags, which both threads use.
 */
final class StackConnection implements TcpChannelHandler {

  private static final int READ_BATCH = 64 * 1024;
  /** Target of the end-of-input probe read, which never receives a byte (it runs only when nothing is buffered). */
  private static final byte[] PROBE = new byte[1];

  private final ZeroTierSocketChannel channel;

  // ---- the stack loop only
  private @Nullable TcpChannel tcp;
  private boolean wantRead;
  private byte @Nullable [] chunk;
  private int chunkOffset;
  private boolean shutdownAfterWrite;
  private boolean closeAfterWrite;
  private boolean closed;
  private boolean failed;

  // ---- write hand-over, both threads: at most one copied chunk is on its way into the stack at a time
  /** Set by the Netty loop when it hands a chunk over; cleared by the stack loop once the stack took all of it. */
  volatile boolean busy;
  /** Set by the Netty loop when it has more to write while the stack is busy; the stack then asks for a flush. */
  volatile boolean flushWaiting;

  StackConnection(ZeroTierSocketChannel channel) {
    this.channel = channel;
  }

  /** The connection, or null before it is made. */
  @Nullable
  TcpChannel tcp() {
    return tcp;
  }

  /** An accepted connection now belongs to this channel (called before the channel is handed to Netty). */
  void attach(TcpChannel c) {
    tcp = c;
    c.setReadInterest(false);
  }

  void connect(InetSocketAddress remote, @Nullable InetSocketAddress local, int timeoutMillis) {
    if (closed) {
      return;
    }
    try {
      TcpChannel t = TcpChannel.connect(channel.host, remote, local, timeoutMillis, this);
      tcp = t;
      channel.config().applyTo(t);
      t.setReadInterest(wantRead);
    } catch (IOException | RuntimeException e) {
      IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
      channel.toLoop(() -> channel.connectFailed(cause));
    }
  }

  /** The Netty loop asks for data. */
  void wantRead() {
    wantRead = true;
    TcpChannel t = tcp;
    if (t != null) {
      t.setReadInterest(true);
    }
  }

  /** Closes (or with {@code reset}, aborts) the connection; a chunk still on its way is sent before the FIN. */
  void close(boolean reset) {
    closed = true;
    TcpChannel t = tcp;
    if (reset) {
      chunk = null;
      if (t != null) {
        t.abort();
      }
    } else if (chunk != null) {
      // Written (the promise succeeded when the bytes were copied) but not all in the stack yet: as a kernel
      // socket's close, send it before the FIN.
      closeAfterWrite = true;
    } else if (t != null) {
      t.close();
    }
  }

  /** Resets the connection unless it is closed already: nobody can hear from it any more. */
  void abandon() {
    if (!closed) {
      closed = true;
      chunk = null;
      TcpChannel t = tcp;
      if (t != null) {
        t.abort();
      }
    }
  }

  void shutdownInput() {
    TcpChannel t = tcp;
    if (t != null) {
      t.shutdownInput();
    }
  }

  void shutdownOutput() {
    TcpChannel t = tcp;
    if (chunk != null) {
      shutdownAfterWrite = true;
    } else if (t != null) {
      t.shutdownOutput();
    }
  }

  /** Applies the channel's options to the connection and reports the buffer sizes the stack settled on. */
  void applyOptions() {
    TcpChannel t = tcp;
    if (t != null && t.isOpen()) {
      channel.config().applyTo(t);
      channel.stackBuffers(t.sendBufferSize(), t.receiveBufferSize());
    }
  }

  void write(byte[] bytes) {
    if (closed) {
      return;
    }
    chunk = bytes;
    chunkOffset = 0;
    flush();
  }

  private void flush() {
    byte[] c = chunk;
    TcpChannel t = tcp;
    if (c == null || t == null) {
      return;
    }
    int off = chunkOffset;
    try {
      while (off < c.length) {
        int n = t.write(c, off, c.length - off);
        if (n <= 0) {
          break;
        }
        off += n;
      }
    } catch (SocketException e) {
      chunk = null;
      channel.toLoop(() -> channel.writeFailed(e));
      return;
    }
    chunkOffset = off;
    if (off < c.length) {
      return; // onWritable continues
    }
    chunk = null;
    if (closeAfterWrite) {
      closeAfterWrite = false;
      t.close();
      return;
    }
    if (shutdownAfterWrite) {
      shutdownAfterWrite = false;
      t.shutdownOutput();
    }
    // Dekker hand-shake with doWrite: it sets flushWaiting, then re-reads busy; we clear busy, then read
    // flushWaiting. One side always sees the other, so a waiting flush is never lost (at worst it runs twice).
    busy = false;
    if (flushWaiting) {
      flushWaiting = false;
      channel.toLoop(channel::stackReady);
    }
  }

  // ------------------------------------------------------------------------------------------- TcpChannelHandler

  @Override
  public void onConnected(TcpChannel c) {
    InetSocketAddress local = c.localAddress();
    InetSocketAddress remote = c.remoteAddress();
    int snd = c.sendBufferSize();
    int rcv = c.receiveBufferSize();
    channel.toLoop(() -> channel.connected(local, remote, snd, rcv));
  }

  @Override
  public void onReadable(TcpChannel t) {
    if (!wantRead || closed) {
      return;
    }
    // Read straight into an array of the exact size handed to the pipeline: one copy out of the stack, and no
    // per-connection scratch buffer (1,000 idle connections would otherwise pin 64 MiB).
    int available = t.available();
    byte[] data = null;
    int total = 0;
    if (available > 0) {
      data = new byte[Math.min(available, READ_BATCH)];
      while (total < data.length) {
        int n = t.read(data, total, data.length - total);
        if (n <= 0) {
          break;
        }
        total += n;
      }
      if (total == 0) {
        data = null;
      } else if (total < data.length) {
        data = Arrays.copyOf(data, total);
      }
    }
    // Everything buffered was taken: see whether the input has ended (the probe cannot take data, there is none).
    boolean end = total == available && t.read(PROBE, 0, 1) < 0;
    if (total == 0 && !end) {
      return;
    }
    wantRead = false;
    t.setReadInterest(false);
    byte[] received = data;
    if (!end) {
      channel.toLoop(() -> channel.received(received, false));
      return;
    }
    // The end of input may be a reset whose onClosed(cause) the stack delivers right after this callback: look once
    // more after it, so a reset surfaces as exceptionCaught (as with a kernel socket) and not as an orderly FIN.
    channel.host.post(() -> {
      boolean reset = failed;
      channel.toLoop(() -> channel.received(received, !reset));
    });
  }

  @Override
  public void onWritable(TcpChannel t) {
    flush();
  }

  @Override
  public void onClosed(TcpChannel t, @Nullable IOException cause) {
    chunk = null;
    failed = cause != null;
    channel.toLoop(() -> channel.stackClosed(cause));
  }
}
