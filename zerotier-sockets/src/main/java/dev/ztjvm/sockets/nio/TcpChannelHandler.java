package dev.ztjvm.sockets.nio;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** Callbacks of one {@link TcpChannel}; all run on the host's loop thread (see the package documentation). */
public interface TcpChannelHandler {

  /** The connection is established (active open). Accepted channels are connected when handed out. */
  default void onConnected(TcpChannel channel) {}

  /** Data or the end of stream can be read (only while read interest is on). */
  default void onReadable(TcpChannel channel) {}

  /** Send-buffer space freed after a write took less than offered. */
  default void onWritable(TcpChannel channel) {}

  /**
   * The channel is finished, at most once. {@code cause} is null after an orderly close or a local
   * close/abort; otherwise it says why: {@link java.net.ConnectException} ("Connection refused", "Connection timed
   * out"), {@link java.net.SocketTimeoutException} (connect timeout), {@link java.net.NoRouteToHostException},
   * {@link java.net.SocketException} ("Connection reset", ...).
   */
  default void onClosed(TcpChannel channel, @Nullable IOException cause) {}
}
