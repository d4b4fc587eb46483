package dev.ztjvm.spring.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.metrics.ZeroTierMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierMetricsAutoConfigurationTests {

  private final TestZeroTier zt = TestZeroTier.get();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class, ZeroTierMetricsAutoConfiguration.class))
      .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.publicNetwork()), "zerotier.startup.timeout=0")
      .withBean(ZeroTierNode.class, () -> zt.nodeBuilder().build());

  @Test
  void metersFollowTheNodeState() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ZeroTierMetrics.class);
      MeterRegistry registry = new SimpleMeterRegistry();
      ZeroTierNode node = context.getBean(ZeroTierNode.class);
      String nwid = TestZeroTier.id(zt.publicNetwork());
      context.getBean(ZeroTierMetrics.class).bindTo(registry);

      TestZeroTier.await(() -> TestZeroTier.ready(node, zt.publicNetwork())
          && registry.get("zerotier.roots.latency").timeGauge().value(TimeUnit.MILLISECONDS) >= 0);
      assertThat(gauge(registry, "zerotier.node.online")).isEqualTo(1);
      assertThat(registry.get("zerotier.node.online").gauge().getId().getTag("node")).isEqualTo(node.nodeIdString());
      assertThat(registry.get("zerotier.network.ready").tag("network", nwid).gauge().value()).isEqualTo(1);
      assertThat(registry.get("zerotier.networks").tag("status", "ok").gauge().value()).isEqualTo(1);
      assertThat(registry.get("zerotier.networks").tag("status", "access_denied").gauge().value()).isZero();
      assertThat(registry.get("zerotier.peers").tags("role", "planet", "path", "direct").gauge().value()).isEqualTo(1);
      assertThat(registry.get("zerotier.roots.latency").timeGauge().value(TimeUnit.MILLISECONDS)).isNotNaN();
      assertThat(registry.get("zerotier.packets").tags("direction", "in", "verb", "ok").functionCounter().count())
          .isPositive();
      assertThat(registry.get("zerotier.datagrams").tag("direction", "out").functionCounter().count()).isPositive();
      assertThat(registry.get("zerotier.drops").tag("reason", "mac_failed").functionCounter().count()).isZero();
      assertThat(registry.get("zerotier.mac.failures").functionCounter().count()).isZero();

      context.close();
      assertThat(gauge(registry, "zerotier.node.online")).isZero();
      assertThat(registry.get("zerotier.network.ready").tag("network", nwid).gauge().value()).isZero();
    });
  }

  @Test
  void tcpMetersCountTheNodesConnections() {
    runner.run(context -> {
      MeterRegistry registry = new SimpleMeterRegistry();
      ZeroTierNode node = context.getBean(ZeroTierNode.class);
      context.getBean(ZeroTierMetrics.class).bindTo(registry);
      TestZeroTier.await(() -> TestZeroTier.ready(node, zt.publicNetwork()));
      try (ZeroTierNode peer = zt.nodeBuilder().build()) {
        peer.start();
        var address = peer.awaitNetworkReady(zt.publicNetwork(), java.time.Duration.ofSeconds(60)).ipv4()
            .orElseThrow();
        try (ZeroTierServerSocket server = peer.newServerSocket(7000);
            ZeroTierSocket socket = node.newSocket()) {
          socket.connect(new InetSocketAddress(address, 7000), 30_000);
          socket.getOutputStream().write(new byte[1000]);
          socket.getOutputStream().flush();
          try (var accepted = server.accept()) {
            accepted.getInputStream().readNBytes(1000);
          }
        }
      }
      // The TCP snapshot is read at most once a second: poll until it shows the connection.
      TestZeroTier.await(() -> registry.get("zerotier.tcp.connections.opened").tag("side", "active")
          .functionCounter().count() >= 1);
      assertThat(registry.get("zerotier.tcp.connections.opened").tag("side", "active").functionCounter().count())
          .isEqualTo(1);
      assertThat(registry.get("zerotier.tcp.connections.opened").tag("side", "passive").functionCounter().count())
          .isZero();
      TestZeroTier.await(() -> registry.get("zerotier.tcp.bytes").tag("direction", "out").functionCounter()
          .count() >= 1000);
      assertThat(registry.get("zerotier.tcp.bytes").tag("direction", "out").functionCounter().count())
          .isGreaterThanOrEqualTo(1000);
      assertThat(registry.get("zerotier.tcp.segments").tag("direction", "out").functionCounter().getId()
          .getBaseUnit()).isEqualTo("segments");
    });
  }

  /**
   * Prometheus appends a meter's base unit to its name unless the name ends with it: no meter may then name its unit
   * twice (as zerotier_tcp_connections_opened_connections_total did).
   */
  @Test
  void meterNamesDoNotStutterTheirUnitInPrometheus() {
    MeterRegistry registry = new SimpleMeterRegistry();
    new ZeroTierMetrics(zt.nodeBuilder().build(), java.util.List.of(1L), java.util.List.of()).bindTo(registry);
    java.util.Set<String> prometheusNames = new java.util.TreeSet<>();
    for (var meter : registry.getMeters()) {
      String name = meter.getId().getName().replace('.', '_');
      String unit = meter.getId().getBaseUnit();
      if (unit != null && !name.endsWith("_" + unit)) {
        assertThat(name).as("%s with base unit %s", meter.getId().getName(), unit).doesNotContain(unit);
        name = name + "_" + unit;
      }
      prometheusNames.add(name);
    }
    assertThat(prometheusNames).contains("zerotier_tcp_connections_opened", "zerotier_tcp_retransmissions",
        "zerotier_packets", "zerotier_datagram_bytes", "zerotier_relayed_packets", "zerotier_roots_latency_seconds")
        .doesNotContain("zerotier_tcp_connections_opened_connections");
  }

  @Test
  void absentWithoutMicrometer() {
    runner.withClassLoader(new FilteredClassLoader(MeterRegistry.class)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(ZeroTierMetrics.class);
    });
  }

  @Test
  void userBinderReplacesOurs() {
    ZeroTierMetrics custom = new ZeroTierMetrics(zt.nodeBuilder().build(), java.util.List.of(), java.util.List.of());
    runner.withBean("custom", ZeroTierMetrics.class, () -> custom)
        .run(context -> assertThat(context.getBean(ZeroTierMetrics.class)).isSameAs(custom));
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }
}
