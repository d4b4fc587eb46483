package dev.ztjvm.central;

import dev.ztjvm.central.internal.ApiTransport;
import dev.ztjvm.central.internal.CentralApiClient;
import dev.ztjvm.central.internal.Ids;
import dev.ztjvm.central.internal.Json;
import dev.ztjvm.central.internal.RetrySettings;
import dev.ztjvm.central.internal.Secret;
import dev.ztjvm.central.internal.SelfHostedControllerClient;
import io.netty.channel.ChannelOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.reactive.function.client.WebClient;
import reactor.netty.http.client.HttpClient;

/**
 * Configures a {@link ZeroTierCentralClient}; obtain one from {@link ZeroTierCentralClient#central()} or
 * {@link ZeroTierCentralClient#selfHosted()}. Only the token is required.
 *
 * <p>Defaults: connect timeout 10 s, response timeout 30 s per attempt, up to 3 retries after HTTP 429 (waiting as
 * {@code Retry-After} / {@code X-RateLimit-Reset} say, at most 60 s per wait), up to 2 retries of idempotent requests
 * after HTTP 5xx with exponential backoff from 500 ms to 10 s.
 */
public final class ZeroTierCentralClientBuilder {
  /** Default base URL of ZeroTier Central API v1. */
  public static final String CENTRAL_BASE_URL = "https://api.zerotier.com/api/v1";
  /** Default base URL of a local zerotier-one service. */
  public static final String SELF_HOSTED_BASE_URL = "http://127.0.0.1:9993";

  /** Which API dialect the client speaks. */
  enum Target {
    CENTRAL, SELF_HOSTED
  }

  private final Target target;
  private String baseUrl;
  private @Nullable Secret token;
  private Duration connectTimeout = Duration.ofSeconds(10);
  private Duration responseTimeout = Duration.ofSeconds(30);
  private int maxRateLimitRetries = 3;
  private int maxServerErrorRetries = 2;
  private Duration initialBackoff = Duration.ofMillis(500);
  private Duration maxBackoff = Duration.ofSeconds(10);
  private Duration maxRetryDelay = Duration.ofSeconds(60);
  private WebClient.@Nullable Builder webClientBuilder;
  private @Nullable String controllerNodeId;

  ZeroTierCentralClientBuilder(Target target) {
    this.target = target;
    this.baseUrl = target == Target.CENTRAL ? CENTRAL_BASE_URL : SELF_HOSTED_BASE_URL;
  }

