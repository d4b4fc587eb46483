package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpChannelHandler;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.AbstractChannel;
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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A Netty {@link SocketChannel} whose TCP connection lives in the userspace ZeroTier stack. Registers on any Netty
 * event loop; see the package documentation for the threading model and semantics. Client channels are made with
 * {@link #ZeroTierSocketChannel(NetstackHost)}; accepted ones by {@link ZeroTierServerSocketChannel}.
 */
public final class ZeroTierSocketChannel extends AbstractChannel implements SocketChannel {

  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  private static final int READ_BATCH = 64 * 1024;
  private static final int WRITE_CHUNK = 256 * 1024;
  /** Target of the end-of-input probe read, which never receives a byte (it runs only when nothing is buffered). */
  private static final byte[] PROBE = new byte[1];
  private static final int STATE_OPEN = 0;
  private static final int STATE_ACTIVE = 1;
  private static final int STATE_CLOSED = 2;

  private final NetstackHost host;
  private final ZeroTierSocketChannelConfig config;
  private final Bridge bridge = new Bridge();

  // ---- read from any thread
  private volatile int state = STATE_OPEN;
  private volatile boolean inputShutdown;
  private volatile boolean outputShutdown;
  private volatile @Nullable InetSocketAddress localAddress;
  private volatile @Nullable InetSocketAddress remoteAddress;
  private volatile int stackSendBuffer;
  private volatile int stackReceiveBuffer;

  // ---- the channel's Netty loop only
  private boolean readPending;
  private boolean stackFinished;
  private @Nullable ChannelPromise connectPromise;
  private @Nullable InetSocketAddress requestedRemote;

  // ---- hand-over to the Netty loop before registration
  private final Object handOverLock = new Object();
  private volatile boolean loopReady; // once true, stays true: events go straight to the loop without the lock
  private @Nullable List<Runnable> beforeRegistration;

  // ---- the stack loop only
  private @Nullable TcpChannel tcp;
  private boolean hostWantRead;
  private byte @Nullable [] hostChunk;
  private int hostChunkOffset;
  private boolean hostShutdownAfterWrite;
  private boolean hostCloseAfterWrite;

  // ---- write hand-over, both threads: at most one copied chunk is on its way into the stack at a time
  /** Set by the Netty loop when it hands a chunk over; cleared by the stack loop once the stack took all of it. */
  private volatile boolean stackBusy;
  /** Set by the Netty loop when it has more to write while the stack is busy; the stack then asks for a flush. */
  private volatile boolean flushWaiting;
  private boolean hostClosed;
  private boolean hostFailed;

  /** A client channel on {@code host}'s stack; connect it with a {@code Bootstrap}. */
  public ZeroTierSocketChannel(NetstackHost host) {
    this(null, host);
  }

  ZeroTierSocketChannel(@Nullable ZeroTierServerSocketChannel parent, NetstackHost host) {
    super(parent);
    this.host = host;
    this.config = new ZeroTierSocketChannelConfig(this);
  }

  /** Called on the stack loop by the server before the channel is handed to Netty. */
  TcpChannelHandler acceptHandler() {
    return bridge;
  }

  /** Stack loop: the accepted connection now belongs to this channel. */
  void attachAccepted(TcpChannel c) {
    tcp = c;
    c.setReadInterest(false);
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
  public boolean isOpen() {
    return state != STATE_CLOSED;
  }

  @Override
  public boolean isActive() {
    return state == STATE_ACTIVE;
  }

  @Override
  public @Nullable InetSocketAddress localAddress() {
    return (InetSocketAddress) super.localAddress();
  }

  @Override
  public @Nullable InetSocketAddress remoteAddress() {
    return (InetSocketAddress) super.remoteAddress();
  }

  @Override
  protected @Nullable SocketAddress localAddress0() {
    return localAddress;
  }

  @Override
  protected @Nullable SocketAddress remoteAddress0() {
    return remoteAddress;
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    // No IoHandle is registered: any single-threaded Netty loop can run the channel.
    return true;
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new ZeroTierUnsafe();
  }

  @Override
  protected void doRegister(ChannelPromise promise) {
    EventLoop loop = eventLoop();
    synchronized (handOverLock) {
      // Submit what the stack sent before registration first, then open the fast path: events stay in order.
      List<Runnable> queued = beforeRegistration;
      beforeRegistration = null;
      if (queued != null) {
        for (Runnable r : queued) {
          loop.execute(r);
        }
      }
      loopReady = true;
    }
    promise.setSuccess();
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
      toStack(() -> {
        hostClosed = true;
        TcpChannel t = tcp;
        if (reset) {
          hostChunk = null;
          if (t != null) {
            t.abort();
          }
        } else if (hostChunk != null) {
          // Written (the promise succeeded when the bytes were copied) but not all in the stack yet: as a kernel
          // socket's close, send it before the FIN.
          hostCloseAfterWrite = true;
        } else if (t != null) {
          t.close();
        }
      });
    }
  }

  @Override
  protected void doBeginRead() {
    if (readPending || inputShutdown || state != STATE_ACTIVE) {
      return;
    }
    readPending = true;
    toStack(() -> {
      hostWantRead = true;
      TcpChannel t = tcp;
      if (t != null) {
        t.setReadInterest(true);
      }
    });
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
      if (stackBusy) {
        flushWaiting = true;
        if (stackBusy) {
          return; // the stack loop asks for a flush when it has taken the chunk
        }
        flushWaiting = false;
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
    stackBusy = true;
    toStack(() -> hostWrite(chunk));
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
    public void close() {
    }
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
      toStack(() -> {
        TcpChannel t = tcp;
        if (t != null) {
          t.shutdownInput();
        }
      });
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
    toStack(() -> {
      TcpChannel t = tcp;
      if (hostChunk != null) {
        hostShutdownAfterWrite = true;
      } else if (t != null) {
        t.shutdownOutput();
      }
    });
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
    toStack(() -> {
      TcpChannel t = tcp;
      if (t != null && t.isOpen()) {
        config.applyTo(t);
        stackSendBuffer = t.sendBufferSize();
        stackReceiveBuffer = t.receiveBufferSize();
      }
    });
  }

  /** The socket options of the stack's connection as the stack holds them. */
  record StackOptions(boolean noDelay, boolean keepAlive, int sendBufferSize, int receiveBufferSize,
      int trafficClass) {
  }

  /**
   * Reads the stack connection's options on the stack loop (after any option change queued before). For tests and
   * diagnostics.
   */
  StackOptions stackOptions() throws IOException {
    return host.call(() -> {
      TcpChannel t = tcp;
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

  // ------------------------------------------------------------------------------------------- thread hand-over

  private void toStack(Runnable task) {
    if (!host.post(task)) {
      toLoop(() -> stackGone(new SocketException("ZeroTier stack is closed")));
    }
  }

  private void toLoop(Runnable task) {
    if (!loopReady) {
      synchronized (handOverLock) {
        if (!loopReady) {
          List<Runnable> q = beforeRegistration;
          if (q == null) {
            q = new ArrayList<>(2);
            beforeRegistration = q;
          }
          q.add(task);
          return;
        }
      }
    }
    try {
      eventLoop().execute(task);
    } catch (RejectedExecutionException e) {
      loopGone();
    }
  }

  /**
   * The channel's Netty loop was shut down under a live connection (e.g. the loops disposed before the node): no
   * event can reach the channel any more, so reset the connection rather than leave it open in the stack.
   */
  private void loopGone() {
    host.post(() -> {
      if (!hostClosed) {
        hostClosed = true;
        hostChunk = null;
        TcpChannel t = tcp;
        if (t != null) {
          t.abort();
        }
      }
    });
  }

  // ------------------------------------------------------------------------------------------- Netty loop events

  private void connected(InetSocketAddress local, InetSocketAddress remote, int sndbuf, int rcvbuf) {
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

  private void received(byte @Nullable [] data, boolean endOfInput) {
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
  private void stackReady() {
    if (state == STATE_ACTIVE) {
      ((ZeroTierUnsafe) unsafe()).flushMore();
    }
  }

  private void stackClosed(@Nullable IOException cause) {
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

  private void stackGone(IOException cause) {
    stackClosed(cause);
  }

  private void writeFailed(IOException cause) {
    if (state == STATE_CLOSED) {
      return;
    }
    // Closing fails the unwritten messages; the cause goes to the pipeline as with a kernel socket's EPIPE.
    pipeline().fireExceptionCaught(cause);
    unsafe().close(voidPromise());
  }

  // ------------------------------------------------------------------------------------------- stack loop

  private void hostConnect(InetSocketAddress remote, @Nullable InetSocketAddress local, int timeoutMillis) {
    if (hostClosed) {
      return;
    }
    try {
      TcpChannel t = TcpChannel.connect(host, remote, local, timeoutMillis, bridge);
      tcp = t;
      config.applyTo(t);
      t.setReadInterest(hostWantRead);
    } catch (IOException | RuntimeException e) {
      IOException cause = e instanceof IOException io ? io : new IOException(e.getMessage(), e);
      toLoop(() -> {
        ChannelPromise p = connectPromise;
        connectPromise = null;
        if (p != null) {
          p.tryFailure(cause);
        }
        unsafe().close(voidPromise());
      });
    }
  }

  private void hostWrite(byte[] chunk) {
    if (hostClosed) {
      return;
    }
    hostChunk = chunk;
    hostChunkOffset = 0;
    hostFlush();
  }

  private void hostFlush() {
    byte[] chunk = hostChunk;
    TcpChannel t = tcp;
    if (chunk == null || t == null) {
      return;
    }
    int off = hostChunkOffset;
    try {
      while (off < chunk.length) {
        int n = t.write(chunk, off, chunk.length - off);
        if (n <= 0) {
          break;
        }
        off += n;
      }
    } catch (SocketException e) {
      hostChunk = null;
      toLoop(() -> writeFailed(e));
      return;
    }
    hostChunkOffset = off;
    if (off < chunk.length) {
      return; // onWritable continues
    }
    hostChunk = null;
    if (hostCloseAfterWrite) {
      hostCloseAfterWrite = false;
      t.close();
      return;
    }
    if (hostShutdownAfterWrite) {
      hostShutdownAfterWrite = false;
      t.shutdownOutput();
    }
    // Dekker hand-shake with doWrite: it sets flushWaiting, then re-reads stackBusy; we clear stackBusy, then read
    // flushWaiting. One side always sees the other, so a waiting flush is never lost (at worst it runs twice).
    stackBusy = false;
    if (flushWaiting) {
      flushWaiting = false;
      toLoop(this::stackReady);
    }
  }

  private void hostReadable(TcpChannel t) {
    if (!hostWantRead || hostClosed) {
      return;
    }
    // Read straight into an array of the exact size handed to the pipeline: one copy out of the stack, and no
    // per-connection scratch buffer (1,000 idle connections would otherwise pin 64 MiB).
    int available = t.available();
    byte[] data = null;
    int total = 0;
    if (available > 0) {
      data = new byte[Math.min(available, READ_BATCH)];
      while (total < data.length) {
        int n = t.read(data, total, data.length - total);
        if (n <= 0) {
          break;
        }
        total += n;
      }
      if (total == 0) {
        data = null;
      } else if (total < data.length) {
        data = Arrays.copyOf(data, total);
      }
    }
    // Everything buffered was taken: see whether the input has ended (the probe cannot take data, there is none).
    boolean end = total == available && t.read(PROBE, 0, 1) < 0;
    if (total == 0 && !end) {
      return;
    }
    hostWantRead = false;
    t.setReadInterest(false);
    byte[] received = data;
    if (!end) {
      toLoop(() -> received(received, false));
      return;
    }
    // The end of input may be a reset whose onClosed(cause) the stack delivers right after this callback: look once
    // more after it, so a reset surfaces as exceptionCaught (as with a kernel socket) and not as an orderly FIN.
    host.post(() -> {
      boolean reset = hostFailed;
      toLoop(() -> received(received, !reset));
    });
  }

  /** Stack-side callbacks; each hands its event to the channel's Netty loop. */
  private final class Bridge implements TcpChannelHandler {

    @Override
    public void onConnected(TcpChannel channel) {
      InetSocketAddress local = channel.localAddress();
      InetSocketAddress remote = channel.remoteAddress();
      int snd = channel.sendBufferSize();
      int rcv = channel.receiveBufferSize();
      toLoop(() -> connected(local, remote, snd, rcv));
    }

    @Override
    public void onReadable(TcpChannel channel) {
      hostReadable(channel);
    }

    @Override
    public void onWritable(TcpChannel channel) {
      hostFlush();
    }

    @Override
    public void onClosed(TcpChannel channel, @Nullable IOException cause) {
      hostChunk = null;
      hostFailed = cause != null;
      toLoop(() -> stackClosed(cause));
    }
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
      toStack(() -> hostConnect(r, l, timeout));
    }

    void flushMore() {
      flush0();
    }
  }
}
