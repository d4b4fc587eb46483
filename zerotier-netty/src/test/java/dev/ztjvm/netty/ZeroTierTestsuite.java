package dev.ztjvm.netty;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.testsuite.transport.TestsuitePermutation.BootstrapComboFactory;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Netty's transport test suite (io.netty:netty-testsuite) run over ZeroTier: server channels on node A's stack,
 * bound to its ZeroTier address, client channels on node B's, both on ordinary NIO loops. One pair of nodes per test
 * class.
 */
final class ZeroTierTestsuite {

  private static TwoNodes nodes;
  private static EventLoopGroup group;

  private ZeroTierTestsuite() {}

  static void start() throws Exception {
    nodes = TwoNodes.start();
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  }

  static void stop() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  /** The one permutation: our server channel on A, our client channel on B. */
  static List<BootstrapComboFactory<ServerBootstrap, Bootstrap>> factories() {
    return List.of(new BootstrapComboFactory<>() {
      @Override
      public ServerBootstrap newServerInstance() {
        return new ServerBootstrap().group(group)
            .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()));
      }

      @Override
      public Bootstrap newClientInstance() {
        return new Bootstrap().group(group).channelFactory(() -> new ZeroTierSocketChannel(nodes.b.netstack()));
      }
    });
  }

  /** Where the suite's servers bind: node A's ZeroTier address, an ephemeral port. */
  static SocketAddress serverAddress() {
    return new InetSocketAddress(nodes.a4, 0);
  }
}
