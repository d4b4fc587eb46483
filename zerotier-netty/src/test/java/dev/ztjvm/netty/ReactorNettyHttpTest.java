package dev.ztjvm.netty;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.TwoHostNet;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelOption;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.DefaultEventExecutor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.test.StepVerifier;

/** Reactor Netty HttpServer on host A and HttpClient on host B, over two netstack hosts joined by a wire. */
class ReactorNettyHttpTest {

  private static final int CHUNK = 1 << 20;
  private static TwoHostNet net;
  private static ZeroTierLoopResources loopsA;
  private static ZeroTierLoopResources loopsB;
  private static DisposableServer server;
  private static ConnectionProvider pool;
  private static HttpClient client;

  @BeforeAll
  static void start() throws Exception {
    net = new TwoHostNet();
    loopsA = ZeroTierLoopResources.create(net.a, "zt-a", 2);
    loopsB = ZeroTierLoopResources.create(net.b, "zt-b", 2);
    server = HttpServer.create()
        .runOn(loopsA)
        .bindAddress(() -> new InetSocketAddress(TwoHostNet.A4, 8080))
        .route(r -> r
            .get("/hello", (req, res) -> res.sendString(Mono.just("hello " + req.remoteAddress().getAddress()
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
            .get("/chunks", (req, res) -> res.sendString(Flux.range(0, 100).map(i -> "line " + i + "\n")))
            .get("/slow", (req, res) -> res.sendString(Mono.delay(Duration.ofMillis(800)).map(x -> "slow done")))
            .ws("/ws", (in, out) -> out.sendString(in.receive().asString().map(s -> "echo:" + s))))
        .bindNow();
    pool = ConnectionProvider.builder("zt-test").maxConnections(600).pendingAcquireMaxCount(-1).build();
    client = HttpClient.create(pool).runOn(loopsB).resolver(new ZeroTierAddressResolverGroup()
            .put("node-a.zt", TwoHostNet.A4))
        .baseUrl("http://node-a.zt:8080")
        .responseTimeout(Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.disposeNow();
    }
    if (pool != null) {
      pool.disposeLater().block(Duration.ofSeconds(10));
    }
    loopsA.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    loopsB.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    net.close();
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
    assertThat(server.address()).isEqualTo(new InetSocketAddress(TwoHostNet.A4, 8080));
    assertThat(server.channel()).isInstanceOf(ZeroTierServerSocketChannel.class);
  }

  @Test
  void getAndPost() {
    String hello = client.get().uri("/hello").responseContent().aggregate().asString().block();
    assertThat(hello).isEqualTo("hello " + TwoHostNet.B4.getHostAddress());
    String echoed = client.post().uri("/echo").send(Mono.just(Unpooled.copiedBuffer("ping over zt",
        StandardCharsets.UTF_8))).responseContent().aggregate().asString().block();
    assertThat(echoed).isEqualTo("ping over zt");
  }

  @Test
  void keepAliveReusesTheConnection() {
    // A pool of one connection: a second port would mean the connection was not kept alive. (The shared pool
    // leases FIFO among its many idle connections, so it cannot show reuse.)
    ConnectionProvider one = ConnectionProvider.create("zt-keepalive", 1);
    HttpClient single = HttpClient.create(one).runOn(loopsB).baseUrl("http://" + TwoHostNet.A4.getHostAddress() + ":8080");
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
            .get().uri("http://" + TwoHostNet.SILENT4.getHostAddress() + ":80/").response())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(io.netty.channel.ConnectTimeoutException.class))
        .verify(Duration.ofSeconds(30));
  }

  @Test
  void gracefulDisposeLetsRequestsInFlightFinish() throws Exception {
    CountDownLatch arrived = new CountDownLatch(10);
    DisposableServer graceful = HttpServer.create()
        .runOn(loopsA)
        .channelGroup(new DefaultChannelGroup(new DefaultEventExecutor()))
        .bindAddress(() -> new InetSocketAddress(TwoHostNet.A4, 8081))
        .handle((req, res) -> {
          arrived.countDown();
          return res.sendString(Mono.delay(Duration.ofMillis(700)).map(x -> "finished"));
        })
        .bindNow();
    var results = Flux.range(0, 10)
        .flatMap(i -> client.get().uri("http://" + TwoHostNet.A4.getHostAddress() + ":8081/")
            .responseSingle((res, body) -> body.asString().map(s -> res.status().code() + " " + s)), 10)
        .collectList().toFuture();
    assertThat(arrived.await(30, TimeUnit.SECONDS)).isTrue();
    graceful.disposeNow(Duration.ofSeconds(20));
    assertThat(results.get(30, TimeUnit.SECONDS)).hasSize(10).allMatch(s -> s.equals("200 finished"));
    assertThat(graceful.isDisposed()).isTrue();
    // The listener is gone: a new connection is refused.
    StepVerifier.create(client.get().uri("http://" + TwoHostNet.A4.getHostAddress() + ":8081/").response())
        .expectError()
        .verify(Duration.ofSeconds(30));
  }
}
