package dev.ztjvm.netstack.tcp;

import org.jspecify.annotations.Nullable;

/**
 * Readiness callbacks of one connection, called on the stack's event loop at the end of processing a segment or
 * timer. Handlers may call back into the connection (read, write, close).
 */
public interface TcpHandler {

  /** The handshake completed (active open). Accepted connections are already connected when handed out. */
  default void onConnected(TcpConnection connection) {}

  /** New data or the end of stream can be read. */
  default void onReadable(TcpConnection connection) {}

  /** Acknowledged data freed send-buffer space. */
  default void onWritable(TcpConnection connection) {}

  /**
   * The connection is finished: {@code cause} is null after an orderly close in both directions, otherwise why it
   * failed. Called at most once.
   */
  default void onClosed(TcpConnection connection, @Nullable TcpError cause) {}

  /** A handler that ignores everything (poll the connection instead). */
  TcpHandler NONE = new TcpHandler() {};
}
