package dev.ztjvm.sockets;

import dev.ztjvm.sockets.internal.ZtSocketImpl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.util.OptionalLong;

/**
 * A TCP socket over a ZeroTier network: a real {@link Socket}, so code written for sockets (streams, timeouts,
 * {@code SSLSocketFactory} layering) runs unchanged. Blocking calls wait on this socket only; the network stack runs
 * on its host's loop thread. Do not call blocking methods on that loop thread.
 *
 * <p>Options: TCP_NODELAY, SO_KEEPALIVE with {@code jdk.net.ExtendedSocketOptions} TCP_KEEPIDLE/KEEPINTERVAL/
 * KEEPCOUNT, SO_LINGER (0 resets on close; n &gt; 0 makes close wait up to n seconds for the data to be
 * acknowledged), SO_TIMEOUT, connect timeout, SO_SNDBUF (caps unacknowledged plus queued bytes), SO_RCVBUF (reported;
 * the window is the stack's), SO_REUSEADDR and IP_TOS (recorded; the stack sends TOS 0). Quirk: after
 * {@code bind(port 0)} the local port reads 0 until {@code connect} picks one.
 */
public class ZeroTierSocket extends Socket {

  private final ZtSocketImpl zimpl;

  /** An unconnected socket on {@code host}. */
  public ZeroTierSocket(NetstackHost host) throws SocketException {
    this(new ZtSocketImpl(host));
  }

  /** A socket connected to {@code address:port}. */
  public ZeroTierSocket(NetstackHost host, InetAddress address, int port) throws IOException {
    this(host);
    try {
      connect(new InetSocketAddress(address, port));
    } catch (IOException | RuntimeException e) {
      close();
      throw e;
    }
  }

  ZeroTierSocket(ZtSocketImpl impl) throws SocketException {
    super(impl);
    this.zimpl = impl;
  }

  /**
   * The 40-bit ZeroTier address of the node on the other end (empty until the node layer installed a resolver on
   * the host, or when the peer is not known).
   */
  public OptionalLong remoteNode() throws IOException {
    return zimpl.remoteNode();
  }

  ZtSocketImpl zeroTierImpl() {
    return zimpl;
  }
}
