package dev.ztjvm.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.ByteArrayOutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Plain Netty between two real ZeroTier nodes in this JVM (in-process root and controller, encrypted VL1 over
 * loopback UDP): echo over IPv4 and IPv6, half-close, demand-driven reads and writability, TLS, socket options,
 * file regions, errors. The server runs on node A, the client on node B.
 */
class NettyEchoTest {

  private static TwoNodes nodes;
  private static EventLoopGroup group;

  @BeforeAll
  static void setUp() throws Exception {
    nodes = TwoNodes.start();
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  }

  @AfterAll
  static void tearDown() throws Exception {
    if (group != null) {
      group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  /** Echoes every byte; with half-closure on, answers the peer's FIN with its own once the echo is written. */
  @io.netty.channel.ChannelHandler.Sharable
  static final class Echo extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ctx.write(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
      ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(f -> ((SocketChannel) ctx.channel()).shutdownOutput());
      }
    }
  }

  /** Collects everything until the peer closes its output; then completes. */
  static final class Collect extends ChannelInboundHandlerAdapter {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final CompletableFuture<byte[]> done = new CompletableFuture<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      ByteBuf b = (ByteBuf) msg;
      byte[] a = new byte[b.readableBytes()];
      b.readBytes(a);
      b.release();
      bytes.write(a, 0, a.length);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        done.complete(bytes.toByteArray());
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      done.complete(bytes.toByteArray());
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      done.completeExceptionally(cause);
    }
  }

  private Channel echoServer(InetAddress address, int port, boolean tls) throws Exception {
    SslContext ssl = tls ? serverSsl() : null;
    return new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
        .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            if (ssl != null) {
              ch.pipeline().addLast(ssl.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast(new Echo());
          }
        })
        .bind(new InetSocketAddress(address, port)).sync().channel();
  }

  private Bootstrap client() {
    return new Bootstrap().group(group).channelFactory(() -> new ZeroTierSocketChannel(nodes.b.netstack()))
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }

  @Test
  void echoesAMegabyteWithHalfCloseOverIpv4() throws Exception {
    echoAMegabyte(nodes.a4, nodes.b4, 7000);
  }

  @Test
  void echoesAMegabyteWithHalfCloseOverIpv6() throws Exception {
    echoAMegabyte(nodes.a6, nodes.b6, 7006);
  }

  private void echoAMegabyte(InetAddress serverAddress, InetAddress clientAddress, int port) throws Exception {
    Channel server = echoServer(serverAddress, port, false);
    assertThat(server).isInstanceOf(io.netty.channel.socket.ServerSocketChannel.class);
    assertThat(((InetSocketAddress) server.localAddress()).getAddress()).isEqualTo(serverAddress);
    Collect collect = new Collect();
    Channel ch = client().handler(collect).connect(new InetSocketAddress(serverAddress, port)).sync().channel();
    assertThat(((SocketChannel) ch).remoteAddress()).isEqualTo(new InetSocketAddress(serverAddress, port));
    assertThat(((SocketChannel) ch).localAddress().getAddress()).isEqualTo(clientAddress);

    byte[] payload = new byte[1 << 20];
    new Random(7).nextBytes(payload);
    ChannelFuture last = null;
    for (int off = 0; off < payload.length; off += 10_000) {
      last = ch.write(Unpooled.wrappedBuffer(payload, off, Math.min(10_000, payload.length - off)));
    }
    ch.flush();
    // As with a kernel socket, shutdownOutput drops what the stack has not taken yet: wait for the last write.
    last.sync();
    // Half-close: our output ends, yet the echo (written by the server after it saw our FIN) still arrives.
    ((SocketChannel) ch).shutdownOutput().sync();
    assertThat(((SocketChannel) ch).isOutputShutdown()).isTrue();
    byte[] echoed = collect.done.get(60, TimeUnit.SECONDS);
    assertThat(echoed.length).isEqualTo(payload.length);
    assertThat(java.util.Arrays.mismatch(echoed, payload)).as("first differing byte").isEqualTo(-1);
    ch.close().sync();
    server.close().sync();
  }

  @Test
  void withoutHalfClosureTheEndOfInputClosesTheChannel() throws Exception {
    CompletableFuture<Channel> child = new CompletableFuture<>();
    AtomicBoolean sawInputShutdownEvent = new AtomicBoolean();
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            child.complete(ctx.channel());
          }

          @Override
          public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof ChannelInputShutdownEvent) {
              sawInputShutdownEvent.set(true);
            }
          }
        })
        .bind(new InetSocketAddress(nodes.a4, 7007)).sync().channel();
    Channel ch = client().handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(nodes.a4, 7007)).sync().channel();
    Channel accepted = child.get(30, TimeUnit.SECONDS);
    assertThat(accepted.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE)).isFalse();
    ((SocketChannel) ch).shutdownOutput().sync();
    assertThat(accepted.closeFuture().await(30, TimeUnit.SECONDS)).isTrue();
    assertThat(sawInputShutdownEvent).isFalse();
    ch.closeFuture().await(30, TimeUnit.SECONDS);
    server.close().sync();
  }

  @Test
  void autoReadOffStopsReadingAndWritabilityFollowsTheSendBuffer() throws Exception {
    // A server that never reads: the client's writes must fill TCP buffers and turn the channel unwritable.
    AtomicReference<Channel> accepted = new AtomicReference<>();
    CountDownLatch acceptedLatch = new CountDownLatch(1);
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            accepted.set(ctx.channel());
            acceptedLatch.countDown();
          }
        })
        .bind(new InetSocketAddress(nodes.a4, 7001)).sync().channel();
    AtomicBoolean becameUnwritable = new AtomicBoolean();
    CountDownLatch unwritable = new CountDownLatch(1);
    Channel ch = client().handler(new ChannelInboundHandlerAdapter() {
      @Override
      public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
          becameUnwritable.set(true);
          unwritable.countDown();
        }
      }
    }).connect(new InetSocketAddress(nodes.a4, 7001)).sync().channel();
    assertThat(acceptedLatch.await(10, TimeUnit.SECONDS)).isTrue();
    byte[] block = new byte[64 * 1024];
    long written = 0;
    // Write while writable, up to far more than both TCP buffers and the high water mark (64 KiB) hold; stop once
    // the channel has stayed unwritable for a while (the buffers are full and the server does not read).
    long unwritableSince = -1;
    while (written < 200L * block.length) {
      if (ch.isWritable()) {
        ch.writeAndFlush(Unpooled.wrappedBuffer(block));
        written += block.length;
        unwritableSince = -1;
      } else if (unwritableSince < 0) {
        unwritableSince = System.nanoTime();
      } else if (System.nanoTime() - unwritableSince > TimeUnit.MILLISECONDS.toNanos(500)) {
        break;
      } else {
        Thread.sleep(10);
      }
    }
    assertThat(unwritable.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(written).isLessThan(200L * block.length);
    assertThat(ch.eventLoop().submit(ch::isWritable).get()).isFalse();
    // Now let the server read: all bytes arrive and the client turns writable again.
    AtomicInteger received = new AtomicInteger();
    long expected = written;
    CountDownLatch all = new CountDownLatch(1);
    Channel s = accepted.get();
    s.eventLoop().execute(() -> {
      s.pipeline().addLast(new ChannelInboundHandlerAdapter() {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
          if (received.addAndGet(((ByteBuf) msg).readableBytes()) >= expected) {
            all.countDown();
          }
          ((ByteBuf) msg).release();
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
          ctx.read();
        }
      });
      s.read();
    });
    assertThat(all.await(60, TimeUnit.SECONDS)).isTrue();
    // Everything reached the peer, so nothing is left pending: writable again.
    assertThat(ch.eventLoop().submit(ch::isWritable).get()).isTrue();
    assertThat(received.get()).isEqualTo(expected);
    ch.close().sync();
    server.close().sync();
  }

  @Test
  void connectToAClosedPortFailsTheConnectPromise() throws Exception {
    ChannelFuture f = client().handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(nodes.a4, 7999)).await();
    assertThat(f.isSuccess()).isFalse();
    assertThat(f.cause()).isInstanceOf(ConnectException.class);
    assertThat(f.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void connectTimeoutToASilentAddress() throws Exception {
    ChannelFuture f = client().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(nodes.silent4, 80)).await();
    assertThat(f.cause()).isInstanceOf(io.netty.channel.ConnectTimeoutException.class);
  }

  @Test
  void peerResetReachesExceptionCaughtAndCloses() throws Exception {
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
        .childOption(ChannelOption.SO_LINGER, 0)
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            ctx.close(); // SO_LINGER=0: reset
          }
        })
        .bind(new InetSocketAddress(nodes.a4, 7002)).sync().channel();
    Collect collect = new Collect();
    Channel ch = client().handler(collect).connect(new InetSocketAddress(nodes.a4, 7002)).sync().channel();
    assertThatThrownBy(() -> collect.done.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(
        java.net.SocketException.class);
    assertThat(ch.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    server.close().sync();
  }

  @Test
  void tlsEchoOverSslHandler() throws Exception {
    Channel server = echoServer(nodes.a4, 7443, true);
    SslContext clientSsl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    Collect collect = new Collect();
    CountDownLatch handshake = new CountDownLatch(1);
    Channel ch = client().option(ChannelOption.ALLOW_HALF_CLOSURE, false).handler(
        new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel c) {
            SslHandler h = clientSsl.newHandler(c.alloc());
            h.handshakeFuture().addListener(f -> {
              if (f.isSuccess()) {
                handshake.countDown();
              }
            });
            c.pipeline().addLast(h, collect);
          }
        }).connect(new InetSocketAddress(nodes.a4, 7443)).sync().channel();
    assertThat(handshake.await(20, TimeUnit.SECONDS)).isTrue();
    byte[] payload = new byte[100_000];
    new Random(3).nextBytes(payload);
    ch.writeAndFlush(Unpooled.wrappedBuffer(payload)).sync();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (collect.bytes.size() < payload.length && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    ch.eventLoop().submit(() -> null).get();
    assertThat(collect.bytes.toByteArray()).isEqualTo(payload);
    ch.close().sync();
    server.close().sync();
  }

  @Test
  void socketOptionsReachTheStackConnection() throws Exception {
    CompletableFuture<ZeroTierSocketChannel> child = new CompletableFuture<>();
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
        .childOption(ChannelOption.TCP_NODELAY, false)
        .childOption(ChannelOption.SO_KEEPALIVE, true)
        .childOption(ChannelOption.SO_RCVBUF, 48 * 1024)
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            child.complete((ZeroTierSocketChannel) ctx.channel());
          }
        })
        .bind(new InetSocketAddress(nodes.a4, 7010)).sync().channel();
    ZeroTierSocketChannel ch = (ZeroTierSocketChannel) client()
        .option(ChannelOption.TCP_NODELAY, false)
        .option(ChannelOption.SO_KEEPALIVE, true)
        .option(ChannelOption.SO_SNDBUF, 32 * 1024)
        .option(ChannelOption.SO_RCVBUF, 40 * 1024)
        .option(ChannelOption.IP_TOS, 0x10)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(nodes.a4, 7010)).sync().channel();
    // Options given before the connection exists are applied when it is made.
    ZeroTierSocketChannel.StackOptions before = ch.stackOptions();
    assertThat(before.noDelay()).isFalse();
    assertThat(before.keepAlive()).isTrue();
    assertThat(before.sendBufferSize()).isEqualTo(32 * 1024);
    assertThat(before.receiveBufferSize()).isEqualTo(40 * 1024);
    assertThat(before.trafficClass()).isEqualTo(0x10);
    assertThat(ch.config().getSendBufferSize()).isEqualTo(32 * 1024);
    // Changes on a live channel reach its connection.
    ch.config().setOption(ChannelOption.TCP_NODELAY, true);
    ch.config().setOption(ChannelOption.SO_KEEPALIVE, false);
    ch.config().setOption(ChannelOption.SO_SNDBUF, 96 * 1024);
    ch.config().setOption(ChannelOption.SO_RCVBUF, 80 * 1024);
    ZeroTierSocketChannel.StackOptions after = ch.stackOptions();
    assertThat(after.noDelay()).isTrue();
    assertThat(after.keepAlive()).isFalse();
    assertThat(after.sendBufferSize()).isEqualTo(96 * 1024);
    assertThat(after.receiveBufferSize()).isEqualTo(80 * 1024);
    assertThat(ch.config().getOptions()).containsEntry(ChannelOption.TCP_NODELAY, true)
        .containsEntry(ChannelOption.SO_SNDBUF, 96 * 1024);
    // Accepted channels take the server's child options.
    ZeroTierSocketChannel accepted = child.get(30, TimeUnit.SECONDS);
    ZeroTierSocketChannel.StackOptions acceptedOptions = accepted.stackOptions();
    assertThat(acceptedOptions.noDelay()).isFalse();
    assertThat(acceptedOptions.keepAlive()).isTrue();
    assertThat(acceptedOptions.receiveBufferSize()).isEqualTo(48 * 1024);
    assertThat(accepted.config().isTcpNoDelay()).isFalse();
    assertThatThrownBy(() -> ch.config().setOption(ChannelOption.SO_SNDBUF, 0))
        .isInstanceOf(IllegalArgumentException.class);
    ch.close().sync();
    server.close().sync();
  }

  @Test
  void fileRegionsAreWrittenBetweenByteBufs(@TempDir Path tmp) throws Exception {
    // Larger than one write chunk (256 KiB), sent from an offset inside the file.
    byte[] file = new byte[700_000];
    new Random(5).nextBytes(file);
    Path path = tmp.resolve("region.bin");
    Files.write(path, file);
    int offset = 1_000;
    int length = file.length - 2 * offset;
    Channel server = echoServer(nodes.a4, 7011, false);
    Collect collect = new Collect();
    Channel ch = client().handler(collect).connect(new InetSocketAddress(nodes.a4, 7011)).sync().channel();
    DefaultFileRegion region = new DefaultFileRegion(path.toFile(), offset, length);
    ch.write(Unpooled.copiedBuffer("head:", StandardCharsets.US_ASCII));
    ChannelFuture regionWritten = ch.write(region);
    ChannelFuture last = ch.writeAndFlush(Unpooled.copiedBuffer(":tail", StandardCharsets.US_ASCII));
    last.sync();
    assertThat(regionWritten.isSuccess()).isTrue();
    assertThat(region.refCnt()).as("the channel released the region").isZero();
    ((SocketChannel) ch).shutdownOutput().sync();
    byte[] echoed = collect.done.get(60, TimeUnit.SECONDS);
    ByteArrayOutputStream expected = new ByteArrayOutputStream();
    expected.writeBytes("head:".getBytes(StandardCharsets.US_ASCII));
    expected.write(file, offset, length);
    expected.writeBytes(":tail".getBytes(StandardCharsets.US_ASCII));
    assertThat(echoed.length).isEqualTo(expected.size());
    assertThat(java.util.Arrays.mismatch(echoed, expected.toByteArray())).as("first differing byte").isEqualTo(-1);
    ch.close().sync();
    server.close().sync();
  }

  /** Writes the payload in two messages as soon as the connection is up and closes when the last write completes. */
  @io.netty.channel.ChannelHandler.Sharable
  static final class WriteThenClose extends ChannelInboundHandlerAdapter {
    private final byte[] payload;

    WriteThenClose(byte[] payload) {
      this.payload = payload;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.write(Unpooled.wrappedBuffer(payload, 0, 100));
      ctx.writeAndFlush(Unpooled.wrappedBuffer(payload, 100, payload.length - 100))
          .addListener(ChannelFutureListener.CLOSE);
    }
  }

  @Test
  void closeRightAfterAWriteCompletesStillDeliversTheBytes() throws Exception {
    // A write completes once the stack has the bytes queued; closing in its listener (as HTTP servers do) must not
    // overtake them, for one chunk or several.
    byte[] payload = new byte[600_000];
    new Random(13).nextBytes(payload);
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(nodes.a.netstack()))
        .childHandler(new WriteThenClose(payload))
        .bind(new InetSocketAddress(nodes.a4, 7013)).sync().channel();
    for (int i = 0; i < 3; i++) {
      Collect collect = new Collect();
      client().handler(collect).connect(new InetSocketAddress(nodes.a4, 7013)).sync();
      byte[] got = collect.done.get(60, TimeUnit.SECONDS);
      assertThat(got.length).as("bytes before the FIN, connection " + i).isEqualTo(payload.length);
      assertThat(java.util.Arrays.mismatch(got, payload)).isEqualTo(-1);
    }
    server.close().sync();
  }

  @Test
  void otherMessageTypesAreRejectedClearly() throws Exception {
    Channel server = echoServer(nodes.a4, 7012, false);
    Channel ch = client().handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(nodes.a4, 7012)).sync().channel();
    ChannelFuture f = ch.writeAndFlush("a string").await();
    assertThat(f.cause()).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("java.lang.String");
    ch.close().sync();
    server.close().sync();
  }

  static SslContext serverSsl() throws Exception {
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (var in = NettyEchoTest.class.getResourceAsStream("/test-cert.p12")) {
      ks.load(in, "changeit".toCharArray());
    }
    PrivateKey key = (PrivateKey) ks.getKey("zt", "changeit".toCharArray());
    X509Certificate cert = (X509Certificate) ks.getCertificate("zt");
    return SslContextBuilder.forServer(key, cert).build();
  }
}
