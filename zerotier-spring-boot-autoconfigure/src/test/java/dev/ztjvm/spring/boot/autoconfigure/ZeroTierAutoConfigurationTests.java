package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.spring.boot.ManagedZeroTierNode;
import dev.ztjvm.spring.boot.TestZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierNodeAdapter;
import dev.ztjvm.spring.boot.ZeroTierNodeLifecycle;
import dev.ztjvm.spring.boot.ZeroTierStartupException;
import dev.ztjvm.spring.boot.event.ZeroTierEvent;
import dev.ztjvm.spring.boot.event.ZeroTierEventBridge;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;

class ZeroTierAutoConfigurationTests {

  static final long NODE = 0x89e92ceee5L;
  static final long NWID = 0x8056c2e21c000001L;
  static final String IDENTITY = dev.ztjvm.identity.Identity.generate().toSecretString();

  private final ApplicationContextRunner runner =
      new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class));

  @Configuration(proxyBeanMethods = false)
  static class NodeConfig {
    @Bean
    TestZeroTierNode node() {
      // The controller authorizes at once: the node is online and gets an address right after joining.
      TestZeroTierNode node = new TestZeroTierNode(NODE);
      node.onJoin(nwid -> {
        node.setOnline(true);
        node.setNetwork(nwid, NetworkStatus.OK, "10.147.20.7/24");
      });
      return node;
    }
  }

  @Configuration(proxyBeanMethods = false)
  static class EventRecorder {
    final List<ZeroTierEvent> events = new CopyOnWriteArrayList<>();

    @EventListener
    void on(ZeroTierEvent event) {
      events.add(event);
    }
  }

  @Test
  void withoutNodeBeanOnlyPropertiesAreBound() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ZeroTierProperties.class);
      assertThat(context).doesNotHaveBean(ZeroTierNodeLifecycle.class);
      assertThat(context).doesNotHaveBean(ZeroTierEventBridge.class);
    });
  }

  @Test
  void managesNodeBeanJoiningConfiguredNetworks() {
    runner.withUserConfiguration(NodeConfig.class)
        .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.networks=8056c2e21c000002")
        .run(context -> {
          assertThat(context).hasSingleBean(ZeroTierNodeLifecycle.class).hasSingleBean(ZeroTierEventBridge.class);
          TestZeroTierNode node = context.getBean(TestZeroTierNode.class);
          assertThat(node.isRunning()).isTrue();
          assertThat(node.calls()).containsExactly("start", "join 8056c2e21c000001", "join 8056c2e21c000002");
          context.close();
          assertThat(node.calls()).last().isEqualTo("stop");
          assertThat(node.isRunning()).isFalse();
        });
  }

  @Test
  void lifecycleStartsBeforeAndStopsAfterTheWebServer() {
    assertThat(ZeroTierNodeLifecycle.PHASE)
        .isLessThan(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE)
        .isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
    runner.withUserConfiguration(NodeConfig.class).withPropertyValues("zerotier.startup.timeout=0").run(context ->
        assertThat(context.getBean(ZeroTierNodeLifecycle.class).getPhase()).isEqualTo(ZeroTierNodeLifecycle.PHASE));
  }

  @Test
  void disabledCreatesNothing() {
    runner.withUserConfiguration(NodeConfig.class).withPropertyValues("zerotier.enabled=false").run(context -> {
      assertThat(context).doesNotHaveBean(ZeroTierProperties.class);
      assertThat(context).doesNotHaveBean(ZeroTierNodeLifecycle.class);
      assertThat(context.getBean(TestZeroTierNode.class).calls()).isEmpty();
    });
  }

  @Test
  void userLifecycleReplacesOurs() {
    runner.withUserConfiguration(NodeConfig.class)
        .withBean("custom", ZeroTierNodeLifecycle.class,
            () -> new ZeroTierNodeLifecycle(new TestZeroTierNode(1), List.of(), java.time.Duration.ZERO, false))
        .run(context -> {
          assertThat(context).hasSingleBean(ZeroTierNodeLifecycle.class).hasBean("custom");
          assertThat(context.getBean(TestZeroTierNode.class).calls()).isEmpty();
        });
  }

  @Test
  void startupTimeoutFailsWhenConfiguredWithTheReason() {
    runner.withBean(ManagedZeroTierNode.class, () -> new TestZeroTierNode(NODE)) // never authorized
        .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=300ms",
            "zerotier.startup.fail-on-timeout=true")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ZeroTierStartupException.class)
              .hasMessageContaining("89e92ceee5").hasMessageContaining("offline")
              .hasMessageContaining("REQUESTING_CONFIGURATION");
        });
  }

  @Test
  void startupTimeoutOnlyWarnsByDefault() {
    runner.withBean(TestZeroTierNode.class, () -> new TestZeroTierNode(NODE))
        .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=200ms")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(TestZeroTierNode.class).isRunning()).isTrue();
        });
  }

  @Test
  void stateChangesArriveAsTypedSpringEventsInOrder() {
    runner.withUserConfiguration(NodeConfig.class, EventRecorder.class)
        .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.events.recent=3")
        .run(context -> {
          List<ZeroTierEvent> events = context.getBean(EventRecorder.class).events;
          assertThat(events).extracting(ZeroTierEvent::toString).containsExactly(
              "NETWORK_STATUS network 8056c2e21c000001 null -> REQUESTING_CONFIGURATION",
              "NODE_ONLINE node 89e92ceee5 is online",
              "NETWORK_STATUS network 8056c2e21c000001 REQUESTING_CONFIGURATION -> OK",
              "ADDRESS_ADDED address 10.147.20.7/24 assigned on network 8056c2e21c000001",
              "NETWORK_READY network 8056c2e21c000001 ready with [10.147.20.7/24]");
          // The endpoint's ring buffer keeps the last three.
          assertThat(context.getBean(ZeroTierEventBridge.class).recentEvents())
              .extracting(ZeroTierEvent::getType).containsExactly("NETWORK_STATUS", "ADDRESS_ADDED", "NETWORK_READY");

          TestZeroTierNode node = context.getBean(TestZeroTierNode.class);
          events.clear();
          node.setNetwork(NWID, NetworkStatus.ACCESS_DENIED);
          node.setPeers(TestZeroTierNode.root(0x778cde7190L, 12.5), TestZeroTierNode.relayedLeaf(0x1122334455L));
          node.setOnline(false);
          assertThat(events).extracting(ZeroTierEvent::getType).containsExactly(
              "NETWORK_STATUS", "ADDRESS_REMOVED", "PEER_PATH", "PEER_PATH", "NODE_OFFLINE");
        });
  }

  @Test
  void createsSdkNodeFromPropertiesWhenANetworkIsConfigured() {
    runner.withPropertyValues("zerotier.networks=8056c2e21c000001", "zerotier.startup.timeout=0",
            "zerotier.identity=" + IDENTITY)
        .withBean(ZeroTierNodeLifecycle.class, // no start: this test must not contact ZeroTier's public roots
            () -> new ZeroTierNodeLifecycle(new TestZeroTierNode(1), List.of(), java.time.Duration.ZERO, false))
        .run(context -> {
          assertThat(context).hasSingleBean(ZeroTierNodeAdapter.class);
          assertThat(context.getBean(ZeroTierNodeAdapter.class).node().exportSecretIdentity()).isEqualTo(IDENTITY);
          assertThat(context.getBean(ManagedZeroTierNode.class).address()).isEqualTo(Long.parseLong(IDENTITY.substring(0, 10), 16));
        });
  }

  @Test
  void noSdkNodeWithoutNetwork() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ManagedZeroTierNode.class));
  }

  @Test
  void planetThatIsNotAPlanetFailsNamingTheProperty() {
    runner.withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.planet=classpath:test-planet")
        .run(context -> {
          assertThat(context).hasFailed();
          var analysis = new InvalidZeroTierPropertyFailureAnalyzer().analyze(context.getStartupFailure());
          assertThat(analysis).isNotNull();
          assertThat(analysis.getDescription()).contains("'zerotier.planet'").contains("not a valid planet");
          assertThat(analysis.getAction()).contains("remove it to use ZeroTier's public planet");
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
    assertThat(analyzers).contains(InvalidZeroTierPropertyFailureAnalyzer.class.getName());
  }
}
