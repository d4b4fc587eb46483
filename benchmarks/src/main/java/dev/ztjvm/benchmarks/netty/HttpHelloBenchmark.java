package dev.ztjvm.benchmarks.netty;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * HTTP/1.1 "hello" requests from a Reactor Netty {@code HttpClient} to a Reactor Netty {@code HttpServer}, both with
 * two-thread NIO loop groups and kept-alive pooled connections, over:
 *
 * <ul>
 *   <li>{@code zerotier}: two {@link ZeroTierNode}s in this JVM on a private network of an in-process root and
 *       controller ({@link LocalZeroTier}); encrypted VL1 over loopback UDP, the JVM TCP/IP stack, and the
 *       {@code zerotier-netty} channels ({@link ZeroTierLoopResources});
 *   <li>{@code loopback}: the same server and client on the kernel loopback (Netty's NIO channels).
 * </ul>
 *
 * <p>{@code requests}: 64 requests per invocation, 16 in flight, so ops/s = requests/s. {@code latency}: one
 * request at a time, time per request (read p99 from the SampleTime percentiles).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar HttpHelloBenchmark}.
 */
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class HttpHelloBenchmark {

  static final int BATCH = 64;
  static final int IN_FLIGHT = 16;
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** {@code zerotier}: two in-JVM ZeroTier nodes; {@code loopback}: kernel loopback. */
  @Param({"zerotier", "loopback"}) public String transport;

  private LocalZeroTier zt;
  private ZeroTierNode nodeA;
  private ZeroTierNode nodeB;
  private LoopResources serverLoops;
  private LoopResources clientLoops;
  private DisposableServer server;
  private ConnectionProvider pool;
  private HttpClient client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InetAddress serverAddress;
    if (transport.equals("zerotier")) {
      zt = LocalZeroTier.start();
      long nwid = zt.createPrivateNetwork("bench", "10.147.40.0/24", "10.147.40.10", "10.147.40.20", false);
      nodeA = zt.nodeBuilder().build().start();
      nodeB = zt.nodeBuilder().build().start();
      nodeA.join(nwid);
      nodeB.join(nwid);
      zt.authorize(nwid, nodeA.nodeId());
      zt.authorize(nwid, nodeB.nodeId());
      serverAddress = nodeA.awaitNetworkReady(nwid, Duration.ofSeconds(60)).ipv4().orElseThrow();
      nodeB.awaitNetworkReady(nwid, Duration.ofSeconds(60));
      serverLoops = ZeroTierLoopResources.create(nodeA, "bench-zt-server", 2);
      clientLoops = ZeroTierLoopResources.create(nodeB, "bench-zt-client", 2);
    } else {
      serverAddress = InetAddress.getLoopbackAddress();
      serverLoops = LoopResources.create("bench-lo-server", 1, 2, true, false);
      clientLoops = LoopResources.create("bench-lo-client", 1, 2, true, false);
    }
    server = HttpServer.create()
        .runOn(serverLoops, false)
        .bindAddress(() -> new InetSocketAddress(serverAddress, transport.equals("zerotier") ? 8080 : 0))
        .route(r -> r.get("/hello", (req, res) -> res.sendString(Mono.just("hello"))))
        .bindNow();
    int port = ((InetSocketAddress) server.address()).getPort();
    pool = ConnectionProvider.builder("bench-" + transport).maxConnections(IN_FLIGHT).pendingAcquireMaxCount(-1)
        .build();
    client = HttpClient.create(pool).runOn(clientLoops, false)
        .remoteAddress(() -> new InetSocketAddress(serverAddress, port));
    // Open the pool's connections before measuring.
    requests();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    server.disposeNow();
    pool.disposeLater().block(TIMEOUT);
    clientLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    serverLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    if (nodeA != null) {
      nodeA.close();
      nodeB.close();
      zt.close();
    }
  }

  private Mono<String> hello() {
    return client.get().uri("/hello").responseContent().aggregate().asString();
  }

  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @OperationsPerInvocation(BATCH)
  public long requests() {
    Long n = Flux.range(0, BATCH).flatMap(i -> hello(), IN_FLIGHT).count().block(TIMEOUT);
    if (n == null || n != BATCH) {
      throw new IllegalStateException("answered " + n + " of " + BATCH);
    }
    return n;
  }

  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public String latency() {
    String s = hello().block(TIMEOUT);
    if (!"hello".equals(s)) {
      throw new IllegalStateException("answer: " + s);
    }
    return s;
  }
}
