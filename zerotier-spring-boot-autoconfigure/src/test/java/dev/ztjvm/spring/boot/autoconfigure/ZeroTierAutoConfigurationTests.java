package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.ZeroTierNodeLifecycle;
import dev.ztjvm.spring.boot.ZeroTierNotOnlineException;
import dev.ztjvm.spring.boot.ZeroTierPortInUseException;
import dev.ztjvm.spring.boot.ZeroTierStartupException;
import dev.ztjvm.spring.boot.event.ZeroTierEventPublisher;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.PayloadApplicationEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;

class ZeroTierAutoConfigurationTests {

  static final String IDENTITY = dev.ztjvm.identity.Identity.generate().toSecretString();

  private final TestZeroTier zt = TestZeroTier.get();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class));

  /** The application's own node: a user-defined ZeroTierNode bean. */
  private ApplicationContextRunner withUserNode() {
    return runner.withBean(ZeroTierNode.class, () -> zt.nodeBuilder().build());
  }

  @Configuration(proxyBeanMethods = false)
  static class EventRecorder {
    final List<PayloadApplicationEvent<?>> events = new CopyOnWriteArrayList<>();
    final List<ZeroTierEvent.NetworkOk> networkOk = new CopyOnWriteArrayList<>();

    @EventListener
    void any(PayloadApplicationEvent<?> event) {
      if (event.getPayload() instanceof ZeroTierEvent) {
        events.add(event);
      }
    }

    @EventListener
    void ok(ZeroTierEvent.NetworkOk event) {
      networkOk.add(event);
    }

    List<Class<?>> kinds() {
      return events.stream().<Class<?>>map(e -> e.getPayload().getClass()).toList();
    }
  }

  @Test
  void withoutNodeBeanOnlyPropertiesAreBound() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ZeroTierProperties.class);
      assertThat(context).doesNotHaveBean(ZeroTierNodeLifecycle.class);
      assertThat(context).doesNotHaveBean(ZeroTierEventPublisher.class);
    });
  }

  @Test
  void managesTheUsersNodeBeanJoiningConfiguredNetworks() {
    withUserNode()
        .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.publicNetwork()),
            "zerotier.networks=" + TestZeroTier.id(TestZeroTier.UNKNOWN_NETWORK), "zerotier.startup.timeout=0")
        .run(context -> {
          assertThat(context).hasSingleBean(ZeroTierNodeLifecycle.class).hasSingleBean(ZeroTierEventPublisher.class);
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          assertThat(node.isRunning()).isTrue();
          assertThat(node.networks()).extracting(NetworkDetails::networkId)
              .containsExactly(zt.publicNetwork(), TestZeroTier.UNKNOWN_NETWORK);
          context.close();
          assertThat(node.isRunning()).isFalse();
        });
  }

  @Test
  void lifecycleStartsBeforeAndStopsAfterTheWebServer() {
    assertThat(ZeroTierNodeLifecycle.PHASE)
        .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
        .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
    withUserNode().withPropertyValues("zerotier.startup.timeout=0").run(context -> assertThat(context.getBean(
        ZeroTierNodeLifecycle.class).getPhase()).isEqualTo(ZeroTierNodeLifecycle.PHASE));
  }

  @Test
  void disabledCreatesNothing() {
    withUserNode().withPropertyValues("zerotier.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(ZeroTierProperties.class);
      assertThat(context).doesNotHaveBean(ZeroTierNodeLifecycle.class);
      assertThat(context.getBean(ZeroTierNode.class).isRunning()).isFalse();
    });
  }

  @Test
  void userLifecycleReplacesOurs() {
    ZeroTierNode other = zt.nodeBuilder().build();
    withUserNode()
        .withBean("custom", ZeroTierNodeLifecycle.class,
            () -> new ZeroTierNodeLifecycle(other, List.of(), java.time.Duration.ZERO, false))
        .run(context -> {
          assertThat(context).hasSingleBean(ZeroTierNodeLifecycle.class).hasBean("custom");
          assertThat(context.getBean(ZeroTierNode.class).isRunning()).isFalse();
          assertThat(other.isRunning()).isTrue();
        });
    assertThat(other.isRunning()).isFalse();
  }

  @Test
  void startupTimeoutFailsWhenConfiguredWithTheReason() {
    withUserNode()
        .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(TestZeroTier.UNKNOWN_NETWORK),
            "zerotier.startup.timeout=300ms", "zerotier.startup.fail-on-timeout=true")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ZeroTierStartupException.class)
              .hasMessageContaining("not ready after PT0.3S")
              .hasMessageContaining(TestZeroTier.id(TestZeroTier.UNKNOWN_NETWORK));
        });
  }

  @Test
  void startupTimeoutOnlyWarnsByDefault() {
    withUserNode()
        .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(TestZeroTier.UNKNOWN_NETWORK),
            "zerotier.startup.timeout=200ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ZeroTierNode.class).isRunning()).isTrue();
        });
  }

  @Test
  void sdkEventsArriveAsSpringEventsWithTheirSdkTypesInOrder() {
    withUserNode().withUserConfiguration(EventRecorder.class)
        .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.publicNetwork()), "zerotier.events.recent=3",
            "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true")
        .run(context -> {
          assertThat(context).hasNotFailed();
          EventRecorder recorder = context.getBean(EventRecorder.class);
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          // Start-up returns once the node's state is ready; SDK events still queued on its event thread follow.
          TestZeroTier.await(() -> recorder.kinds().contains(ZeroTierEvent.NetworkReadyIpv4.class));
          List<Class<?>> kinds = recorder.kinds();
          assertThat(kinds.get(0)).as("first event: %s", kinds).isEqualTo(ZeroTierEvent.NodeUp.class);
          assertThat(kinds).containsSubsequence(ZeroTierEvent.NodeUp.class, ZeroTierEvent.NodeOnline.class);
          assertThat(kinds).containsSubsequence(ZeroTierEvent.NetworkRequestingConfig.class,
              ZeroTierEvent.NetworkOk.class, ZeroTierEvent.AddressAdded.class, ZeroTierEvent.NetworkReadyIpv4.class);
          assertThat(recorder.events).allSatisfy(e -> assertThat(e.getSource()).isSameAs(node));
          // A listener on one record type gets exactly those.
          assertThat(recorder.networkOk).isNotEmpty().hasSize((int) kinds.stream()
              .filter(ZeroTierEvent.NetworkOk.class::equals).count())
              .allSatisfy(ok -> assertThat(ok.network().networkId()).isEqualTo(zt.publicNetwork()));
          // The endpoint's ring buffer keeps the last three, in the same order.
          List<ZeroTierEvent> last = recorder.events.stream().map(e -> (ZeroTierEvent) e.getPayload()).toList();
          assertThat(context.getBean(ZeroTierEventPublisher.class).recentEvents())
              .extracting(ZeroTierEventPublisher.RecentEvent::event)
              .containsExactlyElementsOf(last.subList(last.size() - 3, last.size()));
          context.close();
          TestZeroTier.await(() -> recorder.kinds().contains(ZeroTierEvent.NodeDown.class));
          assertThat(recorder.kinds()).last().isEqualTo(ZeroTierEvent.NodeDown.class);
        });
  }

  @Test
  void startAndJoinToReadyAreObserved() {
    List<io.micrometer.observation.Observation.Context> stopped = new CopyOnWriteArrayList<>();
    io.micrometer.observation.ObservationRegistry registry = io.micrometer.observation.ObservationRegistry.create();
    registry.observationConfig().observationHandler(new io.micrometer.observation.ObservationHandler<>() {
      @Override
      public boolean supportsContext(io.micrometer.observation.Observation.Context context) {
        return true;
      }

      @Override
      public void onStop(io.micrometer.observation.Observation.Context context) {
        stopped.add(context);
      }
    });
    withUserNode().withBean(io.micrometer.observation.ObservationRegistry.class, () -> registry)
        .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.publicNetwork()),
            "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          TestZeroTier.await(() -> stopped.stream().anyMatch(c -> c.getName().equals("zerotier.network.join")));
          assertThat(stopped).anySatisfy(c -> {
            assertThat(c.getName()).isEqualTo("zerotier.node.start");
            assertThat(c.getError()).isNull();
            assertThat(c.getHighCardinalityKeyValue("zerotier.node").getValue()).isEqualTo(node.nodeIdString());
          });
          assertThat(stopped).anySatisfy(c -> {
            assertThat(c.getName()).isEqualTo("zerotier.network.join");
            assertThat(c.getError()).isNull();
            assertThat(c.getLowCardinalityKeyValue("zerotier.network").getValue())
                .isEqualTo(TestZeroTier.id(zt.publicNetwork()));
          });
        });
    // A join that never becomes ready ends with an error when the node stops.
    stopped.clear();
    withUserNode().withBean(io.micrometer.observation.ObservationRegistry.class, () -> registry)
        .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(TestZeroTier.UNKNOWN_NETWORK),
            "zerotier.startup.timeout=0")
        .run(context -> assertThat(context).hasNotFailed());
    assertThat(stopped).anySatisfy(c -> {
      assertThat(c.getName()).isEqualTo("zerotier.network.join");
      assertThat(c.getError()).hasMessageContaining("stopped before network");
    });
  }

  @Test
  void createsSdkNodeFromPropertiesWhenANetworkIsConfigured() {
    runner.withPropertyValues("zerotier.networks=" + TestZeroTier.id(TestZeroTier.UNKNOWN_NETWORK),
        "zerotier.startup.timeout=0", "zerotier.identity=" + IDENTITY)
        .withPropertyValues(zt.nodeProperties())
        .run(context -> {
          assertThat(context).hasSingleBean(ZeroTierNode.class);
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          assertThat(node.exportSecretIdentity()).isEqualTo(IDENTITY);
          assertThat(node.nodeId()).isEqualTo(Long.parseLong(IDENTITY.substring(0, 10), 16));
          assertThat(node.isRunning()).isTrue();
        });
  }

  @Test
  void noSdkNodeWithoutNetwork() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ZeroTierNode.class));
  }

  @Test
  void planetThatIsNotAPlanetFailsNamingTheProperty() {
    runner.withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.planet=classpath:test-planet")
        .run(context -> {
          assertThat(context).hasFailed();
          var analysis = PropertyFailures.analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription()).contains("'zerotier.planet'").contains("not a valid planet");
          assertThat(analysis.getDescription()).contains("remove it to use ZeroTier's public planet");
        });
  }

  @Test
  void failureAnalyzerIsRegistered() throws Exception {
    List<String> analyzers = new java.util.ArrayList<>();
    var resources = getClass().getClassLoader().getResources(SpringFactoriesLoader.FACTORIES_RESOURCE_LOCATION);
    while (resources.hasMoreElements()) {
      var properties = PropertiesLoaderUtils.loadProperties(new UrlResource(resources.nextElement()));
      String names = properties.getProperty(FailureAnalyzer.class.getName());
      if (names != null) {
        analyzers.addAll(List.of(names.split(",")));
      }
    }
    assertThat(analyzers).contains(ZeroTierPortInUseFailureAnalyzer.class.getName(),
        ZeroTierNotOnlineFailureAnalyzer.class.getName());
  }

  @Test
  void takenUdpPortFailsNamingThePortAndTheWayOut() throws Exception {
    try (java.net.DatagramSocket taken = new java.net.DatagramSocket(
        new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0))) {
      int port = taken.getLocalPort();
      runner.withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.publicNetwork()),
          "zerotier.startup.timeout=0")
          .withPropertyValues(zt.nodeProperties())
          .withPropertyValues("zerotier.port=" + port)
          .run(context -> {
            assertThat(context).hasFailed();
            var analysis = new ZeroTierPortInUseFailureAnalyzer().analyze(context.getStartupFailure());
            assertThat(analysis).isNotNull();
            assertThat(analysis.getDescription()).contains("could not bind UDP port " + port)
                .contains("Another process holds it");
            assertThat(analysis.getAction()).contains("Set zerotier.port to a free port, or to 0");
          });
    }
    var zerotierOne = new ZeroTierPortInUseFailureAnalyzer().analyze(new ZeroTierPortInUseException(9993,
        new java.net.BindException("UDP port 9993 on 0.0.0.0 is in use or not bindable")));
    assertThat(zerotierOne.getDescription()).contains("UDP port 9993").contains("a zerotier-one service");
  }

  @Test
  void neverOnlineFailsNamingTheRootsAndTheLoopbackProperty() {
    runner.withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.publicNetwork()),
        "zerotier.planet=" + zt.planet().toUri(), "zerotier.port=0", "zerotier.bind-addresses=127.0.0.1",
        "zerotier.allow-loopback-paths=false", "zerotier.startup.timeout=3s",
        "zerotier.startup.fail-on-timeout=true")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ZeroTierNotOnlineException.class);
          var environment = new org.springframework.core.env.StandardEnvironment();
          environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test",
              java.util.Map.of("zerotier.allow-loopback-paths", "false")));
          var analysis = new ZeroTierNotOnlineFailureAnalyzer(environment).analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          var root = zt.local().rootEndpoint();
          assertThat(analysis.getDescription()).contains("never came online")
              .contains("roots tried: " + root.getAddress().getHostAddress() + "/" + root.getPort())
              .contains("zerotier.allow-loopback-paths is false");
          assertThat(analysis.getAction()).startsWith("Set zerotier.allow-loopback-paths=true");
        });
  }
}
