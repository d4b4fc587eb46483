package dev.ztjvm.central;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.TestHttpServer.Response;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The token must not appear in logs (every level, Spring, Reactor Netty and ours, all routed to java.util.logging
 * here), in exception messages or stack traces, or in toString — even when a server echoes it back.
 */
class TokenSecrecyTest {
  private static final String TOKEN = "SeCrEt-7d1e0c9b8a7f6e5d4c3b2a1f0e9d8c7b";

  private final List<String> logged = new CopyOnWriteArrayList<>();
  private final SimpleFormatter formatter = new SimpleFormatter();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      logged.add(formatter.format(record));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private Level previousLevel;
  private final List<TestHttpServer> servers = new ArrayList<>();

  @BeforeEach
  void captureAllLogging() {
    Logger root = Logger.getLogger("");
    previousLevel = root.getLevel();
    root.setLevel(Level.ALL);
    capture.setLevel(Level.ALL);
    root.addHandler(capture);
  }

  @AfterEach
  void restore() {
    Logger root = Logger.getLogger("");
    root.removeHandler(capture);
    root.setLevel(previousLevel);
    servers.forEach(TestHttpServer::close);
  }

  private String start(TestHttpServer.Handler handler) throws Exception {
    TestHttpServer server = TestHttpServer.start(handler);
    servers.add(server);
    return server.baseUrl();
  }

  private static String everything(Throwable t) {
    StringWriter out = new StringWriter();
    t.printStackTrace(new PrintWriter(out));
    return t + "\n" + out;
  }

  @Test
  void tokenNeverLeaks() throws Exception {
    // A server that echoes the credentials it received into error bodies and bad JSON.
    AtomicInteger calls = new AtomicInteger();
    String echo = start(r -> {
      String header = r.header("Authorization") + " " + r.header("X-ZT1-Auth");
      return switch (r.path()) {
        case "/status" -> Response.json(401, "{\"message\":\"rejected " + header + "\"}");
        case "/network" -> calls.incrementAndGet() == 1
            ? Response.json(429, "{\"t\":\"" + header + "\"}").withHeader("Retry-After", "0")
            : Response.json(500, "{\"t\":\"" + header + "\"}");
        case "/randomToken" -> Response.json(200, "{\"token\": " + header + " ]");
        case "/controller" -> Response.json(403, "{\"t\":\"" + header + "\"}");
        default -> Response.json(200, "{}").delayed(2000);
      };
    });
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }

    ZeroTierCentralClientBuilder builder = ZeroTierCentralClient.central().baseUrl(echo).token(TOKEN)
        .backoff(Duration.ofMillis(5), Duration.ofMillis(10));
    ZeroTierCentralClient central = builder.build();
    ZeroTierCentralClient impatient = ZeroTierCentralClient.central().baseUrl(echo).token(TOKEN)
        .responseTimeout(Duration.ofMillis(300)).build();
    ZeroTierCentralClient selfHosted = ZeroTierCentralClient.selfHosted().baseUrl(echo).token(TOKEN).build();
    ZeroTierCentralClient refused = ZeroTierCentralClient.central().baseUrl("http://127.0.0.1:" + closedPort)
        .token(TOKEN).build();

    List<Throwable> failures = new ArrayList<>();
    for (Runnable call : List.<Runnable>of(
        () -> central.blocking().status(),            // 401 with the token echoed
        () -> central.blocking().networks(),          // 429 then 500s, retried, echoed
        () -> central.blocking().randomToken(),       // malformed JSON containing the token
        () -> impatient.blocking().network("8056c2e21c000001"), // timeout (server waits 2 s)
        () -> selfHosted.blocking().status(),         // 403 with X-ZT1-Auth echoed
        () -> refused.blocking().status())) {         // connection refused
      try {
        call.run();
      } catch (RuntimeException e) {
        failures.add(e);
      }
    }

    assertThat(failures).hasSize(6);
    assertThat(failures).allSatisfy(e -> assertThat(e).isInstanceOf(ZeroTierCentralException.class));
    assertThat(failures.get(0)).hasMessageContaining("****");
    for (Throwable e : failures) {
      assertThat(everything(e)).doesNotContain(TOKEN);
    }
    assertThat(String.join("\n", logged)).as("captured log").contains("rate limited, retry 1")
        .doesNotContain(TOKEN);
    assertThat(central.toString()).contains("****").doesNotContain(TOKEN);
    assertThat(selfHosted.toString()).contains("****").doesNotContain(TOKEN);
    assertThat(central.blocking().toString()).doesNotContain(TOKEN);
    assertThat(builder.toString()).contains("****").doesNotContain(TOKEN);
  }
}
