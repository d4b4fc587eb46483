package dev.ztjvm.benchmarks.spring;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.web.servlet.ZeroTierLoopbackBridge;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
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
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;
import reactor.netty.resources.LoopResources;

/**
 * HTTP/1.1 "hello" requests to a Spring MVC application on Tomcat ({@link MvcHelloApp}), from a Reactor Netty
 * {@code HttpClient} (two-thread loop group, kept-alive pooled connections), in two set-ups of the same application:
 *
 * <ul>
 *   <li>{@code bridged}: {@code zerotier.server.enabled=true} — Tomcat on 127.0.0.1, the loopback bridge on the
 *       application node's ZeroTier address; the client runs on a second {@link ZeroTierNode} of the same private
 *       network (in-process root and controller, {@link LocalZeroTier}): encrypted VL1 over loopback UDP, the JVM
 *       TCP/IP stack, then the bridge's loopback connection into Tomcat;
 *   <li>{@code loopback}: the application without ZeroTier, Tomcat on 127.0.0.1, the client on the kernel loopback.
 * </ul>
 *
 * <p>{@code requests}: 64 requests per invocation, 16 in flight, so ops/s = requests/s. {@code latency}: one
 * request at a time (read p99 from the SampleTime percentiles).
 *
 * <p>Run: {@code java -jar benchmarks/target/benchmarks.jar MvcHelloBenchmark}.
 */
@Fork(value = 1, jvmArgs = {"-Xms1g", "-Xmx1g"})
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@State(Scope.Benchmark)
public class MvcHelloBenchmark {

  static final int BATCH = 64;
  static final int IN_FLIGHT = 16;
  static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** {@code bridged}: served on ZeroTier through the bridge; {@code loopback}: the same app on the kernel loopback. */
  @Param({"bridged", "loopback"}) public String transport;

  private @Nullable LocalZeroTier zt;
  private @Nullable ZeroTierNode clientNode;
  private ConfigurableApplicationContext app;
  private LoopResources clientLoops;
  private ConnectionProvider pool;
  private HttpClient client;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    InetSocketAddress target;
    if (transport.equals("bridged")) {
      LocalZeroTier local = LocalZeroTier.start();
      zt = local;
      long nwid = local.createPrivateNetwork("bench-mvc", "10.147.41.0/24", "10.147.41.10", "10.147.41.20", false);
      Identity appIdentity = Identity.generate();
      local.authorize(nwid, appIdentity.address());
      Path planet = local.home().resolve("bench-planet");
      Files.write(planet, local.planetBytes());
      ZeroTierNode node = local.nodeBuilder().build().start();
      clientNode = node;
      node.join(nwid);
      local.authorize(nwid, node.nodeId());
      app = new SpringApplicationBuilder(MvcHelloApp.class).properties(
          "zerotier.network-id=" + String.format("%016x", nwid), "zerotier.identity=" + appIdentity.toSecretString(),
          "zerotier.planet=" + planet.toUri(), "zerotier.port=0",
          "zerotier.bind-addresses=" + local.rootEndpoint().getAddress().getHostAddress(),
          "zerotier.allow-loopback-paths=true", "zerotier.server.enabled=true", "server.port=0",
          "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true", "spring.main.banner-mode=off",
          "logging.level.root=warn").run();
      node.awaitNetworkReady(nwid, Duration.ofSeconds(60));
      target = app.getBean(ZeroTierLoopbackBridge.class).address();
      if (target == null) {
        throw new IllegalStateException("the bridge is not listening");
      }
      clientLoops = ZeroTierLoopResources.create(node, "bench-zt-client", 2);
    } else {
      app = new SpringApplicationBuilder(MvcHelloApp.class).properties("server.address=127.0.0.1", "server.port=0",
          "spring.main.banner-mode=off", "logging.level.root=warn").run();
      int port = ((WebServerApplicationContext) app).getWebServer().getPort();
      target = new InetSocketAddress("127.0.0.1", port);
      clientLoops = LoopResources.create("bench-lo-client", 1, 2, true, false);
    }
    pool = ConnectionProvider.builder("bench-mvc-" + transport).maxConnections(IN_FLIGHT).pendingAcquireMaxCount(-1)
        .build();
    InetSocketAddress to = target;
    client = HttpClient.create(pool).runOn(clientLoops, false).remoteAddress(() -> to);
    // Open the pool's connections before measuring.
    requests();
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    pool.disposeLater().block(TIMEOUT);
    clientLoops.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block();
    app.close();
    if (clientNode != null) {
      clientNode.close();
    }
    if (zt != null) {
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
