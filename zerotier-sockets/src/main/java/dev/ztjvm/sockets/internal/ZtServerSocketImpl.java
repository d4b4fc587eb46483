package dev.ztjvm.sockets.internal;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.ZeroTierSocketOptions;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpServerChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SocketImpl} of a {@code ZeroTierServerSocket}: bind records the address, listen opens a
 * {@link TcpServerChannel} on the loop, accept waits on this socket's {@link Signal} (fired by accept readiness)
 * with SO_TIMEOUT.
 */
public final class ZtServerSocketImpl extends SocketImpl {

  private final NetstackHost host;
  private final Signal signal = new Signal();
  private volatile @Nullable TcpServerChannel server;
  private volatile boolean closed;
  private @Nullable InetSocketAddress bindAddress;
  private volatile int timeout;
  private int receiveBuffer;
  private boolean reuseAddress = true;
  private volatile boolean v6Only;

  public ZtServerSocketImpl(NetstackHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  protected void create(boolean stream) throws IOException {
    if (!stream) {
      throw new SocketException("stream sockets only");
    }
  }

  @Override
  protected void connect(String host, int port) throws IOException {
    throw doesNotConnect();
  }

  @Override
  protected void connect(InetAddress address, int port) throws IOException {
    throw doesNotConnect();
  }

  @Override
  protected void connect(SocketAddress address, int timeout) throws IOException {
    throw doesNotConnect();
  }

  private static SocketException doesNotConnect() {
    return new SocketException("a server socket does not connect");
  }

  @Override
  protected void bind(InetAddress address, int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    bindAddress = new InetSocketAddress(address, port);
    this.address = address;
    this.localport = port;
  }

  @Override
  protected void listen(int backlog) throws IOException {
    if (closed) {
      throw new SocketException("Socket closed");
    }
    InetSocketAddress b = bindAddress;
    if (b == null) {
      throw new SocketException("not bound");
    }
    TcpServerChannel s = host.call(() -> {
      TcpServerChannel ch = TcpServerChannel.listen(host, b, backlog, srv -> signal.fire());
      ch.setV6Only(v6Only);
      return ch;
    });
    server = s;
    localport = s.port();
  }

  @Override
  protected void accept(SocketImpl s) throws IOException {
    if (!(s instanceof ZtSocketImpl target)) {
      throw new SocketException("a ZeroTier server socket accepts into ZeroTier sockets only, got " + s.getClass());
    }
    long deadline = Signal.deadline(timeout);
    while (true) {
      TcpServerChannel srv = server;
      if (closed || srv == null) {
        throw new SocketException("Socket closed");
      }
      long seen = signal.sequence();
      TcpChannel ch = host.call(() -> srv.isOpen() ? srv.accept(target.events()) : null);
      if (ch != null) {
        target.attachAccepted(ch, timeout);
        return;
      }
      if (closed) {
        throw new SocketException("Socket closed");
      }
      if (!signal.await(seen, deadline)) {
        throw new SocketTimeoutException("Accept timed out");
      }
    }
  }

  @Override
  protected InputStream getInputStream() throws IOException {
    throw new SocketException("a server socket has no streams");
  }

  @Override
  protected OutputStream getOutputStream() throws IOException {
    throw new SocketException("a server socket has no streams");
  }

  @Override
  protected int available() {
    return 0;
  }

  @Override
  protected void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    TcpServerChannel s = server;
    if (s != null && !host.isClosed()) {
      try {
        host.call(() -> {
          s.close();
          return null;
        });
      } catch (SocketException e) {
        // host gone
      }
    }
    signal.fire();
  }

  @Override
  protected void sendUrgentData(int data) throws IOException {
    throw new SocketException("not supported");
  }

  @Override
  public void setOption(int optID, Object value) throws SocketException {
    ImplOptions.ensureOpen(closed);
    switch (optID) {
      case SocketOptions.SO_TIMEOUT -> timeout = ImplOptions.timeout(value);
      case SocketOptions.SO_RCVBUF -> receiveBuffer = (Integer) value;
      case SocketOptions.SO_REUSEADDR -> reuseAddress = (Boolean) value;
      default -> throw ImplOptions.unsupported(optID);
    }
  }

  @Override
  public Object getOption(int optID) throws SocketException {
    ImplOptions.ensureOpen(closed);
    return switch (optID) {
      case SocketOptions.SO_TIMEOUT -> timeout;
      case SocketOptions.SO_RCVBUF -> receiveBuffer > 0 ? receiveBuffer : 0xffff0;
      case SocketOptions.SO_REUSEADDR -> reuseAddress;
      case SocketOptions.SO_BINDADDR -> {
        InetSocketAddress b = bindAddress;
        if (b == null) {
          throw new SocketException("not bound");
        }
        yield b.getAddress();
      }
      default -> throw ImplOptions.unsupported(optID);
    };
  }

  @Override
  protected Set<SocketOption<?>> supportedOptions() {
    return Set.of(StandardSocketOptions.SO_RCVBUF, StandardSocketOptions.SO_REUSEADDR,
        ZeroTierSocketOptions.IPV6_V6ONLY);
  }

  @Override
  protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
    if (name == ZeroTierSocketOptions.IPV6_V6ONLY) {
      boolean on = (Boolean) value;
      v6Only = on;
      TcpServerChannel s = server;
      if (s != null) {
        host.call(() -> {
          s.setV6Only(on);
          return null;
        });
      }
      return;
    }
    setOption(ImplOptions.legacyId(name), value);
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T> T getOption(SocketOption<T> name) throws IOException {
    if (name == ZeroTierSocketOptions.IPV6_V6ONLY) {
      return (T) (Boolean) v6Only;
    }
    return (T) getOption(ImplOptions.legacyId(name));
  }
}
