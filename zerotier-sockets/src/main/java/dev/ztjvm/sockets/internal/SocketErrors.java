package dev.ztjvm.sockets.internal;

import dev.ztjvm.netstack.tcp.TcpError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;

/** Maps stack errors to the exceptions {@code java.net} users expect. */
public final class SocketErrors {

  private SocketErrors() {}

  /** The exception for a connection that ended with {@code error}; {@code connected} tells handshake completion. */
  public static IOException of(TcpError error, boolean connected) {
    return switch (error) {
      case CONNECTION_REFUSED -> new ConnectException("Connection refused");
      case CONNECTION_RESET -> new SocketException("Connection reset");
      case TIMED_OUT -> connected ? new SocketException("Connection timed out")
          : new ConnectException("Connection timed out");
      case KEEPALIVE_TIMED_OUT -> new SocketException("Connection timed out (keepalive probes unanswered)");
      case HOST_UNREACHABLE -> new NoRouteToHostException("No route to host");
      case ABORTED -> new SocketException("Connection aborted");
    };
  }
}
