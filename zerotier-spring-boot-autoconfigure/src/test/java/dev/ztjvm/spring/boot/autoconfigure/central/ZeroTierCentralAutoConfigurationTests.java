package dev.ztjvm.spring.boot.autoconfigure.central;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.ztjvm.central.BlockingZeroTierCentralClient;
import dev.ztjvm.central.CentralTimeoutException;
import dev.ztjvm.central.ServerErrorException;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.client.autoconfigure.reactive.ReactiveHttpClientAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.webclient.WebClientCustomizer;
import org.springframework.boot.webclient.autoconfigure.WebClientAutoConfiguration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

class ZeroTierCentralAutoConfigurationTests {

  private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
      AutoConfigurations.of(ZeroTierAutoConfiguration.class, ZeroTierCentralAutoConfiguration.class));

  @Test
  void clientForCentralWhenTokenIsSet() {
    runner.withPropertyValues("zerotier.central.token=s3cr3t-token").run(context -> {
      assertThat(context).hasSingleBean(ZeroTierCentralClient.class);
      assertThat(context.getBean(ZeroTierCentralClient.class).toString())
          .contains("https://api.zerotier.com/api/v1").doesNotContain("s3cr3t-token");
    });
  }

  @Test
  void baseUrlIsApplied() {
    runner.withPropertyValues("zerotier.central.token=t", "zerotier.central.base-url=http://127.0.0.1:9/api/v1")
        .run(context -> assertThat(context.getBean(ZeroTierCentralClient.class).toString())
            .contains("http://127.0.0.1:9/api/v1"));
  }

  @Test
  void noClientWithoutToken() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ZeroTierCentralClient.class));
  }

  @Test
  void noClientWithoutTheCentralModule() {
    runner.withPropertyValues("zerotier.central.token=t")
        .withClassLoader(new FilteredClassLoader(ZeroTierCentralClient.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean("zeroTierCentralClient");
        });
  }

  @Test
  void userClientReplacesOurs() {
    ZeroTierCentralClient custom = ZeroTierCentralClient.central().token("other").build();
    runner.withPropertyValues("zerotier.central.token=t")
        .withBean("custom", ZeroTierCentralClient.class, () -> custom)
        .run(context -> assertThat(context.getBean(ZeroTierCentralClient.class)).isSameAs(custom));
  }

  @Test
  void builtOnBootsWebClientBuilderWithTimeoutAndRetriesAndABlockingBean() {
    AtomicInteger attempts = new AtomicInteger();
    List<String> seenByBootsBuilder = new CopyOnWriteArrayList<>();
    // 503 for every request: the client retries max-retries times (status is idempotent).
    DisposableServer api = HttpServer.create().host("127.0.0.1").port(0)
        .handle((request, response) -> {
          attempts.incrementAndGet();
          return response.status(503).send();
        })
        .bindNow();
    try {
      runner.withConfiguration(AutoConfigurations.of(ReactiveHttpClientAutoConfiguration.class,
          WebClientAutoConfiguration.class, ZeroTierBlockingCentralClientAutoConfiguration.class))
          .withBean(WebClientCustomizer.class, () -> builder -> builder.filter((request, next) -> {
            seenByBootsBuilder.add(request.method() + " " + request.url().getPath());
            return next.exchange(request);
          }))
          .withPropertyValues("zerotier.central.token=t",
              "zerotier.central.base-url=http://127.0.0.1:" + api.port() + "/api/v1",
              "zerotier.central.max-retries=1", "zerotier.central.timeout=20s")
          .run(context -> {
            assertThat(context).hasSingleBean(BlockingZeroTierCentralClient.class);
            BlockingZeroTierCentralClient blocking = context.getBean(BlockingZeroTierCentralClient.class);
            assertThatExceptionOfType(ServerErrorException.class).isThrownBy(blocking::status);
            assertThat(attempts).hasValue(2);
            assertThat(seenByBootsBuilder).containsExactly("GET /api/v1/status", "GET /api/v1/status");
          });
    } finally {
      api.disposeNow();
    }
  }

  @Test
  void timeoutBoundsEachAttempt() {
    // Accepts and never answers.
    DisposableServer silent = HttpServer.create().host("127.0.0.1").port(0)
        .handle((request, response) -> Mono.never())
        .bindNow();
    try {
      runner.withConfiguration(AutoConfigurations.of(ZeroTierBlockingCentralClientAutoConfiguration.class))
          .withPropertyValues("zerotier.central.token=t",
              "zerotier.central.base-url=http://127.0.0.1:" + silent.port() + "/api/v1",
              "zerotier.central.timeout=1s", "zerotier.central.max-retries=0")
          .run(context -> assertThatExceptionOfType(CentralTimeoutException.class)
              .isThrownBy(() -> context.getBean(BlockingZeroTierCentralClient.class).status())
              .satisfies(e -> assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(1))));
    } finally {
      silent.disposeNow();
    }
  }

  @Test
  void badTimeoutAndRetriesFailNamingTheProperty() {
    runner.withPropertyValues("zerotier.central.timeout=0s").run(context -> assertThat(context.getStartupFailure())
        .rootCause().hasMessageContaining("zerotier.central.timeout"));
    runner.withPropertyValues("zerotier.central.max-retries=-1").run(context -> assertThat(context.getStartupFailure())
        .rootCause().hasMessageContaining("zerotier.central.max-retries"));
  }
}
