package dev.ztjvm.netty;

import dev.ztjvm.sockets.internal.NetstackHost;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty {@link LoopResources} whose TCP channels run over a ZeroTier stack:
 * {@code HttpServer.create().runOn(resources).bindAddress(() -> ztAddress)} and
 * {@code HttpClient.create().runOn(resources)}. The event loops are ordinary Reactor Netty NIO loops (so other channel
 * types, e.g. UDP for a DNS resolver, still work on them); only {@link SocketChannel} and {@link ServerSocketChannel}
 * requests are answered with {@link ZeroTierSocketChannel} and {@link ZeroTierServerSocketChannel}.
 */
public final class ZeroTierLoopResources implements LoopResources {

  private final NetstackHost host;
  private final LoopResources loops;
  private final boolean ownsLoops;

  private ZeroTierLoopResources(NetstackHost host, LoopResources loops, boolean ownsLoops) {
    this.host = host;
    this.loops = loops;
    this.ownsLoops = ownsLoops;
  }

  /** New daemon loops ({@link LoopResources#DEFAULT_IO_WORKER_COUNT} workers) named {@code prefix}. */
  public static ZeroTierLoopResources create(NetstackHost host, String prefix) {
    return create(host, prefix, LoopResources.DEFAULT_IO_WORKER_COUNT);
  }

  /** New daemon loops with {@code workers} threads named {@code prefix}. */
  public static ZeroTierLoopResources create(NetstackHost host, String prefix, int workers) {
    return new ZeroTierLoopResources(host, LoopResources.create(prefix, 1, workers, true, false), true);
  }

  /** Uses existing (NIO-capable) loops; disposing these resources does not dispose {@code loops}. */
  public static ZeroTierLoopResources wrap(NetstackHost host, LoopResources loops) {
    return new ZeroTierLoopResources(host, loops, false);
  }

  /** The stack whose channels this hands out. */
  public NetstackHost host() {
    return host;
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C extends Channel> C onChannel(Class<C> type, EventLoopGroup group) {
    if (type == SocketChannel.class) {
      return (C) new ZeroTierSocketChannel(host);
    }
    if (type == ServerSocketChannel.class) {
      return (C) new ZeroTierServerSocketChannel(host);
    }
    return loops.onChannel(type, group);
  }

  @Override
  @SuppressWarnings("unchecked")
  public <C extends Channel> Class<? extends C> onChannelClass(Class<C> type, EventLoopGroup group) {
    if (type == SocketChannel.class) {
      return (Class<? extends C>) ZeroTierSocketChannel.class;
    }
    if (type == ServerSocketChannel.class) {
      return (Class<? extends C>) ZeroTierServerSocketChannel.class;
    }
    return loops.onChannelClass(type, group);
  }

  @Override
  public EventLoopGroup onServer(boolean useNative) {
    return loops.onServer(false);
  }

  @Override
  public EventLoopGroup onServerSelect(boolean useNative) {
    return loops.onServerSelect(false);
  }

  @Override
  public EventLoopGroup onClient(boolean useNative) {
    return loops.onClient(false);
  }

  @Override
  public boolean daemon() {
    return loops.daemon();
  }

  @Override
  public boolean isDisposed() {
    return ownsLoops ? loops.isDisposed() : false;
  }

  @Override
  public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
    return ownsLoops ? loops.disposeLater(quietPeriod, timeout) : Mono.empty();
  }

  @Override
  public Mono<Void> disposeLater() {
    return ownsLoops ? loops.disposeLater() : Mono.empty();
  }

  @Override
  public void dispose() {
    if (ownsLoops) {
      loops.dispose();
    }
  }
}
