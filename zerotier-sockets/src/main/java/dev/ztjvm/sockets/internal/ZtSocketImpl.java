package dev.ztjvm.sockets.internal;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpChannelHandler;
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
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import jdk.net.ExtendedSocketOptions;
import org.jspecify.annotations.Nullable;

/**
 * The {@link SocketImpl} of a connected (client or accepted) ZeroTier TCP socket: a blocking facade over a
 * {@link TcpChannel}. Each blocking call posts its work to the host's loop and, when it must wait, sleeps on this
 * socket's own {@link Signal}, fired by the channel's callbacks. Reads and writes may run on two threads at once
 * (full duplex); two concurrent readers (or writers) are serialised by the stream.
 */
public final class ZtSocketImpl extends SocketImpl {

  private final NetstackHost host;
  private final Signal signal = new Signal();
  private final Object readLock = new Object();
  private final Object writeLock = new Object();
  private volatile @Nullable TcpChannel channel;
  private volatile boolean connected;
  private volatile boolean finished;
  private volatile @Nullable IOException failure;
  private volatile boolean closed;
  private volatile boolean inputShut;
  private volatile boolean outputShut;
  private @Nullable InetSocketAddress bindAddress;
  // options (applied to the channel when it exists)
  private volatile int timeout;
  private boolean noDelay;
  private boolean keepAlive;
  private int keepIdle = -1;
  private int keepInterval = -1;
  private int keepCount = -1;
  private int linger = -1;
  private int sendBuffer;
  private int receiveBuffer;
  private int trafficClass;
  private boolean reuseAddress;
  private final InputStream in = new In();
  private final OutputStream out = new Out();

  private final TcpChannelHandler events = new TcpChannelHandler() {
    @Override
    public void onConnected(TcpChannel c) {
      connected = true;
      signal.fire();
    }

    @Override
    public void onReadable(TcpChannel c) {
      signal.fire();
    }

    @Override
    public void onWritable(TcpChannel c) {
      signal.fire();
    }

    @Override
    public void onClosed(TcpChannel c, @Nullable IOException cause) {
      failure = cause;
      finished = true;
      signal.fire();
    }
  };

  public ZtSocketImpl(NetstackHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  /** The handler accepted channels must be given (used by the server impl). */
  TcpChannelHandler events() {
    return events;
  }

  /** Binds this impl to a channel handed out by a server socket. */
  void attachAccepted(TcpChannel ch, int serverTimeout) {
    channel = ch;
    connected = true;
    InetSocketAddress r = ch.remoteAddress();
    address = r.getAddress();
    port = r.getPort();
    localport = ch.localAddress().getPort();
    bindAddress = ch.localAddress();
  }

  // ------------------------------------------------------------------------------------------------ lifecycle

  @Override
  protected void create(boolean stream) throws IOException {
    if (!stream) {
      throw new SocketException("ZeroTier stream sockets only (use ZeroTierDatagramSocket for UDP)");
    }
  }

  @Override
  protected void connect(String host, int port) throws IOException {
    connect(new InetSocketAddress(host, port), 0);
  }

  @Override
  protected void connect(InetAddress address, int port) throws IOException {
    connect(new InetSocketAddress(address, port), 0);
  }

  @Override
  protected void connect(SocketAddress remote, int connectTimeoutMillis) throws IOException {
    if (!(remote instanceof InetSocketAddress isa)) {
      throw new IllegalArgumentException("unsupported address type " + remote.getClass());
    }
    if (isa.isUnresolved()) {
      throw new UnknownHostException(isa.getHostString());
    }
    if (closed) {
      throw new SocketException("Socket closed");
    }
    InetSocketAddress local = bindAddress;
    TcpChannel ch = host.call(() -> {
      TcpChannel c = TcpChannel.connect(host, isa, local, connectTimeoutMillis, events);
      applyOptions(c);
      return c;
    });
    channel = ch;
    while (true) {
      long seen = signal.sequence();
      if (connected) {
        break;
      }
      if (finished) {
        IOException f = failure;
        throw f != null ? f : new SocketException("Connection closed during connect");
      }
      if (closed) {
        throw new SocketException("Socket closed");
      }
      signal.await(seen, 0);
    }
    address = isa.getAddress();
    port = isa.getPort();
    InetSocketAddress l = ch.localAddress();
    localport = l.getPort();
    bindAddress = l;
  }

  @Override
  protected void bind(InetAddress host, int port) throws IOException {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    if (!host.isAnyLocalAddress()) {
      boolean ours = this.host.call(() -> this.host.interfaceWithAddress(host) != null);
      if (!ours) {
        throw ImplOptions.notLocal(host);
      }
    }
    bindAddress = new InetSocketAddress(host, port);
    localport = port;
  }

  @Override
  protected void listen(int backlog) throws IOException {
    throw new SocketException("not a server socket");
  }

  @Override
  protected void accept(SocketImpl s) throws IOException {
    throw new SocketException("not a server socket");
  }

  @Override
  protected InputStream getInputStream() throws IOException {
    checkUsable();
    return in;
  }

  @Override
  protected OutputStream getOutputStream() throws IOException {
    checkUsable();
    return out;
  }

  @Override
  protected int available() throws IOException {
    TcpChannel ch = checkUsable();
    if (inputShut) {
      return 0;
    }
    return host.call(ch::available);
  }

  @Override
  protected void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    TcpChannel ch = channel;
    if (ch != null && !host.isClosed()) {
      int l = linger;
      try {
        host.call(() -> {
          if (l == 0) {
            ch.abort();
          } else {
            ch.close();
          }
          return null;
        });
        if (l > 0) {
          lingerUntilSent(ch, l);
        }
      } catch (SocketException e) {
        // the host is gone: nothing left to close
      }
    }
    signal.fire(); // wake blocked readers and writers: they see "Socket closed"
  }

