package dev.ztjvm.central.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;

/** Parsing of {@code Retry-After} and {@code X-RateLimit-Reset} into the wait before a retry. */
class RateLimitHeadersTest {

  private static HttpHeaders headers(String name, String value) {
    HttpHeaders h = new HttpHeaders();
    h.add(name, value);
    return h;
  }

  @Test
  void retryAfterSeconds() {
    assertThat(ApiTransport.rateLimitWait(headers("Retry-After", "7"))).isEqualTo(Duration.ofSeconds(7));
  }

  @Test
  void retryAfterHttpDateInTheFuture() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC).plusHours(1));
    Duration wait = ApiTransport.rateLimitWait(headers("Retry-After", date));
    assertThat(wait).isBetween(Duration.ofMinutes(58), Duration.ofMinutes(61));
  }

  @Test
  void retryAfterHttpDateInThePastIsZero() {
    assertThat(ApiTransport.rateLimitWait(headers("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")))
        .isEqualTo(Duration.ZERO);
  }

  @Test
  void rateLimitResetAsSecondsEpochOrGoDuration() {
    assertThat(ApiTransport.rateLimitWait(headers("X-RateLimit-Reset", "3"))).isEqualTo(Duration.ofSeconds(3));
    long epoch = System.currentTimeMillis() / 1000 + 120;
    assertThat(ApiTransport.rateLimitWait(headers("X-RateLimit-Reset", Long.toString(epoch))))
        .isBetween(Duration.ofSeconds(110), Duration.ofSeconds(121));
    assertThat(ApiTransport.rateLimitWait(headers("X-RateLimit-Reset", "1.5s")))
        .isEqualTo(Duration.ofMillis(1500));
    assertThat(ApiTransport.rateLimitWait(headers("X-RateLimit-Reset", "250ms")))
        .isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void retryAfterWinsOverReset() {
    HttpHeaders h = headers("Retry-After", "2");
    h.add("X-RateLimit-Reset", "30");
    assertThat(ApiTransport.rateLimitWait(h)).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void garbageIsIgnored() {
    assertThat(ApiTransport.rateLimitWait(headers("Retry-After", "soon"))).isNull();
    assertThat(ApiTransport.rateLimitWait(headers("X-RateLimit-Reset", "later"))).isNull();
    assertThat(ApiTransport.rateLimitWait(new HttpHeaders())).isNull();
  }

  @Test
  void backoffDoublesAndIsCapped() {
    RetrySettings s = new RetrySettings(1, 1, Duration.ofMillis(100), Duration.ofMillis(350), Duration.ZERO);
    assertThat(s.backoff(0)).isEqualTo(Duration.ofMillis(100));
    assertThat(s.backoff(1)).isEqualTo(Duration.ofMillis(200));
    assertThat(s.backoff(2)).isEqualTo(Duration.ofMillis(350));
    assertThat(s.backoff(60)).isEqualTo(Duration.ofMillis(350));
  }

  @Test
  void secretRedactsAndHides() {
    Secret s = new Secret("  abcdef0123456789  \n");
    assertThat(s.toString()).isEqualTo("****");
    assertThat(s.redact("x abcdef0123456789 y")).isEqualTo("x **** y");
    assertThat(s.reveal()).isEqualTo("abcdef0123456789");
  }
}
