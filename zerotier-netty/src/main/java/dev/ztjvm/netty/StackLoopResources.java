package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty {@link LoopResources} over ordinary NIO loops whose TCP channels ({@link SocketChannel},
 * {@link ServerSocketChannel}) are ZeroTier channels on the stack {@link #stack()} names; every other channel type
 * and every loop question goes to the NIO loops. The shared part of {@code ZeroTierLoopResources} (a fixed stack) and
 * the Spring starter's node-bound resources (the stack of the node's current run): subclass it to choose the stack
 * per channel.
 */
public abstract class StackLoopResources implements LoopResources {

  private final LoopResources loops;
  private final boolean ownsLoops;

  /**
   * @param loops NIO-capable loops the channels register on
   * @param ownsLoops whether disposing these resources disposes {@code loops}
   */
  protected StackLoopResources(LoopResources loops, boolean ownsLoops) {
    this.loops = loops;
    this.ownsLoops = ownsLoops;
  }

  /** The stack that carries the channels handed out now (looked up per channel). */
  protected abstract NetstackHost stack();

  @Override
  @SuppressWarnings("unchecked")
  public final <C extends Channel> C onChannel(Class<C> type, EventLoopGroup group) {
    if (type == SocketChannel.class) {
      return (C) new ZeroTierSocketChannel(stack());
    }
    if (type == ServerSocketChannel.class) {
      return (C) new ZeroTierServerSocketChannel(stack());
    }
    return loops.onChannel(type, group);
  }

  @Override
  @SuppressWarnings("unchecked")
  public final <C extends Channel> Class<? extends C> onChannelClass(Class<C> type, EventLoopGroup group) {
    if (type == SocketChannel.class) {
      return (Class<? extends C>) ZeroTierSocketChannel.class;
    }
    if (type == ServerSocketChannel.class) {
      return (Class<? extends C>) ZeroTierServerSocketChannel.class;
    }
    return loops.onChannelClass(type, group);
  }

  @Override
  public final EventLoopGroup onServer(boolean useNative) {
    return loops.onServer(false);
  }

  @Override
  public final EventLoopGroup onServerSelect(boolean useNative) {
    return loops.onServerSelect(false);
  }

  @Override
  public final EventLoopGroup onClient(boolean useNative) {
    return loops.onClient(false);
  }

  @Override
  public final boolean daemon() {
    return loops.daemon();
  }

  @Override
  public final boolean isDisposed() {
    return ownsLoops ? loops.isDisposed() : false;
  }

  @Override
  public final Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
    return ownsLoops ? loops.disposeLater(quietPeriod, timeout) : Mono.empty();
  }

  @Override
  public final Mono<Void> disposeLater() {
    return ownsLoops ? loops.disposeLater() : Mono.empty();
  }

  @Override
  public final void dispose() {
    if (ownsLoops) {
      loops.dispose();
    }
  }
}
