package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.NetworkId;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * {@code http} against a real HTTP server: Reactor Netty on a ZeroTier node of an in-process {@link LocalZeroTier}
 * network. Each run of the command starts its own node, joins through the loopback root, and makes one request.
 */
class HttpCommandTest extends ToolCommandTest {

  private static LocalZeroTier zt;
  private static ZeroTierNode serverNode;
  private static ZeroTierLoopResources loops;
  private static DisposableServer server;
  private static String nwid;
  private static String v4;
  private static String v6;
  private static Path planet;
  private static final byte[] BINARY = new byte[200_000];

  @TempDir static Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    new Random(14).nextBytes(BINARY);
    zt = LocalZeroTier.start();
    long id = zt.createPublicNetwork("web", "10.154.0.0/16", "10.154.0.10", "10.154.0.250", true);
    nwid = NetworkId.toString(id);
    planet = Files.write(dir.resolve("planet"), zt.planetBytes());
    serverNode = zt.nodeBuilder().build();
    serverNode.start();
    NetworkDetails d = serverNode.awaitNetworkReady(id, Duration.ofSeconds(60));
    v4 = d.ipv4().orElseThrow().getHostAddress();
    v6 = d.ipv6().orElseThrow().getHostAddress();
    loops = ZeroTierLoopResources.create(serverNode, "web", 1);
    server = HttpServer.create()
        .runOn(loops)
        .bindAddress(() -> new InetSocketAddress(8080)) // every address of the node: v4 and v6
        .route(r -> r
            .get("/hello", (req, res) -> res.header("Content-Type", "text/plain; charset=utf-8")
                .sendString(Mono.just("hello " + req.remoteAddress().getAddress().getHostAddress() + " ✓")))
            .route(req -> req.uri().equals("/echo"), (req, res) -> res
                .header("X-Method", req.method().name())
                .header("X-Test", String.valueOf(req.requestHeaders().get("X-Test")))
                .header("X-Content-Type", String.valueOf(req.requestHeaders().get("Content-Type")))
                .send(req.receive().retain()))
            .get("/chunks", (req, res) -> res.sendString(Flux.range(0, 100).map(i -> "line " + i + "\n")))
            .get("/binary", (req, res) -> res.sendByteArray(Mono.just(BINARY)))
            .get("/teapot", (req, res) -> res.status(HttpResponseStatus.valueOf(418))
                .sendString(Mono.just("short and stout"))))
        .bindNow();
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.disposeNow();
    }
    if (loops != null) {
      loops.dispose();
    }
    if (serverNode != null) {
      serverNode.close();
    }
    if (zt != null) {
      zt.close();
    }
  }

  private int http(String... args) {
    String[] all = new String[args.length + 6];
    all[0] = "http";
    System.arraycopy(args, 0, all, 1, args.length);
    System.arraycopy(new String[] {"--network", nwid, "--planet", planet.toString(), "--allow-loopback"}, 0, all,
        args.length + 1, 5);
    return run(all);
  }

  @Test
  void getPrintsTheBodyAndTheServerSeesTheCallersZeroTierAddress() {
    assertThat(http("http://" + v4 + ":8080/hello")).as(err).isZero();
    assertThat(out).startsWith("hello 10.154.").endsWith(" ✓").doesNotContain("hello " + v4 + " ");
    assertThat(err).isEmpty();
  }

  @Test
  void includePrintsTheStatusLineAndHeadersFirst() {
    assertThat(http("-i", "http://[" + v6 + "]:8080/hello")).as(err).isZero();
    assertThat(out).startsWith("HTTP/1.1 200 OK\r\n").containsIgnoringCase(
        "content-type: text/plain; charset=utf-8\r\n")
        .containsPattern("(?i)content-length: \\d+\r\n").containsPattern("\r\n\r\nhello fd[0-9a-f:]+ ✓$");
  }

  @Test
  void dataAndHeadersArePostedAndAnyMethodCanBeGiven() {
    assertThat(http("-i", "-d", "a=1&b=2", "-H", "X-Test: yes", "http://" + v4 + ":8080/echo")).as(err).isZero();
    assertThat(out).contains("X-Method: POST\r\n", "X-Test: yes\r\n",
        "X-Content-Type: application/x-www-form-urlencoded\r\n").endsWith("\r\n\r\na=1&b=2");

    assertThat(http("-i", "PUT", "-d", "{\"k\":1}", "-H", "Content-Type: application/json",
        "http://" + v4 + ":8080/echo")).as(err).isZero();
    assertThat(out).contains("X-Method: PUT\r\n", "X-Content-Type: application/json\r\n").endsWith("{\"k\":1}");

    assertThat(http("-i", "DELETE", "http://" + v4 + ":8080/echo")).as(err).isZero();
    assertThat(out).contains("X-Method: DELETE\r\n");
  }

  @Test
  void chunkedAndBinaryBodiesArriveWhole() throws Exception {
    assertThat(http("http://" + v4 + ":8080/chunks")).as(err).isZero();
    assertThat(out.split("\n")).hasSize(100).startsWith("line 0").endsWith("line 99");

    Path file = dir.resolve("binary.out");
    assertThat(http("-o", file.toString(), "http://" + v4 + ":8080/binary")).as(err).isZero();
    assertThat(Files.readAllBytes(file)).isEqualTo(BINARY);
    assertThat(out).isEmpty();
  }

  @Test
  void otherStatusesExitWith22LikeCurlDashF() {
    assertThat(http("http://" + v4 + ":8080/teapot")).isEqualTo(HttpCommand.HTTP_ERROR);
    assertThat(out).isEqualTo("short and stout");
    assertThat(err.strip()).startsWith("error: HTTP 418 ").endsWith(" from http://" + v4 + ":8080/teapot")
        .doesNotContain("\n");

    assertThat(http("http://" + v4 + ":8080/nothing-here")).isEqualTo(22);
    assertThat(err).contains("HTTP 404");
  }

  @Test
  void noResponseExitsWith1AndOneLine() {
    assertThat(http("http://" + v4 + ":9/")).isEqualTo(1);
    assertThat(err.strip()).startsWith("error: cannot connect to " + v4 + " port 9: ").doesNotContain("\n");
    assertThat(out).isEmpty();
  }

  @Test
  void badRequestsAreUsageErrors() {
    assertThat(http("ftp://" + v4 + "/file")).isEqualTo(2);
    assertThat(err).contains("only http:// URLs are supported");
    assertThat(http("-H", "no colon", "http://" + v4 + "/")).isEqualTo(2);
    assertThat(err).contains("header 'no colon' is not 'Name: value'");
    assertThat(run("http", "http://" + v4 + "/")).isEqualTo(2);
    assertThat(err).contains("--network");
  }
}
