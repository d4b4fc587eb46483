package dev.ztjvm.central.internal;

import dev.ztjvm.central.CentralTimeoutException;
import dev.ztjvm.central.NotAuthorizedException;
import dev.ztjvm.central.NotFoundException;
import dev.ztjvm.central.RateLimitedException;
import dev.ztjvm.central.ServerErrorException;
import dev.ztjvm.central.ZeroTierCentralException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.function.client.WebClient;
import org.springframework.web.reactive.function.client.WebClientRequestException;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * One JSON-over-HTTP call with auth header, per-attempt timeout, error mapping and bounded retries. Shared by both API
 * dialects. Bodies are read as bytes and mapped with our own {@link JsonMapper}, so the result does not depend on the
 * codecs of a caller-supplied {@link WebClient.Builder}.
 */
public final class ApiTransport {
  private static final System.Logger LOG = System.getLogger(ApiTransport.class.getName());
  private static final int BODY_SNIPPET = 200;
  private static final Pattern GO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)");
  private static final Pattern TEMPLATE_VAR = Pattern.compile("\\{[^}]*}");
  private static final byte[] EMPTY = new byte[0];

  private final WebClient webClient;
  private final JsonMapper mapper;
  private final RetrySettings retry;
  private final Duration responseTimeout;
  private final @Nullable Duration connectTimeout;
  private final String authHeader;
  private final Secret token;
  private final String authPrefix;

  /**
   * Creates a transport.
   *
   * @param webClient       client with the base URL set
   * @param mapper          JSON mapper
   * @param retry           retry bounds
   * @param responseTimeout per-attempt limit for a complete response
   * @param connectTimeout  connect timeout of the connector (for error messages), if known
   * @param authHeader      header carrying the token ({@code Authorization} or {@code X-ZT1-Auth})
   * @param authPrefix      prefix before the token in the header value ({@code "token "} or {@code ""})
   * @param token           the token
   */
  public ApiTransport(WebClient webClient, JsonMapper mapper, RetrySettings retry, Duration responseTimeout,
      @Nullable Duration connectTimeout, String authHeader, String authPrefix, Secret token) {
    this.webClient = webClient;
    this.mapper = mapper;
    this.retry = retry;
    this.responseTimeout = responseTimeout;
    this.connectTimeout = connectTimeout;
    this.authHeader = authHeader;
    this.authPrefix = authPrefix;
    this.token = token;
  }

  /** The mapper used for bodies. */
  public JsonMapper mapper() {
    return mapper;
  }

  /** GET and map the body to {@code type}. */
  public <T> Mono<T> get(JavaType type, String template, Object... vars) {
    return call(HttpMethod.GET, null, true, template, vars).map(body -> decode(body, type, "GET", template, vars));
  }

  /** GET and map the body to {@code type}. */
  public <T> Mono<T> get(Class<T> type, String template, Object... vars) {
    return get(mapper.constructType(type), template, vars);
  }

  /**
   * POST a JSON body and map the response.
   *
   * @param idempotent whether a 5xx may be retried (upserts to a resource ID are; creating with a new ID is not)
   */
  public <T> Mono<T> post(Object body, JavaType type, boolean idempotent, String template, Object... vars) {
    return call(HttpMethod.POST, body, idempotent, template, vars)
        .map(bytes -> decode(bytes, type, "POST", template, vars));
  }

  /** POST a JSON body and map the response. */
  public <T> Mono<T> post(Object body, Class<T> type, boolean idempotent, String template, Object... vars) {
    return post(body, mapper.constructType(type), idempotent, template, vars);
  }

  /** DELETE, ignoring any response body. */
  public Mono<Void> delete(String template, Object... vars) {
    return call(HttpMethod.DELETE, null, true, template, vars).then();
  }

  /** Performs the exchange with retries; emits the raw body (empty array for none). */
  private Mono<byte[]> call(HttpMethod method, @Nullable Object body, boolean idempotent, String template,
      Object[] vars) {
    String path = expand(template, vars);
    String name = method.name();
    Mono<byte[]> attempt = Mono.defer(() -> {
      byte[] json = body == null ? null : encode(body, name, path);
      WebClient.RequestBodySpec spec = webClient.method(method).uri(template, vars)
          .header(authHeader, authPrefix + token.reveal())
          .accept(MediaType.APPLICATION_JSON);
      WebClient.RequestHeadersSpec<?> request = json == null ? spec
          : spec.contentType(MediaType.APPLICATION_JSON).bodyValue(json);
      return request.exchangeToMono(response -> {
        int status = response.statusCode().value();
        if (status >= 200 && status < 300) {
          return response.bodyToMono(byte[].class).defaultIfEmpty(EMPTY);
        }
        HttpHeaders headers = response.headers().asHttpHeaders();
        // Read as bytes, not String: Spring's StringDecoder logs decoded text at TRACE, and an error body
        // may echo credentials back.
        return response.bodyToMono(byte[].class).defaultIfEmpty(EMPTY)
            .flatMap(bytes -> Mono.error(toException(name, path, status, headers,
                new String(bytes, StandardCharsets.UTF_8))));
      });
    })
        .timeout(responseTimeout)
        .onErrorMap(TimeoutException.class, e -> new CentralTimeoutException(name, path, responseTimeout, e))
        .onErrorMap(WebClientRequestException.class, e -> requestFailure(name, path, e));
    return attempt.retryWhen(retrySpec(name, path, idempotent));
  }

  private Retry retrySpec(String method, String path, boolean idempotent) {
    return Retry.from(signals -> Flux.defer(() -> {
      int[] counts = new int[2];
      return signals.concatMap(signal -> {
        Throwable failure = signal.failure();
        if (failure instanceof RateLimitedException limited && counts[0] < retry.maxRateLimitRetries()) {
          Duration wait = limited.retryAfter() != null ? limited.retryAfter() : retry.backoff(counts[0]);
          if (wait.compareTo(retry.maxRetryDelay()) > 0) {
            return Mono.error(failure);
          }
          counts[0]++;
          LOG.log(Level.DEBUG, () -> method + " " + path + ": rate limited, retry " + counts[0] + " of "
              + retry.maxRateLimitRetries() + " in " + wait);
          return Mono.delay(wait);
        }
        if (failure instanceof ServerErrorException error && idempotent
            && counts[1] < retry.maxServerErrorRetries()) {
          Duration backoff = retry.backoff(counts[1]);
          Duration wait = error.retryAfter() != null && error.retryAfter().compareTo(backoff) > 0
              && error.retryAfter().compareTo(retry.maxRetryDelay()) <= 0 ? error.retryAfter() : backoff;
          counts[1]++;
          LOG.log(Level.DEBUG, () -> method + " " + path + ": HTTP " + error.statusCode() + ", retry "
              + counts[1] + " of " + retry.maxServerErrorRetries() + " in " + wait);
          return Mono.delay(wait);
        }
        return Mono.error(failure);
      });
    }));
  }

  private ZeroTierCentralException requestFailure(String method, String path, WebClientRequestException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof io.netty.channel.ConnectTimeoutException && connectTimeout != null) {
        return new CentralTimeoutException(method, path, connectTimeout, e);
      }
      if (t instanceof io.netty.handler.timeout.ReadTimeoutException
          || t instanceof TimeoutException) {
        // a connector-level timeout of a caller-supplied WebClient.Builder
        return new CentralTimeoutException(method, path, responseTimeout, e);
      }
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String detail = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return new ZeroTierCentralException(method, path, 0, "request failed: " + token.redact(detail), e);
  }

  private ZeroTierCentralException toException(String method, String path, int status, HttpHeaders headers,
      String body) {
    String snippet = snippet(body);
    String message = "HTTP " + status + (snippet.isEmpty() ? "" : ": " + snippet);
    if (status == 401 || status == 403) {
      return new NotAuthorizedException(method, path, status, message);
    }
    if (status == 404) {
      return new NotFoundException(method, path, message);
    }
    if (status == 429) {
      Duration wait = rateLimitWait(headers);
      return new RateLimitedException(method, path, message + (wait == null ? "" : " (retry after " + wait + ")"),
          wait, longHeader(headers, "X-RateLimit-Limit"), longHeader(headers, "X-RateLimit-Remaining"));
    }
    if (status >= 500) {
      return new ServerErrorException(method, path, status, message, retryAfter(headers));
    }
    return new ZeroTierCentralException(method, path, status, message, null);
  }

  private String snippet(String body) {
    String collapsed = token.redact(body).replaceAll("\\s+", " ").strip();
    return collapsed.length() <= BODY_SNIPPET ? collapsed : collapsed.substring(0, BODY_SNIPPET) + "...";
  }

  /** {@code Retry-After}, else {@code X-RateLimit-Reset}; {@code null} if neither is usable. */
  static @Nullable Duration rateLimitWait(HttpHeaders headers) {
    Duration retryAfter = retryAfter(headers);
    if (retryAfter != null) {
      return retryAfter;
    }
    String reset = headers.getFirst("X-RateLimit-Reset");
    if (reset == null || reset.isBlank()) {
      return null;
    }
    reset = reset.strip();
    if (reset.chars().allMatch(Character::isDigit) && reset.length() < 18) {
      long value = Long.parseLong(reset);
      // Large values are an epoch time in seconds, small ones a number of seconds to wait.
      if (value > 1_000_000_000L) {
        long delta = value - System.currentTimeMillis() / 1000;
        return Duration.ofSeconds(Math.max(0, delta));
      }
      return Duration.ofSeconds(value);
    }
    Matcher m = GO_DURATION.matcher(reset);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      double millis = switch (m.group(2)) {
        case "ms" -> amount;
        case "s" -> amount * 1000;
        case "m" -> amount * 60_000;
        default -> amount * 3_600_000;
      };
      return Duration.ofMillis((long) Math.ceil(millis));
    }
    return null;
  }

  /** {@code Retry-After} as delay-seconds or HTTP-date; {@code null} if absent or unparsable. */
  static @Nullable Duration retryAfter(HttpHeaders headers) {
    String value = headers.getFirst(HttpHeaders.RETRY_AFTER);
    if (value == null || value.isBlank()) {
      return null;
    }
    value = value.strip();
    if (value.chars().allMatch(Character::isDigit) && value.length() < 12) {
      return Duration.ofSeconds(Long.parseLong(value));
    }
    try {
      ZonedDateTime at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME);
      long millis = at.toInstant().toEpochMilli() - System.currentTimeMillis();
      return Duration.ofMillis(Math.max(0, millis));
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static @Nullable Long longHeader(HttpHeaders headers, String name) {
    String value = headers.getFirst(name);
    if (value == null) {
      return null;
    }
    try {
      return Long.parseLong(value.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private byte[] encode(Object body, String method, String path) {
    try {
      return mapper.writeValueAsBytes(body);
    } catch (JacksonException e) {
      throw new ZeroTierCentralException(method, path, 0, "cannot encode request body: " + e.getOriginalMessage(),
          e);
    }
  }

  private <T> T decode(byte[] body, JavaType type, String method, String template, Object[] vars) {
    try {
      T value = mapper.readValue(body, type);
      if (value == null) {
        throw new ZeroTierCentralException(method, expand(template, vars), 0,
            "empty response body, expected " + type.getRawClass().getSimpleName(), null);
      }
      return value;
    } catch (JacksonException e) {
      throw new ZeroTierCentralException(method, expand(template, vars), 0,
          "malformed response body for " + type.getRawClass().getSimpleName() + ": "
              + token.redact(String.valueOf(e.getOriginalMessage())), e);
    }
  }

  /** The path with its variables filled in, for messages and logs. */
  static String expand(String template, Object[] vars) {
    Matcher m = TEMPLATE_VAR.matcher(template);
    StringBuilder out = new StringBuilder();
    int i = 0;
    while (m.find()) {
      String value = i < vars.length ? String.valueOf(vars[i++]) : m.group();
      m.appendReplacement(out, Matcher.quoteReplacement(value));
    }
    m.appendTail(out);
    return out.toString();
  }
}
