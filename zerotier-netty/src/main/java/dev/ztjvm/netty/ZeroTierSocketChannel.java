package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpChannelHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.channel.FileRegion;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.ChannelInputShutdownReadComplete;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.AlreadyConnectedException;
import java.nio.channels.ConnectionPendingException;
import java.nio.channels.WritableByteChannel;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A Netty {@link SocketChannel} whose TCP connection lives in the userspace ZeroTier stack. Registers on any Netty
 * event loop; see the package documentation for the threading model and semantics. Client channels are made with
 * {@link #ZeroTierSocketChannel(NetstackHost)}; accepted ones by {@link ZeroTierServerSocketChannel}.
 */
public final class ZeroTierSocketChannel extends AbstractZeroTierChannel implements SocketChannel {

  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  private static final int WRITE_CHUNK = 256 * 1024;

  private final ZeroTierSocketChannelConfig config;
  private final StackConnection stack = new StackConnection(this);

  // ---- read from any thread
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;
  private volatile @Nullable InetSocketAddress remoteAddress;
  private volatile int stackSendBuffer;
  private volatile int stackReceiveBuffer;

  // ---- the channel's Netty loop only
  private boolean readPending;
  private boolean stackFinished;
  private @Nullable ChannelPromise connectPromise;
  private @Nullable InetSocketAddress requestedRemote;

  /** A client channel on {@code host}'s stack; connect it with a {@code Bootstrap}. */
  public ZeroTierSocketChannel(NetstackHost host) {
    this(null, host);
  }

  ZeroTierSocketChannel(@Nullable ZeroTierServerSocketChannel parent, NetstackHost host) {
    super(parent, host);
    this.config = new ZeroTierSocketChannelConfig(this);
  }

  /** Called on the stack loop by the server before the channel is handed to Netty. */
  TcpChannelHandler acceptHandler() {
    return stack;
  }

  /** Stack loop: the accepted connection now belongs to this channel. */
  void attachAccepted(TcpChannel c) {
    stack.attach(c);
    localAddress = c.localAddress();
    remoteAddress = c.remoteAddress();
    stackSendBuffer = c.sendBufferSize();
    stackReceiveBuffer = c.receiveBufferSize();
    state = STATE_ACTIVE;
  }

  // ------------------------------------------------------------------------------------------- Channel

  @Override
  public @Nullable ServerSocketChannel parent() {
    return (ServerSocketChannel) super.parent();
  }

  @Override
  public ZeroTierSocketChannelConfig config() {
    return config;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  public @Nullable InetSocketAddress remoteAddress() {
    return (InetSocketAddress) super.remoteAddress();
  }

  @Override
  protected @Nullable SocketAddress remoteAddress0() {
    return remoteAddress;
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new ZeroTierUnsafe();
  }

  @Override
  protected void doBind(SocketAddress local) throws Exception {
    // The local address is chosen when connecting (Bootstrap passes it to connect).
    throw new UnsupportedOperationException("bind a ZeroTier client channel by passing the local address to connect");
  }

  @Override
  protected void doDisconnect() {
    doClose();
  }

  @Override
  protected void doClose() {
    int was = state;
    state = STATE_CLOSED;
    ChannelPromise p = connectPromise;
    if (p != null) {
      connectPromise = null;
      p.tryFailure(new java.nio.channels.ClosedChannelException());
    }
    if (was != STATE_CLOSED) {
      boolean reset = config.getSoLinger() == 0;
      toStack(() -> stack.close(reset));
    }
  }

  @Override
  protected void doBeginRead() {
    if (readPending || inputShutdown || state != STATE_ACTIVE) {
      return;
    }
    readPending = true;
    toStack(stack::wantRead);
  }

  @Override
  protected Object filterOutboundMessage(Object msg) {
    if (msg instanceof ByteBuf || msg instanceof FileRegion) {
      return msg;
    }
    throw new UnsupportedOperationException("unsupported message type: " + msg.getClass().getName()
        + " (ZeroTier channels write ByteBuf and FileRegion)");
  }

  /**
   * Copies the flushed messages into chunks for the stack. A message is complete once copied (its promise succeeds
   * and its buffer is released, as a kernel socket's write completes once the kernel holds the bytes), so a small
   * write costs one hand-over to the stack and none back. Back-pressure: while a chunk is not yet wholly in the
   * stack's send buffer the next one stays in Netty's outbound buffer, where the water marks see it.
   */
  @Override
  protected void doWrite(ChannelOutboundBuffer in) throws IOException {
    for (;;) {
      if (state != STATE_ACTIVE) {
        return; // a completed write's listener closed the channel
      }
      if (stack.busy) {
        stack.flushWaiting = true;
        if (stack.busy) {
          return; // the stack loop asks for a flush when it has taken the chunk
        }
        stack.flushWaiting = false;
      }
      Object head = in.current();
      if (head == null) {
        return;
      }
      if (head instanceof FileRegion region) {
        if (region.transferred() >= region.count()) {
          in.remove();
          continue;
        }
        byte[] chunk = copyFromRegion(region);
        handOver(chunk);
        in.progress(chunk.length);
        if (region.transferred() >= region.count()) {
          in.remove();
        }
        continue;
      }
      // One chunk from the ByteBufs at the head (nioBuffers stops at the first non-ByteBuf message).
      ByteBuffer[] buffers = in.nioBuffers(1024, WRITE_CHUNK);
      int count = in.nioBufferCount();
      long size = in.nioBufferSize();
      if (size == 0) {
        in.removeBytes(0); // drops empty buffers at the head; a FileRegion may follow
        continue;
      }
      byte[] chunk = new byte[(int) size];
      int pos = 0;
      for (int i = 0; i < count; i++) {
        ByteBuffer b = buffers[i].duplicate();
        int n = b.remaining();
        b.get(chunk, pos, n);
        pos += n;
      }
      // Hand over before completing the promises: a listener may close the channel at once, and the close must
      // reach the stack after these bytes.
      handOver(chunk);
      in.removeBytes(size);
    }
  }

  private void handOver(byte[] chunk) {
    stack.busy = true;
    toStack(() -> stack.write(chunk));
  }

  /**
   * Copies the region's next bytes (up to one write chunk) out of it: the stack takes byte arrays, so a file is sent
   * by reading it on this loop, as Netty does for regions over TLS (there is no kernel socket to splice into).
   * Advances the region's {@code transferred()}; the outbound buffer's progress follows as the stack takes the bytes.
   */
  private static byte[] copyFromRegion(FileRegion region) throws IOException {
    long left = region.count() - region.transferred();
    ArraySink sink = new ArraySink((int) Math.min(WRITE_CHUNK, left));
    while (sink.position < sink.bytes.length) {
      long n = region.transferTo(sink, region.transferred());
      if (n <= 0) {
        break;
      }
    }
    if (sink.position == 0) {
      throw new IOException("FileRegion gave no bytes at " + region.transferred() + " of " + region.count()
          + " (file truncated?)");
    }
    return sink.position == sink.bytes.length ? sink.bytes : Arrays.copyOf(sink.bytes, sink.position);
  }

  /** A channel filling a fixed array, for {@link FileRegion#transferTo}. */
  private static final class ArraySink implements WritableByteChannel {
    final byte[] bytes;
    int position;

    ArraySink(int size) {
      bytes = new byte[size];
    }

    @Override
    public int write(ByteBuffer src) {
      int n = Math.min(src.remaining(), bytes.length - position);
      src.get(bytes, position, n);
      position += n;
      return n;
    }

    @Override
    public boolean isOpen() {
      return true;
    }

    @Override
    public void close() {}
  }

  // ------------------------------------------------------------------------------------------- DuplexChannel

  @Override
  public boolean isInputShutdown() {
    return inputShutdown;
  }

  @Override
  public ChannelFuture shutdownInput() {
    return shutdownInput(newPromise());
  }

  @Override
  public ChannelFuture shutdownInput(ChannelPromise promise) {
    EventLoop loop = eventLoop();
    if (loop.inEventLoop()) {
      shutdownInput0(promise);
    } else {
      loop.execute(() -> shutdownInput0(promise));
    }
    return promise;
  }

  private void shutdownInput0(ChannelPromise promise) {
    if (!inputShutdown) {
      inputShutdown = true;
      toStack(stack::shutdownInput);
    }
    promise.setSuccess();
  }

  @Override
  public boolean isOutputShutdown() {
    return outputShutdown || !isActive();
  }

  @Override
  public ChannelFuture shutdownOutput() {
    return shutdownOutput(newPromise());
  }

  @Override
  public ChannelFuture shutdownOutput(ChannelPromise promise) {
    EventLoop loop = eventLoop();
    if (loop.inEventLoop()) {
      ((AbstractUnsafe) unsafe()).shutdownOutput(promise);
    } else {
      loop.execute(() -> ((AbstractUnsafe) unsafe()).shutdownOutput(promise));
    }
    return promise;
  }

  @Override
  protected void doShutdownOutput() {
    outputShutdown = true;
    toStack(stack::shutdownOutput);
  }

  @Override
  public boolean isShutdown() {
    return inputShutdown && outputShutdown || !isActive();
  }

  @Override
  public ChannelFuture shutdown() {
    return shutdown(newPromise());
  }

  @Override
  public ChannelFuture shutdown(ChannelPromise promise) {
    ChannelFuture out = shutdownOutput();
    out.addListener(f -> shutdownInput().addListener(g -> {
      if (f.isSuccess() && g.isSuccess()) {
        promise.setSuccess();
      } else {
        promise.setFailure(f.cause() != null ? f.cause() : g.cause());
      }
    }));
    return promise;
  }

  // ------------------------------------------------------------------------------------------- option hooks

  void socketOptionsChanged() {
    if (state == STATE_CLOSED) {
      return;
    }
    toStack(stack::applyOptions);
  }

  /** Stack loop: the buffer sizes the stack settled on after the options were applied. */
  void stackBuffers(int sendBufferSize, int receiveBufferSize) {
    stackSendBuffer = sendBufferSize;
    stackReceiveBuffer = receiveBufferSize;
  }

  /** The socket options of the stack's connection as the stack holds them. */
  record StackOptions(boolean noDelay, boolean keepAlive, int sendBufferSize, int receiveBufferSize,
      int trafficClass) {}

  /**
   * Reads the stack connection's options on the stack loop (after any option change queued before). For tests and
   * diagnostics.
   */
  StackOptions stackOptions() throws IOException {
    return host.call(() -> {
      TcpChannel t = stack.tcp();
      if (t == null) {
        throw new SocketException("not connected");
      }
      return new StackOptions(t.noDelay(), t.keepAlive(), t.sendBufferSize(), t.receiveBufferSize(),
          t.trafficClass());
    });
  }

  int stackSendBufferSize() {
    return stackSendBuffer;
  }

  int stackReceiveBufferSize() {
    return stackReceiveBuffer;
  }

  // ------------------------------------------------------------------------------------------- hand-over ends

  @Override
  void loopGone() {
    host.post(stack::abandon);
  }

  @Override
  void stackGone() {
    stackClosed(new SocketException("ZeroTier stack is closed"));
  }

  // ------------------------------------------------------------------------------------------- Netty loop events

  void connected(InetSocketAddress local, InetSocketAddress remote, int sndbuf, int rcvbuf) {
    ChannelPromise p = connectPromise;
    connectPromise = null;
    if (state == STATE_CLOSED) {
      return;
    }
    localAddress = local;
    remoteAddress = remote;
    stackSendBuffer = sndbuf;
    stackReceiveBuffer = rcvbuf;
    state = STATE_ACTIVE;
    boolean promiseSet = p == null || p.trySuccess();
    pipeline().fireChannelActive();
    if (!promiseSet) {
      unsafe().close(voidPromise());
    }
  }

  void received(byte @Nullable [] data, boolean endOfInput) {
    readPending = false;
    if (state == STATE_CLOSED) {
      return;
    }
    ChannelPipeline pipeline = pipeline();
    if (data != null) {
      pipeline.fireChannelRead(Unpooled.wrappedBuffer(data));
    }
    if (endOfInput) {
      inputShutdown = true;
    }
    pipeline.fireChannelReadComplete();
    if (endOfInput) {
      if (config.isAllowHalfClosure()) {
        pipeline.fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        if (outputShutdown || stackFinished) {
          pipeline.fireUserEventTriggered(ChannelInputShutdownReadComplete.INSTANCE);
        }
        if (stackFinished && state != STATE_CLOSED) {
          unsafe().close(voidPromise());
        }
      } else {
        unsafe().close(voidPromise());
      }
    }
  }

  /** The stack took a chunk after {@link #doWrite} found it busy: write what waited meanwhile. */
  void stackReady() {
    if (state == STATE_ACTIVE) {
      ((ZeroTierUnsafe) unsafe()).flushMore();
    }
  }

  void stackClosed(@Nullable IOException cause) {
    ChannelPromise p = connectPromise;
    if (p != null) {
      connectPromise = null;
      Throwable failure = cause;
      if (cause instanceof SocketTimeoutException) {
        failure = new ConnectTimeoutException(
            "connection timed out after " + config.getConnectTimeoutMillis() + " ms: " + requestedRemote);
      } else if (cause == null) {
        failure = new java.net.ConnectException("Connection closed before it was established: " + requestedRemote);
      }
      p.tryFailure(failure);
      unsafe().close(voidPromise());
      return;
    }
    if (state == STATE_CLOSED) {
      return;
    }
    if (cause != null) {
      pipeline().fireExceptionCaught(cause);
    } else if (!inputShutdown) {
      // An orderly finish while received data (and the end of input) still wait in the stack for demand: keep the
      // channel open so they are read; received(..., end) closes it.
      stackFinished = true;
      return;
    }
    unsafe().close(voidPromise());
  }

  void writeFailed(IOException cause) {
    if (state == STATE_CLOSED) {
      return;
    }
    // Closing fails the unwritten messages; the cause goes to the pipeline as with a kernel socket's EPIPE.
    pipeline().fireExceptionCaught(cause);
    unsafe().close(voidPromise());
  }

  /** The stack could not start the connection. */
  void connectFailed(IOException cause) {
    ChannelPromise p = connectPromise;
    connectPromise = null;
    if (p != null) {
      p.tryFailure(cause);
    }
    unsafe().close(voidPromise());
  }

  private final class ZeroTierUnsafe extends AbstractUnsafe {

    @Override
    public void connect(SocketAddress remote, @Nullable SocketAddress local, ChannelPromise promise) {
      if (!promise.setUncancellable() || !ensureOpen(promise)) {
        return;
      }
      if (state == STATE_ACTIVE) {
        promise.setFailure(new AlreadyConnectedException());
        return;
      }
      if (connectPromise != null) {
        promise.setFailure(new ConnectionPendingException());
        return;
      }
      if (!(remote instanceof InetSocketAddress r) || (local != null && !(local instanceof InetSocketAddress))) {
        promise.setFailure(new IllegalArgumentException("ZeroTier channels connect to InetSocketAddress: " + remote));
        return;
      }
      connectPromise = promise;
      requestedRemote = r;
      InetSocketAddress l = (InetSocketAddress) local;
      int timeout = config.getConnectTimeoutMillis();
      toStack(() -> stack.connect(r, l, timeout));
    }

    void flushMore() {
      flush0();
    }
  }
}
