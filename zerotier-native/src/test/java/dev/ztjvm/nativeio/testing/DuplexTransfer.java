package dev.ztjvm.nativeio.testing;

import dev.ztjvm.netstack.tcp.TcpConnection;
import dev.ztjvm.netstack.tcp.TcpError;
import dev.ztjvm.netstack.tcp.TcpHandler;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * Our end of a TCP run against {@link LinuxSidePeer}'s {@code tcp-server}/{@code tcp-client}, as readiness callbacks
 * on the stack's loop thread: sends {@code sendBytes} of the pseudo-random stream of {@code seed} and half-closes,
 * while reading to end of stream; both directions hashed. Completes {@link #result()} once all is sent and the
 * peer's end of stream is read (then closes), or fails it with the connection's error.
 */
public final class DuplexTransfer implements TcpHandler {

  /** What one end sent and received. */
  public record Result(String sentSha256, long sent, String receivedSha256, long received) {}

  private final long sendBytes;
  private final SplittableRandom random;
  private final MessageDigest sentHash;
  private final MessageDigest receivedHash;
  private final byte[] chunk = new byte[65536];
  private final byte[] readBuffer = new byte[65536];
  private final CompletableFuture<Result> result = new CompletableFuture<>();
  private int chunkOff;
  private int chunkLen;
  private long produced;
  private long received;
  private boolean outputDone;
  private boolean endOfStream;

  public DuplexTransfer(long sendBytes, long seed) {
    this.sendBytes = sendBytes;
    this.random = new SplittableRandom(seed);
    try {
      this.sentHash = MessageDigest.getInstance("SHA-256");
      this.receivedHash = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Completes when the exchange is done; completed on the loop thread. */
  public CompletableFuture<Result> result() {
    return result;
  }

  /** Takes over an accepted (already connected) connection. Loop thread. */
  public void attach(TcpConnection c) {
    c.setHandler(this);
    pump(c);
  }

  @Override
  public void onConnected(TcpConnection c) {
    pump(c);
  }

  @Override
  public void onReadable(TcpConnection c) {
    pump(c);
  }

  @Override
  public void onWritable(TcpConnection c) {
    pump(c);
  }

  @Override
  public void onClosed(TcpConnection c, @Nullable TcpError cause) {
    if (!result.isDone()) {
      pump(c);
    }
    if (!result.isDone()) {
      result.completeExceptionally(new AssertionError("connection ended early: " + (cause == null ? "closed" : cause)
          + " after sending " + (produced - (chunkLen - chunkOff)) + " of " + sendBytes + " and receiving "
          + received + " bytes; " + c));
    }
  }

  private void pump(TcpConnection c) {
    if (result.isDone()) {
      return;
    }
    try {
      int n;
      while ((n = c.read(readBuffer, 0, readBuffer.length)) > 0) {
        receivedHash.update(readBuffer, 0, n);
        received += n;
      }
      if (n < 0) {
        endOfStream = true;
      }
      while (!outputDone) {
        if (chunkOff == chunkLen) {
          int next = (int) Math.min(chunk.length, sendBytes - produced);
          if (next == 0) {
            c.shutdownOutput();
            outputDone = true;
            break;
          }
          LinuxSidePeer.fill(random, chunk, next);
          sentHash.update(chunk, 0, next);
          produced += next;
          chunkOff = 0;
          chunkLen = next;
        }
        int w = c.write(chunk, chunkOff, chunkLen - chunkOff);
        if (w == 0) {
          break;
        }
        chunkOff += w;
      }
      if (outputDone && endOfStream) {
        HexFormat hex = HexFormat.of();
        result.complete(new Result(hex.formatHex(sentHash.digest()), produced, hex.formatHex(receivedHash.digest()),
            received));
        c.close();
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(e);
    }
  }
}