  /** Base URL without a trailing slash, e.g. {@code https://api.zerotier.com/api/v1} or {@code http://127.0.0.1:9993}. */
  public ZeroTierCentralClientBuilder baseUrl(String value) {
    String url = Objects.requireNonNull(value, "baseUrl").strip();
    String lower = url.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("http://") && !lower.startsWith("https://")) {
      throw new IllegalArgumentException("base URL must start with http:// or https://: " + url);
    }
    while (url.endsWith("/")) {
      url = url.substring(0, url.length() - 1);
    }
    this.baseUrl = url;
    return this;
  }

  /** The API token (Central) or the contents of {@code authtoken.secret} (self-hosted). Never logged. */
  public ZeroTierCentralClientBuilder token(String value) {
    this.token = new Secret(value);
    return this;
  }

  /** Reads the token from a file such as zerotier-one's {@code authtoken.secret} (surrounding whitespace removed). */
  public ZeroTierCentralClientBuilder tokenFile(Path file) {
    try {
      this.token = new Secret(Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read token file " + file, e);
    }
    return this;
  }

  /** TCP connect timeout of the default connector (ignored with a custom {@link #webClientBuilder}). */
  public ZeroTierCentralClientBuilder connectTimeout(Duration value) {
    this.connectTimeout = positive(value, "connectTimeout");
    return this;
  }

  /** Longest wait for a complete response, per attempt. */
  public ZeroTierCentralClientBuilder responseTimeout(Duration value) {
    this.responseTimeout = positive(value, "responseTimeout");
    return this;
  }

  /** Retries after HTTP 429 (0 disables). */
  public ZeroTierCentralClientBuilder maxRateLimitRetries(int value) {
    this.maxRateLimitRetries = nonNegative(value, "maxRateLimitRetries");
    return this;
  }

  /** Retries of idempotent requests after HTTP 5xx (0 disables). */
  public ZeroTierCentralClientBuilder maxServerErrorRetries(int value) {
    this.maxServerErrorRetries = nonNegative(value, "maxServerErrorRetries");
    return this;
  }

  /** Exponential backoff bounds used when the server names no wait. */
  public ZeroTierCentralClientBuilder backoff(Duration initial, Duration max) {
    if (initial.isNegative() || max.isNegative() || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("backoff needs 0 <= initial <= max");
    }
    this.initialBackoff = initial;
    this.maxBackoff = max;
    return this;
  }

  /** Longest server-requested wait honoured; a 429 asking for longer fails at once with {@link RateLimitedException}. */
  public ZeroTierCentralClientBuilder maxRetryDelay(Duration value) {
    if (value.isNegative()) {
      throw new IllegalArgumentException("maxRetryDelay must be >= 0");
    }
    this.maxRetryDelay = value;
    return this;
  }

  /**
   * A WebClient builder to start from (e.g. Spring Boot's, for its observation and connector settings). It is
   * cloned, not modified; its connector is kept, so {@link #connectTimeout} does not apply.
   */
  public ZeroTierCentralClientBuilder webClientBuilder(WebClient.Builder value) {
    this.webClientBuilder = Objects.requireNonNull(value, "webClientBuilder");
    return this;
  }

  /**
   * Self-hosted only: the controller's 10-hex-digit node ID, used to create networks
   * ({@code POST /controller/network/<nodeId>______}). If unset it is read from {@code GET /status}.
   */
  public ZeroTierCentralClientBuilder controllerNodeId(String value) {
    this.controllerNodeId = Ids.nodeId(value);
    return this;
  }

  /** Builds the client. */
  public ZeroTierCentralClient build() {
    if (token == null) {
      throw new IllegalStateException("an API token is required (token(...) or tokenFile(...))");
    }
    WebClient.Builder builder;
    Duration connect = null;
    if (webClientBuilder != null) {
      builder = webClientBuilder.clone();
    } else {
      connect = connectTimeout;
      HttpClient http = HttpClient.create()
          .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE,
              connectTimeout.toMillis()));
      // The response timeout is enforced per attempt by the transport (a Reactor timeout that cancels the
      // exchange), so that it applies with any connector and always surfaces as CentralTimeoutException.
      builder = WebClient.builder().clientConnector(new ReactorClientHttpConnector(http));
    }
    WebClient webClient = builder.baseUrl(baseUrl).build();
    RetrySettings retry = new RetrySettings(maxRateLimitRetries, maxServerErrorRetries, initialBackoff, maxBackoff,
        maxRetryDelay);
    if (target == Target.CENTRAL) {
      ApiTransport transport = new ApiTransport(webClient, Json.newMapper(), retry, responseTimeout, connect,
          "Authorization", "token ", token);
      return new CentralApiClient(transport, baseUrl);
    }
    ApiTransport transport = new ApiTransport(webClient, Json.newMapper(), retry, responseTimeout, connect,
        "X-ZT1-Auth", "", token);
    return new SelfHostedControllerClient(transport, baseUrl, controllerNodeId);
  }

  private static Duration positive(Duration value, String name) {
    if (value.isZero() || value.isNegative()) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return value;
  }

  private static int nonNegative(int value, String name) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must be >= 0");
    }
    return value;
  }

  @Override
  public String toString() {
    return "ZeroTierCentralClientBuilder[" + target + ", baseUrl=" + baseUrl + ", token="
        + (token == null ? "unset" : "****") + "]";
  }
}
