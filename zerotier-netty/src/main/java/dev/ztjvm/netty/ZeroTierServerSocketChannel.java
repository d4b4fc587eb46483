package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpServerChannel;
import io.netty.channel.AbstractServerChannel;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.ServerSocketChannel;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import org.jspecify.annotations.Nullable;

/**
 * A Netty {@link ServerSocketChannel} listening on the userspace ZeroTier stack. Its local address is the real
 * ZeroTier address it was bound to (a wildcard address listens on every interface of the host, as with a kernel
 * socket). Accepted connections become {@link ZeroTierSocketChannel}s; accepting is demand-driven like reading.
 */
public final class ZeroTierServerSocketChannel extends AbstractServerChannel implements ServerSocketChannel {

  private static final int ACCEPT_BATCH = 64;

  private final NetstackHost host;
  private final ZeroTierServerSocketChannelConfig config;
  private volatile boolean open = true;
  private volatile @Nullable InetSocketAddress localAddress;

  // Netty loop only
  private boolean acceptPending;

  // stack loop only
  private @Nullable TcpServerChannel server;
  private boolean hostWantAccept;

  /** A server channel on {@code host}'s stack; bind it with a {@code ServerBootstrap}. */
  public ZeroTierServerSocketChannel(NetstackHost host) {
    this.host = host;
    this.config = new ZeroTierServerSocketChannelConfig(this);
  }

  @Override
  public ZeroTierServerSocketChannelConfig config() {
    return config;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public boolean isActive() {
    return open && localAddress != null;
  }

  @Override
  public @Nullable InetSocketAddress localAddress() {
    return (InetSocketAddress) super.localAddress();
  }

  @Override
  public @Nullable InetSocketAddress remoteAddress() {
    return null;
  }

  @Override
  protected @Nullable SocketAddress localAddress0() {
    return localAddress;
  }

  @Override
  protected boolean isCompatible(EventLoop loop) {
    return true;
  }

  @Override
  protected void doRegister(ChannelPromise promise) {
    promise.setSuccess();
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
  }

  @Override
  protected void doClose() {
    if (!open) {
      return;
    }
    open = false;
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
    if (acceptPending || !open) {
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
    try {
      eventLoop().execute(() -> deliver(accepted));
    } catch (RejectedExecutionException e) {
      // The Netty loop is gone (shut down before this channel was closed): nobody can take the connections.
      for (TcpChannel c : acceptedConnections) {
        c.abort();
      }
    }
  }

  private void deliver(List<ZeroTierSocketChannel> accepted) {
    acceptPending = false;
    if (!open) {
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
}
