package dev.ztjvm.tools.iperf;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One data connection of a test and the thread that moves its bytes: a sender writes blocks until stopped, a
 * receiver reads until the connection ends, counting what arrives until the test is stopped (and then still
 * draining, so that the other side's last writes do not block).
 */
final class DataStream {

  private final int id;
  private final Socket socket;
  private final boolean sender;
  private final int blockSize;
  private volatile long bytes;
  private volatile boolean stopped;
  private volatile @Nullable IOException failure;
  private @Nullable Thread thread;

  DataStream(int id, Socket socket, boolean sender, int blockSize) {
    this.id = id;
    this.socket = socket;
    this.sender = sender;
    this.blockSize = blockSize;
  }

  /** iperf3's stream numbering: 1 for the first stream, then 3, 4, 5, … (kept by iperf3 for compatibility). */
  static int idOf(int index) {
    return index == 0 ? 1 : index + 2;
  }

  int id() {
    return id;
  }

  boolean sender() {
    return sender;
  }

  /** Bytes written (sender) or received before the stop (receiver). */
  long bytes() {
    return bytes;
  }

  @Nullable
  IOException failure() {
    return failure;
  }

  void start(String name) {
    Thread t = new Thread(sender ? this::send : this::receive, name + "-" + id);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  private void send() {
    byte[] block = new byte[blockSize];
    SplittableRandom random = new SplittableRandom(id);
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) random.nextInt(256);
    }
    try {
      OutputStream out = socket.getOutputStream();
      while (!stopped) {
        out.write(block);
        bytes += block.length; // one writer thread: a volatile is enough
      }
    } catch (IOException e) {
      if (!stopped) {
        failure = e;
      }
    }
  }

  private void receive() {
    byte[] buffer = new byte[Math.max(blockSize, 64 * 1024)];
    try {
      InputStream in = socket.getInputStream();
      int n;
      while ((n = in.read(buffer)) >= 0) {
        if (!stopped) {
          bytes += n;
        }
      }
    } catch (IOException e) {
      if (!stopped) {
        failure = e;
      }
    }
  }

  /** Ends counting and sending; the thread ends when its current write returns or the connection closes. */
  void stop() {
    stopped = true;
  }

  /** Waits for a sender's current write to finish (the other side keeps reading until the test ends). */
  boolean awaitSenderDone(long millis) throws InterruptedException {
    Thread t = thread;
    if (t == null || !sender) {
      return true;
    }
    t.join(millis);
    return !t.isAlive();
  }

  void close() {
    stopped = true;
    try {
      socket.close();
    } catch (IOException e) {
      // closing: nothing left to do with it
    }
  }

  static long totalBytes(List<DataStream> streams) {
    long sum = 0;
    for (DataStream s : streams) {
      sum += s.bytes();
    }
    return sum;
  }

  /** The first failure of any stream, for the error message when a test breaks. */
  static @Nullable IOException firstFailure(List<DataStream> streams) {
    for (DataStream s : streams) {
      if (s.failure() != null) {
        return s.failure();
      }
    }
    return null;
  }

  static void closeAll(List<DataStream> streams, long joinMillis) {
    for (DataStream s : streams) {
      s.close();
    }
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(joinMillis);
    for (DataStream s : streams) {
      Thread t = s.thread;
      long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
      if (t != null && left > 0) {
        try {
          t.join(left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
