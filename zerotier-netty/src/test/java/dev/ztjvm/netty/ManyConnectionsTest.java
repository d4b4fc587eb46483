package dev.ztjvm.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.tcp.TcpConfig;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * No thread per connection: 1,000 live connections between two real ZeroTier nodes in this JVM leave the JVM's
 * thread count where it was.
 */
class ManyConnectionsTest {

  @Test
  void thousandOpenConnectionsKeepTheThreadCountBounded() throws Exception {
    TcpConfig tcp = TcpConfig.builder().initialBufferSize(4096).sendBufferSize(64 * 1024).build();
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try (TwoNodes nodes = TwoNodes.start(tcp)) {
      Channel server = new ServerBootstrap().group(group)
          .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
          .childHandler(new NettyEchoTest.Echo())
          .bind(new InetSocketAddress(nodes.a4, 9000)).sync().channel();
      int n = 1000;
      CountDownLatch echoed = new CountDownLatch(n);
      Bootstrap b = new Bootstrap().group(group).channelFactory(() -> new ZeroTierSocketChannel(nodes.b.netstack()))
          .handler(new ChannelInboundHandlerAdapter() {
            @Override
            public boolean isSharable() {
              return true;
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
              ((ByteBuf) msg).release();
              echoed.countDown();
            }
          });
      // Warm-up connection so lazily started threads (loops, stack timers) exist before the baseline.
      Channel warm = b.connect(new InetSocketAddress(nodes.a4, 9000)).sync().channel();
      warm.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1})).sync();
      int baseline = ManagementFactory.getThreadMXBean().getThreadCount();

      List<Channel> channels = new ArrayList<>();
      // Connect in waves of 100 (within the server's SYN backlog).
      for (int i = 0; i < n; i += 100) {
        List<ChannelFuture> wave = new ArrayList<>();
        for (int j = 0; j < 100; j++) {
          wave.add(b.connect(new InetSocketAddress(nodes.a4, 9000)));
        }
        for (ChannelFuture f : wave) {
          channels.add(f.sync().channel());
        }
      }
      for (Channel ch : channels) {
        ch.writeAndFlush(Unpooled.wrappedBuffer(new byte[] {7}));
      }
      assertThat(echoed.await(60, TimeUnit.SECONDS)).as("every connection answered").isTrue();
      assertThat(channels).allMatch(Channel::isActive);
      int during = ManagementFactory.getThreadMXBean().getThreadCount();
      // A thread per connection would add 1,000; allow a few for JVM housekeeping.
      assertThat(during - baseline).isLessThanOrEqualTo(5);

      for (Channel ch : channels) {
        ch.close();
      }
      for (Channel ch : channels) {
        assertThat(ch.closeFuture().await(30, TimeUnit.SECONDS)).isTrue();
      }
      warm.close().sync();
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
  }
}
