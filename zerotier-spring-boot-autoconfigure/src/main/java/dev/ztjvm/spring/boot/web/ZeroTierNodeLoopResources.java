package dev.ztjvm.spring.boot.web;

import dev.ztjvm.netty.StackLoopResources;
import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.ZeroTierNode;
import reactor.netty.resources.LoopResources;

/**
 * {@link LoopResources} whose TCP channels run on a managed node's current stack. The stack exists only while the
 * node runs, and the web server is created before the node starts, so the stack is looked up per channel (at bind or
 * connect time) instead of once as {@link ZeroTierLoopResources} does.
 */
public final class ZeroTierNodeLoopResources extends StackLoopResources {

  private final ZeroTierNode node;

  /**
   * @param node the node whose stack carries the channels
   * @param prefix thread name prefix of the event loops
   */
  public ZeroTierNodeLoopResources(ZeroTierNode node, String prefix) {
    super(LoopResources.create(prefix, 1, DEFAULT_IO_WORKER_COUNT, true, false), true);
    this.node = node;
  }

  @Override
  protected NetstackHost stack() {
    return node.netstack();
  }
}
