package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * Runs the {@code http} and {@code iperf} commands of docs/self-hosting.md exactly as the page writes them: each
 * {@code $ zt …} line goes to bash in a working directory with the page's alias ({@code zt} = {@code java -jar
 * zerotier-tools.jar}, the packaged jar), against the lab the page describes: a loopback root and controller with
 * network {@code ea7ca3b1d7000042} (10.147.17.0/24, public), a web server member at 10.147.17.5:8080 whose
 * {@code /hello} answers {@code hello <caller>} and whose {@code /echo} returns the request body, and the planet file
 * {@code planet}. The page must show exactly the commands this test runs.
 */
class ToolsDocsIT {

  static final String NWID = "ea7ca3b1d7000042";
  static final String NET = " --network " + NWID + " --planet planet --allow-loopback";

  static final String HELLO = "zt http http://10.147.17.5:8080/hello" + NET;
  static final String ECHO = "zt http -i POST http://10.147.17.5:8080/echo -d 'hello, echo' -H 'X-Request: docs'"
      + NET;
  static final String MISSING = "zt http http://10.147.17.5:8080/missing" + NET + "; echo \"exit status $?\"";
  static final String REFUSED = "zt http http://10.147.17.5:9/" + NET + "; echo \"exit status $?\"";
  static final String IPERF_SERVER = "zt iperf -s --network " + NWID
      + " --planet planet --storage iperf-node --allow-loopback";
  static final String IPERF_CLIENT = "zt iperf -c 10.147.17.6 -t 3" + NET;
  static final String IPERF_REVERSE = "zt iperf -c 10.147.17.6 -t 3 -P 2 -R" + NET;

  private static final Path IDS = Path.of(System.getProperty("zt.shared.dir", "../shared"))
      .resolve("zt-captures/identities");
  private static final Duration LIMIT = Duration.ofSeconds(120);

  private static Path state;
  private static Path workdir;
  private static LocalZeroTier zt;
  private static ZeroTierNode web;
  private static ZeroTierLoopResources loops;
  private static DisposableServer server;

  @BeforeAll
  static void startLab() throws Exception {
    state = Files.createTempDirectory("zt-docs-lab-state");
    workdir = Files.createTempDirectory("zt-docs-lab");
    // a fixed controller identity makes the network ID the page shows
    new IdentityStore(state.resolve("controller")).save(identity("controller"));
    zt = LocalZeroTier.start(state);
    long nwid = zt.database().createNetwork(Long.parseUnsignedLong(NWID, 16), n -> n.name("lab")
        .privateNetwork(false)
        .addPool(IpPrefix.parseIp("10.147.17.100"), IpPrefix.parseIp("10.147.17.200"))
        .addRoute(IpPrefix.parse("10.147.17.0/24"), null)
        .v4AutoAssign(true));
    Files.write(workdir.resolve("planet"), zt.planetBytes());
    Identity webId = identity("member2");
    InetAddress webIp = InetAddress.getByName("10.147.17.5");
    zt.database().updateMember(nwid, webId.address(), m -> m.authorized(true).ipAssignments(List.of(webIp)));
    // `iperf -s --storage iperf-node` finds this identity there; the controller gives it 10.147.17.6
    Identity iperfId = identity("member1");
    new IdentityStore(workdir.resolve("iperf-node")).save(iperfId);
    InetAddress iperfIp = InetAddress.getByName("10.147.17.6");
    zt.database().updateMember(nwid, iperfId.address(), m -> m.authorized(true).ipAssignments(List.of(iperfIp)));

    web = zt.nodeBuilder().identity(webId).build();
    web.start();
    web.awaitNetworkReady(nwid, LIMIT);
    loops = ZeroTierLoopResources.create(web, "docs-web", 1);
    server = HttpServer.create()
        .runOn(loops)
        .bindAddress(() -> new InetSocketAddress(web.network(nwid).ipv4().orElseThrow(), 8080))
        .route(r -> r
            .get("/hello", (req, res) -> res.sendString(
                Mono.just("hello " + req.remoteAddress().getAddress().getHostAddress() + "\n")))
            .post("/echo", (req, res) -> res.header("Content-Type", "text/plain")
                .header("X-Request", String.valueOf(req.requestHeaders().get("X-Request")))
                .send(req.receive().retain())))
        .bindNow();
  }

