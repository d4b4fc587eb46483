package dev.ztjvm.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;

/**
 * The transport between two real ZeroTier nodes in one JVM (in-process root and controller, loopback UDP
 * underlay): plain Netty echo and Reactor Netty HTTP on node A's ZeroTier address, called from node B.
 */
class ZeroTierNodesHttpTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static LocalZeroTier zt;
  private static ZeroTierNode a;
  private static ZeroTierNode b;
  private static InetAddress addrA;
  private static InetAddress addrB;

  @BeforeAll
  static void start() throws Exception {
    zt = LocalZeroTier.start();
    long nwid = zt.createPrivateNetwork("netty", "10.147.30.0/24", "10.147.30.10", "10.147.30.20", false);
    a = zt.nodeBuilder().build();
    b = zt.nodeBuilder().build();
    a.start();
    b.start();
    a.join(nwid);
    b.join(nwid);
    zt.authorize(nwid, a.nodeId());
    zt.authorize(nwid, b.nodeId());
    addrA = a.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
    addrB = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
  }

  @AfterAll
  static void stop() {
    if (a != null) {
      a.close();
    }
    if (b != null) {
      b.close();
    }
    if (zt != null) {
      zt.close();
    }
  }

  @Test
  void nettyEchoBetweenTwoNodes() throws Exception {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    try {
      Channel server = new ServerBootstrap().group(group)
          .channelFactory(() -> new ZeroTierServerSocketChannel(a.netstack()))
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childHandler(new NettyEchoTest.Echo())
          .bind(new InetSocketAddress(addrA, 7000)).sync().channel();
      NettyEchoTest.Collect collect = new NettyEchoTest.Collect();
      Channel ch = new Bootstrap().group(group).channelFactory(() -> new ZeroTierSocketChannel(b.netstack()))
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .handler(collect)
          .connect(new InetSocketAddress(addrA, 7000)).sync().channel();
      assertThat(((SocketChannel) ch).localAddress().getAddress()).isEqualTo(addrB);
      byte[] payload = new byte[256 * 1024];
      new Random(11).nextBytes(payload);
      ch.writeAndFlush(Unpooled.wrappedBuffer(payload)).sync();
      ((SocketChannel) ch).shutdownOutput().sync();
      assertThat(collect.done.get(60, TimeUnit.SECONDS)).isEqualTo(payload);
      ch.close().sync();
      server.close().sync();
    } finally {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
  }

  @Test
  void reactorNettyHttpBetweenTwoNodes() throws Exception {
    ZeroTierLoopResources loopsA = ZeroTierLoopResources.create(a, "node-a", 1);
    ZeroTierLoopResources loopsB = ZeroTierLoopResources.create(b, "node-b", 1);
    DisposableServer server = HttpServer.create()
        .runOn(loopsA)
        .bindAddress(() -> new InetSocketAddress(addrA, 8080))
        .route(r -> r
            .get("/hello", (req, res) -> res.sendString(Mono.just("hello " + req.remoteAddress().getAddress()
                .getHostAddress())))
            .post("/digest", (req, res) -> {
              MessageDigest md = ReactorNettyHttpTest.sha256();
              return res.sendString(req.receive()
                  .map(buf -> {
                    int n = buf.readableBytes();
                    md.update(buf.nioBuffer());
                    return (long) n;
                  })
                  .reduce(0L, Long::sum)
                  .map(count -> count + " " + HexFormat.of().formatHex(md.digest())));
            }))
        .bindNow();
    ZeroTierAddressResolverGroup resolver = new ZeroTierAddressResolverGroup(b).put("server.zt", addrA);
    try {
      assertThat(server.address()).isEqualTo(new InetSocketAddress(addrA, 8080));
      HttpClient client = HttpClient.create().runOn(loopsB).resolver(resolver).baseUrl("http://server.zt:8080");
      assertThat(client.get().uri("/hello").responseContent().aggregate().asString().block(WAIT))
          .isEqualTo("hello " + addrB.getHostAddress());
      String digest = client.post().uri("/digest").send(ReactorNettyHttpTest.randomChunks(8))
          .responseContent().aggregate().asString().block(WAIT);
      assertThat(digest).isEqualTo((8L << 20) + " " + ReactorNettyHttpTest.expectedDigest(8));
      assertThat(client.post().uri("/digest")
          .send(Mono.just(Unpooled.copiedBuffer("x", StandardCharsets.UTF_8)))
          .responseContent().aggregate().asString().block(WAIT)).startsWith("1 ");
    } finally {
      server.disposeNow();
      resolver.close();
      loopsA.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
      loopsB.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    }
  }
}
