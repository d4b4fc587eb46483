package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpServerChannel;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.ServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A Netty {@link ServerSocketChannel} listening on the userspace ZeroTier stack. Its local address is the real
 * ZeroTier address it was bound to (a wildcard address listens on every interface of the host, as with a kernel
 * socket). Accepted connections become {@link ZeroTierSocketChannel}s; accepting is demand-driven like reading.
 */
public final class ZeroTierServerSocketChannel extends AbstractZeroTierChannel implements ServerSocketChannel {

  private static final ChannelMetadata METADATA = new ChannelMetadata(false, 16);
  private static final int ACCEPT_BATCH = 64;

  private final ZeroTierServerSocketChannelConfig config;

  // Netty loop only
  private boolean acceptPending;

  // stack loop only
  private @Nullable TcpServerChannel server;
  private boolean hostWantAccept;

  /** A server channel on {@code host}'s stack; bind it with a {@code ServerBootstrap}. */
  public ZeroTierServerSocketChannel(NetstackHost host) {
    super(null, host);
    this.config = new ZeroTierServerSocketChannelConfig(this);
  }

  @Override
  public ZeroTierServerSocketChannelConfig config() {
    return config;
  }

  @Override
  public @Nullable InetSocketAddress remoteAddress() {
    return null;
  }

  @Override
  public ChannelMetadata metadata() {
    return METADATA;
  }

  @Override
  protected @Nullable SocketAddress remoteAddress0() {
    return null;
  }

  @Override
  protected AbstractUnsafe newUnsafe() {
    return new ServerUnsafe();
  }

  @Override
  protected void doBind(SocketAddress local) throws Exception {
    if (!(local instanceof InetSocketAddress requested)) {
      throw new IllegalArgumentException("ZeroTier channels bind to InetSocketAddress: " + local);
    }
    if (requested.isUnresolved()) {
      throw new java.net.UnknownHostException(requested.getHostString());
    }
    int backlog = config.getBacklog();
    // Binding is rare and fast: wait for the stack loop so bind errors fail the bind promise.
    localAddress = host.call(() -> {
      TcpServerChannel s = TcpServerChannel.listen(host, requested, backlog, this::hostAcceptable);
      s.setAcceptInterest(hostWantAccept);
      server = s;
      return s.localAddress();
    });
    state = STATE_ACTIVE;
  }

  @Override
  protected void doDisconnect() {
    throw new UnsupportedOperationException("a server channel has no connection to disconnect");
  }

  @Override
  protected void doWrite(ChannelOutboundBuffer in) {
    throw new UnsupportedOperationException("a server channel does not write");
  }

  @Override
  protected Object filterOutboundMessage(Object msg) {
    throw new UnsupportedOperationException("a server channel does not write: " + msg.getClass().getName());
  }

  @Override
  protected void doClose() {
    if (state == STATE_CLOSED) {
      return;
    }
    state = STATE_CLOSED;
    host.post(() -> {
      TcpServerChannel s = server;
      server = null;
      if (s != null) {
        s.close();
      }
    });
  }

  @Override
  protected void doBeginRead() {
    if (acceptPending || state == STATE_CLOSED) {
      return;
    }
    acceptPending = true;
    host.post(() -> {
      hostWantAccept = true;
      TcpServerChannel s = server;
      if (s != null) {
        s.setAcceptInterest(true);
      }
    });
  }

  private void hostAcceptable(TcpServerChannel s) {
    if (!hostWantAccept) {
      return;
    }
    List<ZeroTierSocketChannel> accepted = new ArrayList<>();
    List<TcpChannel> acceptedConnections = new ArrayList<>();
    while (accepted.size() < ACCEPT_BATCH && s.pendingAccepts() > 0) {
      ZeroTierSocketChannel child = new ZeroTierSocketChannel(this, host);
      TcpChannel c = s.accept(child.acceptHandler());
      if (c == null) {
        break;
      }
      child.attachAccepted(c);
      accepted.add(child);
      acceptedConnections.add(c);
    }
    if (accepted.isEmpty()) {
      return;
    }
    hostWantAccept = false;
    s.setAcceptInterest(false);
    if (!tryToLoop(() -> deliver(accepted))) {
      // The Netty loop is gone (shut down before this channel was closed): nobody can take the connections.
      for (TcpChannel c : acceptedConnections) {
        c.abort();
      }
    }
  }

  private void deliver(List<ZeroTierSocketChannel> accepted) {
    acceptPending = false;
    if (state == STATE_CLOSED) {
      for (ZeroTierSocketChannel child : accepted) {
        child.unsafe().closeForcibly();
      }
      return;
    }
    ChannelPipeline pipeline = pipeline();
    for (ZeroTierSocketChannel child : accepted) {
      pipeline.fireChannelRead(child);
    }
    pipeline.fireChannelReadComplete();
  }

  @Override
  void stackGone() {
    unsafe().close(voidPromise());
  }

  @Override
  void loopGone() {
    // Only deliveries go to the Netty loop, and they abort their connections themselves when it is gone.
  }

  /** A server channel accepts; it never connects. */
  private final class ServerUnsafe extends AbstractUnsafe {
    @Override
    public void connect(SocketAddress remote, @Nullable SocketAddress local, ChannelPromise promise) {
      if (promise.setUncancellable()) {
        promise.setFailure(new UnsupportedOperationException("a server channel does not connect"));
      }
    }
  }
}