  @AfterAll
  static void stopLab() throws IOException {
    if (server != null) {
      server.disposeNow();
    }
    if (loops != null) {
      loops.dispose();
    }
    if (web != null) {
      web.close();
    }
    if (zt != null) {
      zt.close();
    }
    for (Path p : new Path[] {workdir, state}) {
      if (p != null) {
        try (Stream<Path> s = Files.walk(p)) {
          s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
      }
    }
  }

  @Test
  void thePageShowsExactlyTheCommandsThisTestRuns() throws IOException {
    String page = Files.readString(DocsSnippetsTest.repoRoot().resolve("docs/self-hosting.md"));
    List<String> shown = new ArrayList<>();
    Matcher m = Pattern.compile("(?m)^\\$ (zt (?:http|iperf) .*)$").matcher(page);
    while (m.find()) {
      shown.add(m.group(1));
    }
    assertThat(shown).containsExactly(HELLO, ECHO, MISSING, REFUSED, IPERF_SERVER, IPERF_CLIENT, IPERF_REVERSE);
  }

  @Test
  void httpCommands() throws Exception {
    Shell hello = Shell.run(HELLO);
    assertThat(hello.exitCode).as(hello.output).isZero();
    assertThat(hello.output).matches("hello 10\\.147\\.17\\.\\d+\n");

    Shell echo = Shell.run(ECHO);
    assertThat(echo.exitCode).as(echo.output).isZero();
    assertThat(echo.output).startsWith("HTTP/1.1 200 OK\r\n").contains("X-Request: docs\r\n")
        .endsWith("\r\n\r\nhello, echo");

    Shell missing = Shell.run(MISSING);
    assertThat(missing.output).isEqualTo("error: HTTP 404 Not Found from http://10.147.17.5:8080/missing\n"
        + "exit status 22\n");

    Shell refused = Shell.run(REFUSED);
    assertThat(refused.output).matches("error: cannot connect to 10\\.147\\.17\\.5 port 9: [^\n]+\nexit status 1\n");
  }

  @Test
  void iperfCommands() throws Exception {
    try (Shell.Background server = Shell.start(IPERF_SERVER)) {
      server.await("iperf3 server on 10.147.17.6 port 5201 (network " + NWID + ", node "
          + identity("member1").addressString() + ")");
      Shell client = Shell.run(IPERF_CLIENT);
      assertThat(client.exitCode).as(client.output).isZero();
      assertThat(client.output).startsWith("connected to 10.147.17.6 port 5201: 1 stream(s), 3 s, this side sends\n")
          .containsPattern("(?m)^  0\\.00-  1\\.\\d\\d s +\\d+\\.\\d\\d MB/s$")
          .containsPattern("(?m)^sent \\d+\\.\\d\\d MB in \\d\\.\\d\\d s, received \\d+\\.\\d\\d MB in \\d\\.\\d\\d s$")
          .containsPattern("(?m)^sender \\d+\\.\\d\\d MB/s, receiver \\d+\\.\\d\\d MB/s, cpu \\d+\\.\\d\\d core-ms/MB\n\\z");

      Shell reverse = Shell.run(IPERF_REVERSE);
      assertThat(reverse.exitCode).as(reverse.output).isZero();
      assertThat(reverse.output)
          .startsWith("connected to 10.147.17.6 port 5201: 2 stream(s), 3 s, the server sends (reverse)\n")
          .containsPattern("(?m)^sender \\d+\\.\\d\\d MB/s, receiver \\d+\\.\\d\\d MB/s, cpu \\d+\\.\\d\\d core-ms/MB\n\\z");
      server.await("this side sends (reverse)");
      System.out.println("[docs] " + IPERF_SERVER + "\n" + server.output() + "\n[docs] " + IPERF_CLIENT + "\n"
          + client.output + "[docs] " + IPERF_REVERSE + "\n" + reverse.output);
    }
  }

  private static Identity identity(String name) throws IOException {
    return Identity.parse(Files.readString(IDS.resolve(name).resolve("identity.secret")).strip());
  }

  /** A page command run by bash in the lab's working directory, with the page's alias for the packaged jar. */
  record Shell(int exitCode, String output) {

    static List<String> bash(String line) {
      Path jar = Path.of(System.getProperty("tools.jar", "target/zerotier-tools.jar")).toAbsolutePath();
      assertThat(jar).as("the packaged jar (run by failsafe after package)").exists();
      Path java = Path.of(System.getProperty("java.home"), "bin", "java");
      String script = "shopt -s expand_aliases\nalias zt='" + java + " -jar " + jar + "'\n" + line + "\n";
      return List.of("bash", "-c", script);
    }

    static Shell run(String line) throws Exception {
      Process p = new ProcessBuilder(bash(line)).directory(workdir.toFile()).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        throw new AssertionError("`" + line + "` did not end");
      }
      String text = new String(out, StandardCharsets.UTF_8);
      System.out.println("[docs] $ " + line + "\n" + text);
      return new Shell(p.exitValue(), text);
    }

    static Background start(String line) throws IOException {
      Path log = Files.createTempFile("zt-docs-", ".log");
      Process p = new ProcessBuilder(bash(line)).directory(workdir.toFile()).redirectErrorStream(true)
          .redirectOutput(log.toFile()).start();
      return new Background(line, p, log);
    }

    /** A long-running page command (its own terminal in the page), stopped like Ctrl-C when closed. */
    record Background(String line, Process process, Path log) implements AutoCloseable {
      String output() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
      }

      void await(String text) throws Exception {
        long deadline = System.nanoTime() + LIMIT.toNanos();
        while (!output().contains(text)) {
          if (!process.isAlive() || System.nanoTime() > deadline) {
            throw new AssertionError("no '" + text + "' from `" + line + "`; output:\n" + output());
          }
          Thread.sleep(100);
        }
      }

      @Override
      public void close() throws IOException {
        process.descendants().forEach(ProcessHandle::destroy); // SIGTERM, as Ctrl-C ends the JVM
        process.destroy();
        try {
          process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        Files.deleteIfExists(log);
      }
    }
  }
}
