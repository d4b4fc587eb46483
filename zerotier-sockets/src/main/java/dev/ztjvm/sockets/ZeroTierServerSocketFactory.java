package dev.ztjvm.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import javax.net.ServerSocketFactory;
import org.jspecify.annotations.Nullable;

/** A {@link ServerSocketFactory} making {@link ZeroTierServerSocket}s, for servers that take one. */
public final class ZeroTierServerSocketFactory extends ServerSocketFactory {

  private final NetstackHost host;

  public ZeroTierServerSocketFactory(NetstackHost host) {
    this.host = host;
  }

  @Override
  public ServerSocket createServerSocket() throws IOException {
    return new ZeroTierServerSocket(host);
  }

  @Override
  public ServerSocket createServerSocket(int port) throws IOException {
    return new ZeroTierServerSocket(host, port);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog) throws IOException {
    return new ZeroTierServerSocket(host, port, backlog, null);
  }

  @Override
  public ServerSocket createServerSocket(int port, int backlog, @Nullable InetAddress address)
      throws IOException {
    return new ZeroTierServerSocket(host, port, backlog, address);
  }
}
