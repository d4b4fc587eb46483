package dev.ztjvm.spring.boot.web;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.resources.LoopResources;

/**
 * {@link LoopResources} whose TCP channels run on a managed node's current stack. The stack exists only while the
 * node runs, and the web server is created before the node starts, so the {@link ZeroTierLoopResources} is looked up
 * per channel (at bind or connect time) instead of once.
 */
public final class ZeroTierNodeLoopResources implements LoopResources {

  private final ZeroTierNode node;
  private final LoopResources loops;

  /**
   * @param node the node whose stack carries the channels
   * @param prefix thread name prefix of the event loops
   */
  public ZeroTierNodeLoopResources(ZeroTierNode node, String prefix) {
    this.node = node;
    this.loops = LoopResources.create(prefix, 1, DEFAULT_IO_WORKER_COUNT, true, false);
  }

  private ZeroTierLoopResources current() {
    return ZeroTierLoopResources.wrap(node.netstack(), loops);
  }

  @Override
  public <C extends Channel> C onChannel(Class<C> type, EventLoopGroup group) {
    return current().onChannel(type, group);
  }

  @Override
  public <C extends Channel> Class<? extends C> onChannelClass(Class<C> type, EventLoopGroup group) {
    return current().onChannelClass(type, group);
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
    return true;
  }

  @Override
  public boolean isDisposed() {
    return loops.isDisposed();
  }

  @Override
  public Mono<Void> disposeLater(Duration quietPeriod, Duration timeout) {
    return loops.disposeLater(quietPeriod, timeout);
  }

  @Override
  public Mono<Void> disposeLater() {
    return loops.disposeLater();
  }

  @Override
  public void dispose() {
    loops.dispose();
  }
}
