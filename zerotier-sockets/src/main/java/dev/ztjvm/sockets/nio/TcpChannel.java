package dev.ztjvm.sockets.nio;

import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.tcp.TcpConnection;
import dev.ztjvm.netstack.tcp.TcpError;
import dev.ztjvm.netstack.tcp.TcpHandler;
import dev.ztjvm.netstack.tcp.TcpStack;
import dev.ztjvm.netstack.tcp.TcpState;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.internal.SocketErrors;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One non-blocking TCP connection of a {@link NetstackHost}. Loop-confined: see the package documentation for the
 * threading contract. Made by {@link #connect} or {@link TcpServerChannel#accept}.
 */
public final class TcpChannel {

  private final NetstackHost host;
  private final EventLoop loop;
  private final NetworkInterface nif;
  private final TcpConnection connection;
  private final InetSocketAddress localAddress;
  private final InetSocketAddress remoteAddress;
  private TcpChannelHandler handler;
  private boolean connected;
  private boolean userClosed;
  private boolean finished;
  private boolean localAbort;
  private boolean readInterest = true;
  private boolean readFirePosted;
  private boolean writeWanted;
  private boolean inputShutdown;
  private @Nullable IOException pendingCause;
  private EventLoop.@Nullable Timer connectTimer;
  private int sendBufferLimit;
  private int receiveBufferSize;
  private int trafficClass;
  private byte @Nullable [] scratch;
  private @Nullable Object attachment;

  private TcpChannel(NetstackHost host, NetworkInterface nif, TcpConnection connection, TcpChannelHandler handler,
      boolean connected) {
    this.host = host;
    this.loop = host.loop();
    this.nif = nif;
    this.connection = connection;
    this.handler = handler;
    this.connected = connected;
    this.localAddress = socketAddress(connection.localAddress(), connection.localPort());
    this.remoteAddress = socketAddress(connection.remoteAddress(), connection.remotePort());
    this.receiveBufferSize = stack(nif).config().receiveBufferSize();
    connection.setHandler(new Events());
  }

  /**
   * Starts an active open (loop only). The result arrives as {@link TcpChannelHandler#onConnected} or
   * {@link TcpChannelHandler#onClosed} with the cause.
   *
   * @param remote the peer (a resolved address)
   * @param local the local address and port to use, or {@code null}; a wildcard address means "pick by route"
   * @param connectTimeoutMillis 0 for none (the stack's SYN retries still end the attempt)
   * @throws NoRouteToHostException if no interface reaches {@code remote}
   * @throws BindException if {@code local} is not an address of this host or the port is in use
   */
  public static TcpChannel connect(NetstackHost host, InetSocketAddress remote, @Nullable InetSocketAddress local,
      int connectTimeoutMillis, TcpChannelHandler handler) throws IOException {
    checkLoop(host);
    Objects.requireNonNull(handler, "handler");
    if (remote.isUnresolved()) {
      throw new UnknownHostException(remote.getHostString());
    }
    if (remote.getPort() <= 0 || remote.getPort() > 65535) {
      throw new IllegalArgumentException("remote port out of range: " + remote.getPort());
    }
    InetAddress dst = remote.getAddress();
    byte[] dstBytes = dst.getAddress();
    NetworkInterface nif;
    byte[] src;
    int localPort = local == null ? 0 : local.getPort();
    if (local != null && !local.getAddress().isAnyLocalAddress()) {
      nif = host.interfaceWithAddress(local.getAddress());
      if (nif == null) {
        throw new BindException("Cannot assign requested address: " + local.getAddress().getHostAddress());
      }
      src = local.getAddress().getAddress();
      if (src.length != dstBytes.length) {
        throw new NoRouteToHostException("Local address " + local.getAddress().getHostAddress()
            + " is of another family than " + dst.getHostAddress());
      }
    } else {
      nif = host.interfaceFor(dst);
      if (nif == null) {
        throw new NoRouteToHostException("No route to host " + dst.getHostAddress());
      }
      src = nif.sourceAddressFor(dstBytes);
      if (src == null) {
        throw new NoRouteToHostException("No source address towards " + dst.getHostAddress());
      }
    }
    TcpConnection c;
    try {
      c = stack(nif).connect(src, localPort, dstBytes, remote.getPort(), TcpHandler.NONE);
    } catch (IllegalStateException e) {
      throw new BindException("No free local port towards " + remote);
    } catch (IllegalArgumentException e) {
      throw new BindException("Address already in use: " + e.getMessage());
    }
    TcpChannel ch = new TcpChannel(host, nif, c, handler, false);
    if (connectTimeoutMillis > 0) {
      ch.connectTimer = host.loop().schedule(TimeUnit.MILLISECONDS.toNanos(connectTimeoutMillis), ch::connectTimedOut);
    }
    host.wakeup();
    return ch;
  }

  static TcpChannel accepted(NetstackHost host, NetworkInterface nif, TcpConnection c, TcpChannelHandler handler) {
    return new TcpChannel(host, nif, c, handler, true);
  }

  private void connectTimedOut() {
    connectTimer = null;
    if (!connected && !finished) {
      pendingCause = new SocketTimeoutException("Connect timed out");
      connection.abort();
      host.wakeup();
    }
  }

  // ------------------------------------------------------------------------------------------------ I/O

  /**
   * Reads into {@code dst[off, off+len)}: the count, 0 if nothing is buffered, -1 at the end of stream (or after
   * {@link #shutdownInput()} or a failure).
   */
  public int read(byte[] dst, int off, int len) {
    checkLoop();
    if (inputShutdown) {
      return -1;
    }
    int n = connection.read(dst, off, len);
    if (n > 0) {
      host.wakeup(); // a window update may be due
    }
    return n;
  }

  /** Reads into {@code dst}'s remaining space; as {@link #read(byte[], int, int)}. */
  public int read(ByteBuffer dst) {
    if (dst.hasArray()) {
      int n = read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
      if (n > 0) {
        dst.position(dst.position() + n);
      }
      return n;
    }
    byte[] s = scratch(dst.remaining());
    int n = read(s, 0, Math.min(s.length, dst.remaining()));
    if (n > 0) {
      dst.put(s, 0, n);
    }
    return n;
  }

  /**
   * Queues up to {@code len} bytes and returns how many fit in the send buffer; if fewer than {@code len},
   * {@link TcpChannelHandler#onWritable} follows when space frees.
   *
   * @throws SocketException if the channel is closed, failed or its output was shut down
   */
  public int write(byte[] src, int off, int len) throws SocketException {
    checkLoop();
    Objects.checkFromIndexSize(off, len, src.length);
    if (userClosed || finished || connection.state() == TcpState.CLOSED) {
      throw new SocketException("Socket is closed");
    }
    if (connection.isOutputShutdown()) {
      throw new SocketException("Socket output is shut down");
    }
    int room = writableBytes();
    int n = room > 0 ? connection.write(src, off, Math.min(len, room)) : 0;
    if (n < len) {
      writeWanted = true;
    }
    if (n > 0) {
      host.wakeup();
    }
    return n;
  }

  /** Writes from {@code src}'s remaining bytes; as {@link #write(byte[], int, int)}. */
  public int write(ByteBuffer src) throws SocketException {
    if (src.hasArray()) {
      int n = write(src.array(), src.arrayOffset() + src.position(), src.remaining());
      src.position(src.position() + n);
      return n;
    }
    int want = Math.min(src.remaining(), Math.max(0, writableBytes()));
    byte[] s = scratch(want);
    want = Math.min(want, s.length);
    src.get(s, 0, want);
    int n = write(s, 0, want);
    if (n < want) {
      src.position(src.position() - (want - n));
    }
    if (src.hasRemaining()) {
      writeWanted = true;
    }
    return n;
  }

  /** How many bytes {@link #write} would take now (the send buffer's free space, within SO_SNDBUF). */
  public int writableBytes() {
    checkLoop();
    int room = connection.writableBytes();
    if (sendBufferLimit > 0) {
      room = Math.min(room, sendBufferLimit - connection.unacknowledgedBytes());
    }
    return Math.max(0, room);
  }

  /** Bytes readable now without waiting. */
  public int available() {
    checkLoop();
    return inputShutdown ? 0 : connection.available();
  }

  /** Bytes written but not yet acknowledged by the peer. */
  public int unacknowledgedBytes() {
    checkLoop();
    return connection.unacknowledgedBytes();
  }

  /** True once the peer's FIN was read (or input was shut down). */
  public boolean isInputEnded() {
    checkLoop();
    return inputShutdown || connection.isEndOfStream();
  }

  // ------------------------------------------------------------------------------------------------ demand

  /**
   * Switches read demand. On: {@link TcpChannelHandler#onReadable} fires for arriving data, and once soon if data
   * is already buffered. Off: nothing is read; the receive window closes and the peer is held back.
   */
  public void setReadInterest(boolean on) {
    checkLoop();
    readInterest = on;
    if (on && !readFirePosted && (connection.available() > 0 || connection.isEndOfStream()
        || connection.state() == TcpState.CLOSED)) {
      readFirePosted = true;
      loop.execute(() -> {
        readFirePosted = false;
        if (readInterest) {
          handler.onReadable(this);
        }
      });
    }
  }

  public boolean readInterest() {
    return readInterest;
  }

  // ------------------------------------------------------------------------------------------------ close

  /** Half-close: FIN after the buffered data; reading continues. */
  public void shutdownOutput() {
    checkLoop();
    connection.shutdownOutput();
    host.wakeup();
  }

  public boolean isOutputShutdown() {
    return connection.isOutputShutdown();
  }

  /** Stops reading: buffered and further data is discarded and {@link #read} returns -1. */
  public void shutdownInput() {
    checkLoop();
    inputShutdown = true;
    discardInput();
  }

  public boolean isInputShutdown() {
    return inputShutdown;
  }

  private void discardInput() {
    byte[] s = scratch(16384);
    while (connection.read(s, 0, s.length) > 0) {
      // discard
    }
    host.wakeup();
  }

  /**
   * Closes: an orderly FIN after buffered data, or a reset if received data was left unread. Idempotent;
   * {@link TcpChannelHandler#onClosed} follows once the stack has finished with the connection.
   */
  public void close() {
    checkLoop();
    if (userClosed) {
      return;
    }
    userClosed = true;
    cancelConnectTimer();
    if (inputShutdown) {
      discardInput();
    }
    connection.close();
    host.wakeup();
  }

  /** Resets the connection at once (RST); pending data is discarded; {@code onClosed} follows with no cause. */
  public void abort() {
    checkLoop();
    userClosed = true;
    localAbort = true;
    cancelConnectTimer();
    connection.abort();
    host.wakeup();
  }

  private void cancelConnectTimer() {
    EventLoop.Timer t = connectTimer;
    if (t != null) {
      t.cancel();
      connectTimer = null;
    }
  }

  /** Neither closed by the application nor finished by the stack. */
  public boolean isOpen() {
    return !userClosed && !finished;
  }

  /** The handshake completed and the connection has not finished. */
  public boolean isActive() {
    return connected && !finished && !userClosed;
  }

  public boolean isConnected() {
    return connected;
  }

  /** Whether {@link TcpChannelHandler#onClosed} was delivered. */
  public boolean isFinished() {
    return finished;
  }

  // ------------------------------------------------------------------------------------------------ options

  public void setNoDelay(boolean on) {
    checkLoop();
    connection.setNoDelay(on);
    host.wakeup();
  }

  public boolean noDelay() {
    return connection.noDelay();
  }

  public void setKeepAlive(boolean on) {
    checkLoop();
    connection.setKeepAlive(on);
    host.wakeup();
  }

  public boolean keepAlive() {
    return connection.keepAlive();
  }

  /** Keepalive timing of this connection: idle seconds, seconds between probes, probes before failing. */
  public void setKeepAliveTiming(int idleSeconds, int intervalSeconds, int count) {
    checkLoop();
    connection.setKeepAliveTiming(TimeUnit.SECONDS.toNanos(idleSeconds), TimeUnit.SECONDS.toNanos(intervalSeconds),
        count);
    host.wakeup();
  }

  public int keepAliveIdleSeconds() {
    return (int) TimeUnit.NANOSECONDS.toSeconds(connection.keepAliveIdleNanos());
  }

  public int keepAliveIntervalSeconds() {
    return (int) TimeUnit.NANOSECONDS.toSeconds(connection.keepAliveIntervalNanos());
  }

  public int keepAliveCount() {
    return connection.keepAliveCount();
  }

  /**
   * Caps the bytes in flight plus queued (SO_SNDBUF) below the stack's send buffer; 0 restores the stack's size.
   */
  public void setSendBufferSize(int bytes) {
    checkLoop();
    if (bytes < 0) {
      throw new IllegalArgumentException("negative send buffer size");
    }
    int max = stack(nif).config().sendBufferSize();
    sendBufferLimit = bytes >= max ? 0 : bytes;
  }

  public int sendBufferSize() {
    return sendBufferLimit > 0 ? sendBufferLimit : stack(nif).config().sendBufferSize();
  }

  /**
   * Records SO_RCVBUF. The receive window is the stack's ({@code TcpConfig.receiveBufferSize}); a value above it
   * is reported as the stack's size, a smaller one is kept as a hint.
   */
  public void setReceiveBufferSize(int bytes) {
    checkLoop();
    if (bytes <= 0) {
      throw new IllegalArgumentException("receive buffer size must be positive");
    }
    receiveBufferSize = Math.min(bytes, stack(nif).config().receiveBufferSize());
  }

  public int receiveBufferSize() {
    return receiveBufferSize;
  }

  /** Records IP_TOS (the userspace stack sends TOS 0; the value is kept for getters). */
  public void setTrafficClass(int tc) {
    trafficClass = tc & 0xff;
  }

  public int trafficClass() {
    return trafficClass;
  }

  // ------------------------------------------------------------------------------------------------ identity

  public InetSocketAddress localAddress() {
    return localAddress;
  }

  public InetSocketAddress remoteAddress() {
    return remoteAddress;
  }

  /** The interface carrying this connection. */
  public NetworkInterface networkInterface() {
    return nif;
  }

  /** The 40-bit ZeroTier address of the node on the other end, or -1 if unknown (see NetstackHost). */
  public long remoteNode() {
    checkLoop();
    return host.remoteNode(nif, remoteAddress.getAddress());
  }

  public NetstackHost host() {
    return host;
  }

  /** Replaces the callbacks. */
  public void setHandler(TcpChannelHandler handler) {
    checkLoop();
    this.handler = Objects.requireNonNull(handler, "handler");
  }

  /** A slot for the framework's own object (e.g. its channel). */
  public @Nullable Object attachment() {
    return attachment;
  }

  public void attach(@Nullable Object attachment) {
    this.attachment = attachment;
  }

  @Override
  public String toString() {
    return "TcpChannel[" + localAddress + " -> " + remoteAddress + " " + connection.state() + "]";
  }

  // ------------------------------------------------------------------------------------------------ internals

  private byte[] scratch(int want) {
    byte[] s = scratch;
    if (s == null || s.length < Math.min(Math.max(want, 4096), 65536)) {
      s = new byte[Math.min(Math.max(want, 4096), 65536)];
      scratch = s;
    }
    return s;
  }

  static TcpStack stack(NetworkInterface nif) {
    TcpStack s = nif.tcp();
    if (s == null) {
      throw new IllegalStateException("TCP is not enabled on " + nif.mac());
    }
    return s;
  }

  private void checkLoop() {
    if (!loop.inLoop()) {
      throw new IllegalStateException("TcpChannel must be used on its host's loop thread");
    }
  }

  static void checkLoop(NetstackHost host) {
    if (!host.loop().inLoop()) {
      throw new IllegalStateException("must be called on the host's loop thread");
    }
  }

  private static InetSocketAddress socketAddress(byte[] a, int port) {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(a), port);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** Stack callbacks translated to channel callbacks. */
  private final class Events implements TcpHandler {
    @Override
    public void onConnected(TcpConnection c) {
      connected = true;
      cancelConnectTimer();
      handler.onConnected(TcpChannel.this);
    }

    @Override
    public void onReadable(TcpConnection c) {
      if (inputShutdown) {
        discardInput();
        return;
      }
      if (readInterest) {
        handler.onReadable(TcpChannel.this);
      }
    }

    @Override
    public void onWritable(TcpConnection c) {
      if (writeWanted && !userClosed) {
        writeWanted = false;
        handler.onWritable(TcpChannel.this);
      }
    }

    @Override
    public void onClosed(TcpConnection c, @Nullable TcpError cause) {
      if (finished) {
        return;
      }
      finished = true;
      cancelConnectTimer();
      IOException ex = pendingCause;
      if (ex == null && cause != null && !(localAbort || (userClosed && cause == TcpError.ABORTED))) {
        ex = SocketErrors.of(cause, connected);
      }
      handler.onClosed(TcpChannel.this, ex);
    }
  }
}
