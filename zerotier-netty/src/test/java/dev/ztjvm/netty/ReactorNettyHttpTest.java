package dev.ztjvm.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierDatagramSocket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRoutes;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/**
 * Reactor Netty HttpServer on node A's ZeroTier address and HttpClient on node B, two real ZeroTier nodes in this JVM
 * (in-process root and controller, encrypted VL1 over loopback UDP).
 */
class ReactorNettyHttpTest {

  private static final int CHUNK = 1 << 20;
  private static TwoNodes nodes;
  private static ZeroTierLoopResources loopsA;
  private static ZeroTierLoopResources loopsB;
  private static DisposableServer server;
  private static ConnectionProvider pool;
  private static HttpClient client;
  private static final AtomicInteger fileRegionsWritten = new AtomicInteger();
  private static Path servedFile;
  private static byte[] servedBytes;

  @BeforeAll
  static void start() throws Exception {
    nodes = TwoNodes.start();
    servedBytes = new byte[3 * CHUNK + 12_345];
    new Random(9).nextBytes(servedBytes);
    servedFile = Files.createTempFile("zt-netty-sendfile", ".bin");
    Files.write(servedFile, servedBytes);
    loopsA = ZeroTierLoopResources.create(nodes.a, "zt-a", 2);
    loopsB = ZeroTierLoopResources.create(nodes.b, "zt-b", 2);
    server = HttpServer.create()
        .runOn(loopsA)
        .bindAddress(() -> new InetSocketAddress(nodes.a4, 8080))
        .doOnConnection(c -> c.addHandlerFirst(new FileRegionCounter()))
        .route(ReactorNettyHttpTest::routes)
        .bindNow();
    pool = ConnectionProvider.builder("zt-test").maxConnections(600).pendingAcquireMaxCount(-1).build();
    client = HttpClient.create(pool).runOn(loopsB).resolver(new ZeroTierAddressResolverGroup()
        .put("node-a.zt", nodes.a4))
        .baseUrl("http://node-a.zt:8080")
        .responseTimeout(Duration.ofSeconds(60));
  }

  private static void routes(HttpServerRoutes r) {
    r.get("/hello", (req, res) -> res.sendString(Mono.just("hello " + req.remoteAddress().getAddress()
        .getHostAddress())))
        .get("/port", (req, res) -> res.sendString(Mono.just(Integer.toString(req.remoteAddress().getPort()))))
        .post("/echo", (req, res) -> res.send(req.receive().retain()))
        .post("/digest", (req, res) -> {
          MessageDigest md = sha256();
          return res.sendString(req.receive()
              .map(b -> {
                int n = b.readableBytes();
                md.update(b.nioBuffer());
                return (long) n;
              })
              .reduce(0L, Long::sum)
              .map(count -> count + " " + HexFormat.of().formatHex(md.digest())));
        })
        .get("/download", (req, res) -> res.send(randomChunks(100)))
        .get("/file", (req, res) -> res.sendFile(servedFile))
        .get("/chunks", (req, res) -> res.sendString(Flux.range(0, 100).map(i -> "line " + i + "\n")))
        .ws("/ws", (in, out) -> out.sendString(in.receive().asString().map(s -> "echo:" + s)));
  }

