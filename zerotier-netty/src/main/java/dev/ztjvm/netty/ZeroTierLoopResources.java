package dev.ztjvm.netty;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.ZeroTierNode;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import reactor.netty.resources.LoopResources;

/**
 * Reactor Netty {@link LoopResources} whose TCP channels run over a ZeroTier stack:
 * {@code HttpServer.create().runOn(resources).bindAddress(() -> ztAddress)} and
 * {@code HttpClient.create().runOn(resources)}. The event loops are ordinary Reactor Netty NIO loops (so other channel
 * types, e.g. UDP for a DNS resolver, still work on them); only {@link SocketChannel} and {@link ServerSocketChannel}
 * requests are answered with {@link ZeroTierSocketChannel} and {@link ZeroTierServerSocketChannel}.
 */
public final class ZeroTierLoopResources extends StackLoopResources {

  private final NetstackHost host;

  private ZeroTierLoopResources(NetstackHost host, LoopResources loops, boolean ownsLoops) {
    super(loops, ownsLoops);
    this.host = host;
  }

  /** New daemon loops for channels over {@code node}'s ZeroTier networks. */
  public static ZeroTierLoopResources create(ZeroTierNode node, String prefix) {
    return create(node.netstack(), prefix);
  }

  /** New daemon loops with {@code workers} threads for channels over {@code node}'s ZeroTier networks. */
  public static ZeroTierLoopResources create(ZeroTierNode node, String prefix, int workers) {
    return create(node.netstack(), prefix, workers);
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
  protected NetstackHost stack() {
    return host;
  }
}
