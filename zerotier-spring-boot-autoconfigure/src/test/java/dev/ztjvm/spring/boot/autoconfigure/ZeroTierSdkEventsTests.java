package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.spring.boot.event.NetworkReadyEvent;
import dev.ztjvm.spring.boot.event.ZeroTierSdkEvent;
import dev.ztjvm.spring.boot.event.ZeroTierSdkEventPublisher;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Every SDK event of a real node arrives as a ZeroTierSdkEvent, in order, and generic listeners pick one kind. */
class ZeroTierSdkEventsTests {

  static LocalTestNetwork network;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    network = LocalTestNetwork.start("events", "10.89.0", dir);
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  @Configuration(proxyBeanMethods = false)
  static class Listeners {
    @Bean
    Recorder recorder() {
      return new Recorder();
    }
  }

  static class Recorder {
    final List<Object> all = new CopyOnWriteArrayList<>();
    final List<ZeroTierEvent.NetworkOk> networkOk = new CopyOnWriteArrayList<>();

    @EventListener
    void any(ApplicationEvent event) {
      if (event instanceof ZeroTierSdkEvent<?> sdk) {
        all.add(sdk.getEvent());
      } else if (event instanceof dev.ztjvm.spring.boot.event.ZeroTierEvent typed) {
        all.add(typed);
      }
    }

    @EventListener
    void ok(ZeroTierSdkEvent<ZeroTierEvent.NetworkOk> event) {
      networkOk.add(event.getEvent());
    }
  }

  /** Polls (bounded) until an event of {@code kind} has arrived; the caller's assertions then say what is missing. */
  private static void awaitEvent(Recorder r, Class<?> kind) throws InterruptedException {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (r.all.stream().noneMatch(kind::isInstance) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Test
  void sdkEventsArriveInOrderNextToTheDerivedOnes() {
    network.runner()
        .withUserConfiguration(Listeners.class)
        .run(context -> {
          assertThat(context).hasNotFailed().hasSingleBean(ZeroTierSdkEventPublisher.class);
          Recorder r = context.getBean(Recorder.class);
          // Start-up returns once the node's state is ready; SDK events still queued on its event thread follow.
          awaitEvent(r, ZeroTierEvent.NetworkReadyIpv4.class);
          List<Class<?>> kinds = r.all.stream().<Class<?>>map(Object::getClass).toList();
          assertThat(kinds.get(0)).as("first event: %s", kinds).isEqualTo(ZeroTierEvent.NodeUp.class);
          assertThat(kinds).containsSubsequence(ZeroTierEvent.NodeUp.class, ZeroTierEvent.NodeOnline.class);
          assertThat(kinds).containsSubsequence(ZeroTierEvent.NetworkRequestingConfig.class,
              ZeroTierEvent.NetworkOk.class, ZeroTierEvent.AddressAdded.class, ZeroTierEvent.NetworkReadyIpv4.class);
          // The derived state events keep their own order; relative to the SDK records they are not ordered, since
          // they come from state snapshots that may be ahead of SDK events still queued.
          assertThat(kinds).as("%s", kinds).containsSubsequence(dev.ztjvm.spring.boot.event.AddressAddedEvent.class,
              NetworkReadyEvent.class);
          assertThat(r.networkOk).isNotEmpty()
              .allSatisfy(ok -> assertThat(ok.network().networkId()).isEqualTo(network.nwid()));
          long okCount = r.all.stream().filter(ZeroTierEvent.NetworkOk.class::isInstance).count();
          assertThat(r.networkOk).hasSize((int) okCount);
          context.close();
          awaitEvent(r, ZeroTierEvent.NodeDown.class);
          assertThat(r.all.stream().<Class<?>>map(Object::getClass).toList()).contains(ZeroTierEvent.NodeDown.class);
        });
  }
}