  /** Counts the FileRegions the server writes (Reactor Netty's zero-copy sendFile path). */
  private static final class FileRegionCounter extends ChannelOutboundHandlerAdapter {
    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
      if (msg instanceof FileRegion) {
        fileRegionsWritten.incrementAndGet();
      }
      super.write(ctx, msg, promise);
    }
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.disposeNow();
    }
    if (pool != null) {
      pool.disposeLater().block(Duration.ofSeconds(10));
    }
    if (loopsA != null) {
      loopsA.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
      loopsB.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    }
    if (servedFile != null) {
      Files.deleteIfExists(servedFile);
    }
    if (nodes != null) {
      nodes.close();
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** {@code n} chunks of 1 MiB of seeded random bytes (the same for every call). */
  static Flux<ByteBuf> randomChunks(int n) {
    return Flux.defer(() -> {
      Random r = new Random(42);
      return Flux.range(0, n).map(i -> {
        byte[] b = new byte[CHUNK];
        r.nextBytes(b);
        return Unpooled.wrappedBuffer(b);
      });
    });
  }

  static String expectedDigest(int n) {
    MessageDigest md = sha256();
    Random r = new Random(42);
    byte[] b = new byte[CHUNK];
    for (int i = 0; i < n; i++) {
      r.nextBytes(b);
      md.update(b);
    }
    return HexFormat.of().formatHex(md.digest());
  }

  @Test
  void serverChannelIsBoundToTheZeroTierAddress() {
    assertThat(server.address()).isEqualTo(new InetSocketAddress(nodes.a4, 8080));
    assertThat(server.channel()).isInstanceOf(ZeroTierServerSocketChannel.class);
  }

  @Test
  void getAndPost() {
    String hello = client.get().uri("/hello").responseContent().aggregate().asString().block();
    assertThat(hello).isEqualTo("hello " + nodes.b4.getHostAddress());
    String echoed = client.post().uri("/echo").send(Mono.just(Unpooled.copiedBuffer("ping over zt",
        StandardCharsets.UTF_8))).responseContent().aggregate().asString().block();
    assertThat(echoed).isEqualTo("ping over zt");
  }

  @Test
  void namesResolveOnlyThroughTheZeroTierHostsTable() {
    assertThat(client.get().uri("/hello").responseContent().aggregate().asString().block())
        .startsWith("hello ");
    StepVerifier.create(client.baseUrl("http://not-in-table.zt:8080").get().uri("/hello").response())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(java.net.UnknownHostException.class).hasMessageContaining(
            "not-in-table.zt"))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void keepAliveReusesTheConnection() {
    // A pool of one connection: a second port would mean the connection was not kept alive. (The shared pool
    // leases FIFO among its many idle connections, so it cannot show reuse.)
    ConnectionProvider one = ConnectionProvider.create("zt-keepalive", 1);
    HttpClient single = HttpClient.create(one).runOn(loopsB).baseUrl("http://" + nodes.a4.getHostAddress() + ":8080");
    List<String> ports;
    try {
      ports = Flux.range(0, 5)
          .concatMap(i -> single.get().uri("/port").responseContent().aggregate().asString())
          .collectList().block(Duration.ofSeconds(30));
    } finally {
      one.disposeLater().block(Duration.ofSeconds(10));
    }
    assertThat(ports).hasSize(5);
    assertThat(Set.copyOf(ports)).hasSize(1);
  }

  @Test
  void chunkedBodiesBothWays() {
    String chunked = client.get().uri("/chunks").response((res, body) -> {
      assertThat(res.responseHeaders().get("transfer-encoding")).isEqualTo("chunked");
      return body.aggregate().asString();
    }).single().block();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      expected.append("line ").append(i).append('\n');
    }
    assertThat(chunked).isEqualTo(expected.toString());
    // A Flux body without content length is sent chunked.
    String up = client.post().uri("/echo")
        .send(Flux.range(0, 50).map(i -> Unpooled.copiedBuffer("part" + i + ";", StandardCharsets.UTF_8)))
        .responseContent().aggregate().asString().block();
    StringBuilder parts = new StringBuilder();
    for (int i = 0; i < 50; i++) {
      parts.append("part").append(i).append(';');
    }
    assertThat(up).isEqualTo(parts.toString());
  }

  @Test
  void hundredMegabyteUploadAndDownloadKeepTheirSha256() {
    String expected = expectedDigest(100);
    String upload = client.post().uri("/digest").send(randomChunks(100))
        .responseContent().aggregate().asString().block(Duration.ofMinutes(5));
    assertThat(upload).isEqualTo((100L * CHUNK) + " " + expected);

    MessageDigest md = sha256();
    long count = client.get().uri("/download").responseContent()
        .map(b -> {
          int n = b.readableBytes();
          md.update(b.nioBuffer());
          return (long) n;
        })
        .reduce(0L, Long::sum).block(Duration.ofMinutes(5));
    assertThat(count).isEqualTo(100L * CHUNK);
    assertThat(HexFormat.of().formatHex(md.digest())).isEqualTo(expected);
  }

  @Test
  void fiveHundredConcurrentRequests() {
    List<String> answers = Flux.range(0, 500)
        .flatMap(i -> client.post().uri("/echo")
            .send(Mono.just(Unpooled.copiedBuffer("req-" + i, StandardCharsets.UTF_8)))
            .responseContent().aggregate().asString(), 500)
        .collectList().block(Duration.ofMinutes(2));
    assertThat(answers).hasSize(500);
    assertThat(Set.copyOf(answers)).hasSize(500).allMatch(s -> s.startsWith("req-"));
  }

  @Test
  void webSocketEcho() {
    List<String> replies = client.websocket().uri("/ws")
        .handle((in, out) -> out.sendString(Flux.just("a", "b", "c"))
            .then()
            .thenMany(in.receive().asString().take(3)))
        .collectList().block(Duration.ofSeconds(30));
    assertThat(replies).containsExactly("echo:a", "echo:b", "echo:c");
  }

  @Test
  void clientConnectTimeoutToASilentAddress() {
    StepVerifier.create(client.option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 500)
        .get().uri("http://" + nodes.silent4.getHostAddress() + ":80/").response())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(io.netty.channel.ConnectTimeoutException.class))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void gracefulDisposeLetsRequestsInFlightFinish() throws Exception {
    CountDownLatch arrived = new CountDownLatch(10);
    DisposableServer graceful = HttpServer.create()
        .runOn(loopsA)
        .channelGroup(new DefaultChannelGroup(new DefaultEventExecutor()))
        .bindAddress(() -> new InetSocketAddress(nodes.a4, 8081))
        .handle((req, res) -> {
          arrived.countDown();
          return res.sendString(Mono.delay(Duration.ofMillis(700)).map(x -> "finished"));
        })
        .bindNow();
    var results = Flux.range(0, 10)
        .flatMap(i -> client.get().uri("http://" + nodes.a4.getHostAddress() + ":8081/")
            .responseSingle((res, body) -> body.asString().map(s -> res.status().code() + " " + s)), 10)
        .collectList().toFuture();
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
    graceful.disposeNow(Duration.ofSeconds(20));
    assertThat(results.get(30, TimeUnit.SECONDS)).hasSize(10).allMatch(s -> s.equals("200 finished"));
    assertThat(graceful.isDisposed()).isTrue();
    // The listener is gone: a new connection is refused.
    StepVerifier.create(client.get().uri("http://" + nodes.a4.getHostAddress() + ":8081/").response())
        .expectError()
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void getAndPostOverIpv6() {
    DisposableServer v6 = HttpServer.create()
        .runOn(loopsA)
        .bindAddress(() -> new InetSocketAddress(nodes.a6, 8086))
        .route(ReactorNettyHttpTest::routes)
        .bindNow();
    try {
      assertThat(((InetSocketAddress) v6.address()).getAddress()).isEqualTo(nodes.a6);
      HttpClient c6 = client.baseUrl("http://[" + nodes.a6.getHostAddress() + "]:8086");
      assertThat(c6.get().uri("/hello").responseContent().aggregate().asString().block(Duration.ofSeconds(30)))
          .isEqualTo("hello " + nodes.b6.getHostAddress());
      String echoed = c6.post().uri("/echo").send(Mono.just(Unpooled.copiedBuffer("ping over zt v6",
          StandardCharsets.UTF_8))).responseContent().aggregate().asString().block(Duration.ofSeconds(30));
      assertThat(echoed).isEqualTo("ping over zt v6");
    } finally {
      v6.disposeNow();
    }
  }

  @Test
  void namesResolveThroughTheNodesNetworkDns() throws Exception {
    // A tiny DNS server on node A; the controller pushes it (and the domain "lab") to both members.
    AtomicInteger queries = new AtomicInteger();
    try (ZeroTierDatagramSocket dns = nodes.a.newDatagramSocket(53);
        ZeroTierAddressResolverGroup resolver = new ZeroTierAddressResolverGroup(nodes.b)) {
      Thread responder = new Thread(() -> {
        byte[] buf = new byte[1500];
        try {
          while (true) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            dns.receive(p);
            queries.incrementAndGet();
            byte[] reply = dnsAnswer(Arrays.copyOf(p.getData(), p.getLength()), "web.lab", nodes.a4);
            dns.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
          }
        } catch (Exception e) {
          // socket closed: the test is over
        }
      }, "test-dns");
      responder.setDaemon(true);
      responder.start();
      nodes.zt.setDns(nodes.nwid, "lab", List.of(nodes.a4));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (nodes.b.dnsServers().isEmpty() && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      assertThat(nodes.b.dnsServers()).containsExactly(new InetSocketAddress(nodes.a4, 53));
      HttpClient named = HttpClient.create(pool).runOn(loopsB).resolver(resolver).baseUrl("http://web.lab:8080");
      assertThat(named.get().uri("/hello").responseContent().aggregate().asString().block(Duration.ofSeconds(30)))
          .isEqualTo("hello " + nodes.b4.getHostAddress());
      assertThat(queries.get()).as("DNS queries answered").isPositive();
      // A name the DNS server does not know fails with UnknownHostException.
      StepVerifier.create(named.baseUrl("http://nope.lab:8080").get().uri("/hello").response())
          .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(java.net.UnknownHostException.class))
          .verify(Duration.ofSeconds(30));
    }
  }

  /** The DNS answer to {@code query}: one A record for {@code name}, NXDOMAIN for other names, no AAAA. */
  static byte[] dnsAnswer(byte[] query, String name, InetAddress a) {
    StringBuilder qname = new StringBuilder();
    int p = 12;
    while (query[p] != 0) {
      int len = query[p] & 0xff;
      if (qname.length() > 0) {
        qname.append('.');
      }
      qname.append(new String(query, p + 1, len, StandardCharsets.US_ASCII));
      p += 1 + len;
    }
    int qEnd = p + 5;
    int type = ((query[qEnd - 4] & 0xff) << 8) | (query[qEnd - 3] & 0xff);
    boolean known = qname.toString().equalsIgnoreCase(name);
    boolean answer = known && type == 1;
    byte[] r = Arrays.copyOf(query, qEnd + (answer ? 16 : 0));
    r[2] = (byte) 0x81; // response, recursion desired
    r[3] = (byte) (known ? 0x80 : 0x83); // recursion available; NXDOMAIN for unknown names
    r[6] = 0;
    r[7] = (byte) (answer ? 1 : 0);
    if (answer) {
      int o = qEnd;
      r[o++] = (byte) 0xc0; // name: pointer to the question
      r[o++] = 12;
      r[o++] = 0;
      r[o++] = 1; // type A
      r[o++] = 0;
      r[o++] = 1; // class IN
      o += 3;
      r[o++] = 60; // TTL
      r[o++] = 0;
      r[o++] = 4;
      System.arraycopy(a.getAddress(), 0, r, o, 4);
    }
    return r;
  }

  @Test
  void sendFileGoesOutAsFileRegions() {
    int before = fileRegionsWritten.get();
    MessageDigest md = sha256();
    long count = client.get().uri("/file").responseContent()
        .map(b -> {
          int n = b.readableBytes();
          md.update(b.nioBuffer());
          return (long) n;
        })
        .reduce(0L, Long::sum).block(Duration.ofSeconds(60));
    assertThat(count).isEqualTo(servedBytes.length);
    assertThat(md.digest()).isEqualTo(sha256().digest(servedBytes));
    assertThat(fileRegionsWritten.get() - before).as("FileRegions written by sendFile").isPositive();
  }
}
