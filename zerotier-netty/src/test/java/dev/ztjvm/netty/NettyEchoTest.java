package dev.ztjvm.netty;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.sockets.TwoHostNet;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
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
import java.net.InetSocketAddress;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain Netty over two netstack hosts joined by an in-memory wire. */
class NettyEchoTest {

  private TwoHostNet net;
  private EventLoopGroup group;

  @BeforeEach
  void setUp() throws Exception {
    net = new TwoHostNet();
    group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
  }

  @AfterEach
  void tearDown() throws Exception {
    group.shutdownGracefully(0, 2, TimeUnit.SECONDS).sync();
    net.close();
  }

  /** Echoes every byte; with half-closure on, answers the peer's FIN with its own once the echo is written. */
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

  private Channel echoServer(int port, boolean tls) throws Exception {
    SslContext ssl = tls ? serverSsl() : null;
    return new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(net.a))
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
        .bind(new InetSocketAddress(TwoHostNet.A4, port)).sync().channel();
  }

  private Bootstrap client() {
    return new Bootstrap().group(group).channelFactory(() -> new ZeroTierSocketChannel(net.b))
        .option(ChannelOption.ALLOW_HALF_CLOSURE, true);
  }

  @Test
  void echoesAMegabyteWithHalfCloseAndRealAddresses() throws Exception {
    Channel server = echoServer(7000, false);
    assertThat(server).isInstanceOf(io.netty.channel.socket.ServerSocketChannel.class);
    assertThat(((InetSocketAddress) server.localAddress()).getAddress()).isEqualTo(TwoHostNet.A4);
    Collect collect = new Collect();
    Channel ch = client().handler(collect).connect(new InetSocketAddress(TwoHostNet.A4, 7000)).sync().channel();
    assertThat(((SocketChannel) ch).remoteAddress()).isEqualTo(new InetSocketAddress(TwoHostNet.A4, 7000));
    assertThat(((SocketChannel) ch).localAddress().getAddress()).isEqualTo(TwoHostNet.B4);

    byte[] payload = new byte[1 << 20];
    new Random(7).nextBytes(payload);
    ChannelFuture last = null;
    for (int off = 0; off < payload.length; off += 10_000) {
      last = ch.write(Unpooled.wrappedBuffer(payload, off, Math.min(10_000, payload.length - off)));
    }
    ch.flush();
    // As with a kernel socket, shutdownOutput drops what the stack has not taken yet: wait for the last write.
    last.sync();
    ((SocketChannel) ch).shutdownOutput().sync();
    byte[] echoed = collect.done.get(60, TimeUnit.SECONDS);
    assertThat(echoed.length).isEqualTo(payload.length);
    assertThat(java.util.Arrays.mismatch(echoed, payload)).as("first differing byte").isEqualTo(-1);
    ch.close().sync();
    server.close().sync();
  }

  @Test
  void autoReadOffStopsReadingAndWritabilityFollowsTheSendBuffer() throws Exception {
    // A server that never reads: the client's writes must fill TCP buffers and turn the channel unwritable.
    AtomicReference<Channel> accepted = new AtomicReference<>();
    CountDownLatch acceptedLatch = new CountDownLatch(1);
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(net.a))
        .childOption(ChannelOption.AUTO_READ, false)
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            accepted.set(ctx.channel());
            acceptedLatch.countDown();
          }
        })
        .bind(new InetSocketAddress(TwoHostNet.A4, 7001)).sync().channel();
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
    }).connect(new InetSocketAddress(TwoHostNet.A4, 7001)).sync().channel();
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
        .connect(new InetSocketAddress(TwoHostNet.A4, 7999)).await();
    assertThat(f.isSuccess()).isFalse();
    assertThat(f.cause()).isInstanceOf(ConnectException.class);
    assertThat(f.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void connectTimeoutToASilentAddress() throws Exception {
    ChannelFuture f = client().option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
        .handler(new ChannelInboundHandlerAdapter())
        .connect(new InetSocketAddress(TwoHostNet.SILENT4, 80)).await();
    assertThat(f.cause()).isInstanceOf(io.netty.channel.ConnectTimeoutException.class);
  }

  @Test
  void peerResetReachesExceptionCaughtAndCloses() throws Exception {
    Channel server = new ServerBootstrap().group(group)
        .channelFactory(() -> new ZeroTierServerSocketChannel(net.a))
        .childOption(ChannelOption.SO_LINGER, 0)
        .childHandler(new ChannelInboundHandlerAdapter() {
          @Override
          public void channelActive(ChannelHandlerContext ctx) {
            ctx.close(); // SO_LINGER=0: reset
          }
        })
        .bind(new InetSocketAddress(TwoHostNet.A4, 7002)).sync().channel();
    Collect collect = new Collect();
    Channel ch = client().handler(collect).connect(new InetSocketAddress(TwoHostNet.A4, 7002)).sync().channel();
    assertThatThrownBy(() -> collect.done.get(10, TimeUnit.SECONDS)).hasRootCauseInstanceOf(java.net.SocketException.class);
    assertThat(ch.closeFuture().await(10, TimeUnit.SECONDS)).isTrue();
    server.close().sync();
  }

  @Test
  void tlsEchoOverSslHandler() throws Exception {
    Channel server = echoServer(7443, true);
    SslContext clientSsl = SslContextBuilder.forClient().trustManager(InsecureTrustManagerFactory.INSTANCE).build();
    Collect collect = new Collect();
    CountDownLatch handshake = new CountDownLatch(1);
    Channel ch = client().option(ChannelOption.ALLOW_HALF_CLOSURE, false).handler(new ChannelInitializer<SocketChannel>() {
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
    }).connect(new InetSocketAddress(TwoHostNet.A4, 7443)).sync().channel();
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
