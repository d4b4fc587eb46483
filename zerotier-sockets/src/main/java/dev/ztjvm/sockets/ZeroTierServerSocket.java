package dev.ztjvm.sockets;

import dev.ztjvm.sockets.internal.ZtServerSocketImpl;
import dev.ztjvm.sockets.internal.ZtSocketImpl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * A listening TCP socket over ZeroTier: a real {@link ServerSocket} whose {@link #accept()} returns
 * {@link ZeroTierSocket}s. Bound to a ZeroTier address, or to the wildcard: every interface of the host (IPv4 and
 * IPv6; set {@link ZeroTierSocketOptions#IPV6_V6ONLY} for IPv6 only). SO_TIMEOUT makes accept throw
 * {@link SocketTimeoutException}.
 */
public class ZeroTierServerSocket extends ServerSocket {

  private final NetstackHost host;

  /** An unbound server socket. */
  public ZeroTierServerSocket(NetstackHost host) throws IOException {
    super(new ZtServerSocketImpl(host));
    this.host = host;
  }

  /** Bound to the wildcard address and {@code port} (0: a free port). */
  public ZeroTierServerSocket(NetstackHost host, int port) throws IOException {
    this(host, port, 50, null);
  }

  /** Bound to {@code address} (null: wildcard) and {@code port} with an accept backlog. */
  public ZeroTierServerSocket(NetstackHost host, int port, int backlog, @Nullable InetAddress address)
      throws IOException {
    this(host);
    try {
      bind(address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port), backlog);
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  @Override
  public ZeroTierSocket accept() throws IOException {
    if (isClosed()) {
      throw new SocketException("Socket is closed");
    }
    if (!isBound()) {
      throw new SocketException("Socket is not bound yet");
    }
    ZeroTierSocket s = new ZeroTierSocket(new ZtSocketImpl(host));
    try {
      implAccept(s);
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
    return s;
  }
}