  private void lingerUntilSent(TcpChannel ch, int seconds) throws IOException {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L;
    while (System.nanoTime() - deadline < 0) {
      int unacked = host.call(() -> ch.isFinished() ? 0 : ch.unacknowledgedBytes());
      if (unacked == 0) {
        return;
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  @Override
  protected void shutdownInput() throws IOException {
    TcpChannel ch = checkUsable();
    inputShut = true;
    host.call(() -> {
      ch.shutdownInput();
      return null;
    });
    signal.fire();
  }

  @Override
  protected void shutdownOutput() throws IOException {
    TcpChannel ch = checkUsable();
    outputShut = true;
    host.call(() -> {
      ch.shutdownOutput();
      return null;
    });
  }

  @Override
  protected void sendUrgentData(int data) throws IOException {
    throw new SocketException("Urgent data is not supported");
  }

  private TcpChannel checkUsable() throws SocketException {
    if (closed) {
      throw new SocketException("Socket closed");
    }
    TcpChannel ch = channel;
    if (ch == null) {
      throw new SocketException("Socket is not connected");
    }
    return ch;
  }

  /** The 40-bit ZeroTier address of the peer's node, if the node layer's resolver knows it. */
  public OptionalLong remoteNode() throws IOException {
    TcpChannel ch = checkUsable();
    long n = host.call(ch::remoteNode);
    return n < 0 ? OptionalLong.empty() : OptionalLong.of(n);
  }

  /** The channel, once connected (for diagnostics and tests). */
  public @Nullable TcpChannel channel() {
    return channel;
  }

  // ------------------------------------------------------------------------------------------------ data

  private int read(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    if (len == 0) {
      return 0;
    }
    synchronized (readLock) {
      TcpChannel ch = checkUsable();
      long deadline = Signal.deadline(timeout);
      while (true) {
        if (inputShut) {
          return -1;
        }
        long seen = signal.sequence();
        int n = host.call(() -> {
          int r = ch.read(b, off, len);
          if (r < 0 && failure != null) {
            throw copy(failure);
          }
          return r;
        });
        if (n != 0) {
          return n;
        }
        if (closed) {
          throw new SocketException("Socket closed");
        }
        if (!signal.await(seen, deadline)) {
          throw new SocketTimeoutException("Read timed out");
        }
      }
    }
  }

  private void write(byte[] b, int off, int len) throws IOException {
    Objects.checkFromIndexSize(off, len, b.length);
    synchronized (writeLock) {
      TcpChannel ch = checkUsable();
      int o = off;
      int left = len;
      while (left > 0) {
        long seen = signal.sequence();
        if (finished) {
          IOException f = failure;
          throw f != null ? copy(f) : new SocketException("Broken pipe");
        }
        final int fo = o;
        final int fl = left;
        int n = host.call(() -> ch.write(b, fo, fl));
        o += n;
        left -= n;
        if (left > 0 && n == 0) {
          if (closed) {
            throw new SocketException("Socket closed");
          }
          signal.await(seen, 0);
        }
      }
    }
  }

  private static IOException copy(IOException e) {
    IOException c = e instanceof SocketException ? new SocketException(e.getMessage())
        : new IOException(e.getMessage());
    c.initCause(e);
    return c;
  }

  private final class In extends InputStream {
    private final byte[] one = new byte[1];

    @Override
    public int read() throws IOException {
      int n = ZtSocketImpl.this.read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      return ZtSocketImpl.this.read(b, off, len);
    }

    @Override
    public int available() throws IOException {
      return ZtSocketImpl.this.available();
    }

    @Override
    public void close() throws IOException {
      ZtSocketImpl.this.close();
    }
  }

  private final class Out extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      ZtSocketImpl.this.write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      ZtSocketImpl.this.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      ZtSocketImpl.this.close();
    }
  }

  // ------------------------------------------------------------------------------------------------ options

  private void applyOptions(TcpChannel c) {
    c.setNoDelay(noDelay);
    c.setKeepAlive(keepAlive);
    if (keepIdle > 0 || keepInterval > 0 || keepCount > 0) {
      c.setKeepAliveTiming(keepIdle > 0 ? keepIdle : c.keepAliveIdleSeconds(),
          keepInterval > 0 ? keepInterval : c.keepAliveIntervalSeconds(),
          keepCount > 0 ? keepCount : c.keepAliveCount());
    }
    if (sendBuffer > 0) {
      c.setSendBufferSize(sendBuffer);
    }
    if (receiveBuffer > 0) {
      c.setReceiveBufferSize(receiveBuffer);
    }
    c.setTrafficClass(trafficClass);
  }

  private void reapply() throws IOException {
    TcpChannel c = channel;
    if (c != null && !closed) {
      host.call(() -> {
        applyOptions(c);
        return null;
      });
    }
  }

  @Override
  public void setOption(int optID, Object value) throws SocketException {
    ImplOptions.ensureOpen(closed);
    switch (optID) {
      case SocketOptions.SO_TIMEOUT -> {
        timeout = ImplOptions.timeout(value);
        return;
      }
      case SocketOptions.TCP_NODELAY -> noDelay = (Boolean) value;
      case SocketOptions.SO_KEEPALIVE -> keepAlive = (Boolean) value;
      case SocketOptions.SO_LINGER -> linger = value instanceof Integer i ? Math.min(i, 65535) : -1;
      case SocketOptions.SO_SNDBUF -> sendBuffer = ImplOptions.positive(value, "SO_SNDBUF");
      case SocketOptions.SO_RCVBUF -> receiveBuffer = ImplOptions.positive(value, "SO_RCVBUF");
      case SocketOptions.IP_TOS -> trafficClass = ((Integer) value) & 0xff;
      case SocketOptions.SO_REUSEADDR -> reuseAddress = (Boolean) value;
      case SocketOptions.SO_OOBINLINE -> {
        if ((Boolean) value) {
          throw new SocketException("SO_OOBINLINE is not supported");
        }
        return;
      }
      default -> throw ImplOptions.unsupported(optID);
    }
    try {
      reapply();
    } catch (IOException e) {
      throw ImplOptions.asSocketException(e);
    }
  }

  @Override
  public Object getOption(int optID) throws SocketException {
    ImplOptions.ensureOpen(closed);
    return switch (optID) {
      case SocketOptions.SO_TIMEOUT -> timeout;
      case SocketOptions.TCP_NODELAY -> noDelay;
      case SocketOptions.SO_KEEPALIVE -> keepAlive;
      case SocketOptions.SO_LINGER -> linger >= 0 ? (Object) linger : (Object) Boolean.FALSE;
      case SocketOptions.SO_SNDBUF -> sendBuffer > 0 ? sendBuffer : effective(c -> c.sendBufferSize(), 1 << 20);
      case SocketOptions.SO_RCVBUF -> receiveBuffer > 0 ? receiveBuffer
          : effective(c -> c.receiveBufferSize(), 0xffff0);
      case SocketOptions.IP_TOS -> trafficClass;
      case SocketOptions.SO_REUSEADDR -> reuseAddress;
      case SocketOptions.SO_OOBINLINE -> false;
      case SocketOptions.SO_BINDADDR -> {
        InetSocketAddress b = bindAddress;
        yield b == null ? ImplOptions.ANY_LOCAL : b.getAddress();
      }
      default -> throw ImplOptions.unsupported(optID);
    };
  }

  private int effective(java.util.function.ToIntFunction<TcpChannel> f, int fallback) throws SocketException {
    TcpChannel c = channel;
    if (c == null) {
      return fallback;
    }
    return ImplOptions.callOnLoop(host, () -> f.applyAsInt(c));
  }

  @Override
  protected Set<SocketOption<?>> supportedOptions() {
    return Set.of(StandardSocketOptions.TCP_NODELAY, StandardSocketOptions.SO_KEEPALIVE,
        StandardSocketOptions.SO_LINGER, StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
        StandardSocketOptions.IP_TOS, StandardSocketOptions.SO_REUSEADDR, ExtendedSocketOptions.TCP_KEEPIDLE,
        ExtendedSocketOptions.TCP_KEEPINTERVAL, ExtendedSocketOptions.TCP_KEEPCOUNT);
  }

  @Override
  protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
    if (name == ExtendedSocketOptions.TCP_KEEPIDLE) {
      keepIdle = ImplOptions.positive(value, "TCP_KEEPIDLE");
    } else if (name == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
      keepInterval = ImplOptions.positive(value, "TCP_KEEPINTERVAL");
    } else if (name == ExtendedSocketOptions.TCP_KEEPCOUNT) {
      keepCount = ImplOptions.positive(value, "TCP_KEEPCOUNT");
    } else if (name == StandardSocketOptions.SO_LINGER) {
      int l = (Integer) value;
      setOption(SocketOptions.SO_LINGER, l < 0 ? (Object) Boolean.FALSE : (Object) l);
      return;
    } else {
      setOption(ImplOptions.legacyId(name), value);
      return;
    }
    ImplOptions.ensureOpen(closed);
    reapply();
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T> T getOption(SocketOption<T> name) throws IOException {
    if (name == ExtendedSocketOptions.TCP_KEEPIDLE) {
      return (T) (Integer) (keepIdle > 0 ? keepIdle : (int) effectiveKeep(0));
    } else if (name == ExtendedSocketOptions.TCP_KEEPINTERVAL) {
      return (T) (Integer) (keepInterval > 0 ? keepInterval : (int) effectiveKeep(1));
    } else if (name == ExtendedSocketOptions.TCP_KEEPCOUNT) {
      return (T) (Integer) (keepCount > 0 ? keepCount : (int) effectiveKeep(2));
    } else if (name == StandardSocketOptions.SO_LINGER) {
      return (T) (Integer) linger;
    }
    return (T) getOption(ImplOptions.legacyId(name));
  }

  private long effectiveKeep(int which) throws SocketException {
    return effective(c -> which == 0 ? c.keepAliveIdleSeconds()
        : which == 1 ? c.keepAliveIntervalSeconds() : c.keepAliveCount(), which == 0 ? 7200 : which == 1 ? 75 : 9);
  }
}
