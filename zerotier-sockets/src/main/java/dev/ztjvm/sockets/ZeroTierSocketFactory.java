package dev.ztjvm.sockets;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.SocketFactory;

/**
 * A {@link SocketFactory} whose sockets go over ZeroTier: give it to any library that takes one (JDBC drivers, HTTP
 * clients, {@code SSLSocketFactory.createSocket(socket, host, port, autoClose)}). Host names are resolved with
 * {@link InetAddress#getByName} (literal addresses need no DNS).
 */
public final class ZeroTierSocketFactory extends SocketFactory {

  private final NetstackHost host;

  public ZeroTierSocketFactory(NetstackHost host) {
    this.host = host;
  }

  @Override
  public Socket createSocket() throws IOException {
    return new ZeroTierSocket(host);
  }

  @Override
  public Socket createSocket(String hostName, int port) throws IOException {
    return createSocket(InetAddress.getByName(hostName), port);
  }

  @Override
  public Socket createSocket(String hostName, int port, InetAddress localAddress, int localPort) throws IOException {
    return createSocket(InetAddress.getByName(hostName), port, localAddress, localPort);
  }

  @Override
  public Socket createSocket(InetAddress address, int port) throws IOException {
    return new ZeroTierSocket(host, address, port);
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    ZeroTierSocket s = new ZeroTierSocket(host);
    try {
      s.bind(new InetSocketAddress(localAddress, localPort));
      s.connect(new InetSocketAddress(address, port));
      return s;
    } catch (IOException | RuntimeException e) {
      s.close();
      throw e;
    }
  }
}
