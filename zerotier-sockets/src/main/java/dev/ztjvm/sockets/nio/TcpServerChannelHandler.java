package dev.ztjvm.sockets.nio;

/** Accept readiness of a {@link TcpServerChannel}; runs on the host's loop thread. */
@FunctionalInterface
public interface TcpServerChannelHandler {

  /** At least one connection can be {@link TcpServerChannel#accept accepted} (only while accept interest is on). */
  void onAcceptable(TcpServerChannel server);
}
