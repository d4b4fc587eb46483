package dev.ztjvm.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.central.TestHttpServer.Response;
import dev.ztjvm.central.model.NetworkUpdate;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;
import reactor.test.StepVerifier;

/** HTTP statuses to typed exceptions, and the bounded retries for 429 and 5xx, against a local server. */
class ErrorMappingTest {
  private static final String TOKEN = "errTok-4f1d9c2b7a6e5d3c1b0a9f8e7d6c5b4a";
  private static final String NETWORK = "8056c2e21c000001";
  private static final String STATUS_BODY = "{\"id\":\"central_status\",\"type\":\"CentralStatus\"}";

  private TestHttpServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private ZeroTierCentralClient client(TestHttpServer.Handler handler) throws Exception {
    server = TestHttpServer.start(handler);
    return ZeroTierCentralClient.central().baseUrl(server.baseUrl()).token(TOKEN)
        .maxRateLimitRetries(2).maxServerErrorRetries(2)
        .backoff(Duration.ofMillis(10), Duration.ofMillis(40))
        .maxRetryDelay(Duration.ofSeconds(5))
        .responseTimeout(Duration.ofSeconds(20))
        .build();
  }

  @Test
  void unauthorized401() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(401, "{\"message\":\"Authorization required\"}"));
    StepVerifier.create(c.network(NETWORK))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(NotAuthorizedException.class)
              .hasMessageContaining("GET /network/" + NETWORK).hasMessageContaining("HTTP 401");
          assertThat(((ZeroTierCentralException) e).statusCode()).isEqualTo(401);
        })
        .verify();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void forbidden403() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(403, "{}"));
    StepVerifier.create(c.deleteNetwork(NETWORK))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(NotAuthorizedException.class);
          assertThat(((ZeroTierCentralException) e).statusCode()).isEqualTo(403);
          assertThat(((ZeroTierCentralException) e).method()).isEqualTo("DELETE");
        })
        .verify();
  }

  @Test
  void notFound404() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(404, "{}"));
    StepVerifier.create(c.member(NETWORK, "0123456789"))
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(NotFoundException.class)
            .hasMessageContaining("/network/" + NETWORK + "/member/0123456789"))
        .verify();
  }

  @Test
  void otherClientErrorIsGeneral() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(400, "{\"error\":\"bad field mtu\"}"));
    StepVerifier.create(c.updateNetwork(NETWORK, NetworkUpdate.empty()))
        .expectErrorSatisfies(e -> {
          assertThat(e).isExactlyInstanceOf(ZeroTierCentralException.class)
              .hasMessageContaining("HTTP 400").hasMessageContaining("bad field mtu");
          assertThat(((ZeroTierCentralException) e).statusCode()).isEqualTo(400);
        })
        .verify();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void rateLimitedThenSucceedsHonouringRetryAfter() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ZeroTierCentralClient c = client(r -> calls.incrementAndGet() == 1
        ? Response.json(429, "{}").withHeader("Retry-After", "1").withHeader("X-RateLimit-Limit", "20")
            .withHeader("X-RateLimit-Remaining", "0")
        : Response.json(200, STATUS_BODY));
    StepVerifier.create(c.status())
        .assertNext(s -> assertThat(s.id()).isEqualTo("central_status"))
        .verifyComplete();
    assertThat(server.requests()).hasSize(2);
    assertThat(server.requests()).allSatisfy(r -> assertThat(r.header("Authorization")).isEqualTo("token " + TOKEN));
  }

  @Test
  void rateLimitedThenSucceedsUsingRateLimitReset() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ZeroTierCentralClient c = client(r -> calls.incrementAndGet() <= 2
        ? Response.json(429, "{}").withHeader("X-RateLimit-Reset", "50ms")
        : Response.json(200, STATUS_BODY));
    StepVerifier.create(c.status()).expectNextCount(1).verifyComplete();
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void rateLimitRetriesAreBounded() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(429, "{\"message\":\"slow down\"}")
        .withHeader("Retry-After", "0").withHeader("X-RateLimit-Limit", "100")
        .withHeader("X-RateLimit-Remaining", "0"));
    StepVerifier.create(c.networks())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(RateLimitedException.class).hasMessageContaining("HTTP 429");
          RateLimitedException rl = (RateLimitedException) e;
          assertThat(rl.retryAfter()).isEqualTo(Duration.ZERO);
          assertThat(rl.limit()).isEqualTo(100L);
          assertThat(rl.remaining()).isEqualTo(0L);
        })
        .verify();
    assertThat(server.requests()).hasSize(3); // the first try and 2 retries
  }

  @Test
  void rateLimitAskingForTooLongFailsAtOnce() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(429, "{}").withHeader("Retry-After", "3600"));
    StepVerifier.create(c.status())
        .expectErrorSatisfies(e -> assertThat(((RateLimitedException) e).retryAfter())
            .isEqualTo(Duration.ofHours(1)))
        .verify();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void serverErrorRetriedWithBackoffThenSucceeds() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ZeroTierCentralClient c = client(r -> calls.incrementAndGet() <= 2
        ? Response.json(503, "{}") : Response.json(200, STATUS_BODY));
    StepVerifier.create(c.status()).expectNextCount(1).verifyComplete();
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void serverErrorRetriesAreBounded() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(500, "{\"error\":\"boom\"}"));
    StepVerifier.create(c.network(NETWORK))
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(ServerErrorException.class).hasMessageContaining("HTTP 500");
          assertThat(((ServerErrorException) e).statusCode()).isEqualTo(500);
        })
        .verify();
    assertThat(server.requests()).hasSize(3);
  }

  @Test
  void networkCreationIsNotRetriedOnServerError() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(502, "{}"));
    StepVerifier.create(c.createNetwork(NetworkUpdate.empty()))
        .expectError(ServerErrorException.class)
        .verify();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void networkCreationIsRetriedWhenRateLimited() throws Exception {
    AtomicInteger calls = new AtomicInteger();
    ZeroTierCentralClient c = client(r -> calls.incrementAndGet() == 1
        ? Response.json(429, "{}").withHeader("Retry-After", "0")
        : Response.json(200, "{\"id\":\"8056c2e21c000009\"}"));
    StepVerifier.create(c.createNetwork(NetworkUpdate.empty()))
        .assertNext(n -> assertThat(n.id()).isEqualTo("8056c2e21c000009"))
        .verifyComplete();
    assertThat(server.requests()).hasSize(2);
  }

  @Test
  void responseTimeoutSurfacesClearly() throws Exception {
    server = TestHttpServer.start(r -> Response.json(200, STATUS_BODY).delayed(3000));
    ZeroTierCentralClient c = ZeroTierCentralClient.central().baseUrl(server.baseUrl()).token(TOKEN)
        .responseTimeout(Duration.ofMillis(300)).build();
    StepVerifier.create(c.status())
        .expectErrorSatisfies(e -> {
          assertThat(e).isInstanceOf(CentralTimeoutException.class)
              .hasMessageContaining("GET /status").hasMessageContaining("PT0.3S");
          assertThat(((CentralTimeoutException) e).timeout()).isEqualTo(Duration.ofMillis(300));
          assertThat(((ZeroTierCentralException) e).statusCode()).isZero();
        })
        .verify();
    assertThat(server.requests()).hasSize(1);
  }

  @Test
  void connectorReadTimeoutOfACustomBuilderIsATimeoutToo() throws Exception {
    server = TestHttpServer.start(r -> Response.json(200, STATUS_BODY).delayed(3000));
    WebClient.Builder custom = WebClient.builder().clientConnector(new ReactorClientHttpConnector(
        HttpClient.create().responseTimeout(Duration.ofMillis(200))));
    ZeroTierCentralClient c = ZeroTierCentralClient.central().baseUrl(server.baseUrl()).token(TOKEN)
        .webClientBuilder(custom).maxServerErrorRetries(0).build();
    StepVerifier.create(c.status())
        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(CentralTimeoutException.class)
            .hasMessageContaining("GET /status: no response within"))
        .verify();
  }

  @Test
  void connectionRefusedIsAGeneralFailure() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    ZeroTierCentralClient c = ZeroTierCentralClient.central().baseUrl("http://127.0.0.1:" + port).token(TOKEN)
        .build();
    assertThatThrownBy(() -> c.blocking().status())
        .isExactlyInstanceOf(ZeroTierCentralException.class)
        .hasMessageContaining("GET /status: request failed")
        .satisfies(e -> assertThat(((ZeroTierCentralException) e).statusCode()).isZero());
  }

  @Test
  void malformedBodyIsReported() throws Exception {
    ZeroTierCentralClient c = client(r -> Response.json(200, "{\"id\": [unterminated"));
    StepVerifier.create(c.status())
        .expectErrorSatisfies(e -> assertThat(e).isExactlyInstanceOf(ZeroTierCentralException.class)
            .hasMessageContaining("malformed response body for Status"))
        .verify();
  }
}
