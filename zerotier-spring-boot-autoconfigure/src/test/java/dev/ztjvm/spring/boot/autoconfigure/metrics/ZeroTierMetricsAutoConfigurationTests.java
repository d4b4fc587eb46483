package dev.ztjvm.spring.boot.autoconfigure.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.netstack.tcp.TcpStats;
import dev.ztjvm.sockets.TcpStatistics;
import dev.ztjvm.spring.boot.TestZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.metrics.ZeroTierMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierMetricsAutoConfigurationTests {

  static final long NWID = 0x8056c2e21c000001L;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class, ZeroTierMetricsAutoConfiguration.class))
      .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0")
      .withBean(TestZeroTierNode.class, () -> new TestZeroTierNode(0x89e92ceee5L));

  @Test
  void metersFollowTheNodeState() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ZeroTierMetrics.class);
      MeterRegistry registry = new SimpleMeterRegistry();
      context.getBean(ZeroTierMetrics.class).bindTo(registry);
      TestZeroTierNode node = context.getBean(TestZeroTierNode.class);

      assertThat(gauge(registry, "zerotier.node.online")).isZero();
      assertThat(registry.get("zerotier.network.ready").tag("network", "8056c2e21c000001").gauge().value()).isZero();
      assertThat(registry.get("zerotier.networks").tag("status", "requesting_configuration").gauge().value())
          .isEqualTo(1);

      node.setOnline(true);
      node.setNetwork(NWID, NetworkStatus.OK, "10.147.20.7/24");
      node.setPeers(TestZeroTierNode.root(0x778cde7190L, 12.5), TestZeroTierNode.relayedLeaf(0x1122334455L));
      assertThat(gauge(registry, "zerotier.node.online")).isEqualTo(1);
      assertThat(registry.get("zerotier.network.ready").tag("network", "8056c2e21c000001").gauge().value())
          .isEqualTo(1);
      assertThat(registry.get("zerotier.networks").tag("status", "ok").gauge().value()).isEqualTo(1);
      assertThat(registry.get("zerotier.peers").tags("role", "planet", "path", "direct").gauge().value()).isEqualTo(1);
      assertThat(registry.get("zerotier.peers").tags("role", "leaf", "path", "relayed").gauge().value()).isEqualTo(1);
      assertThat(registry.get("zerotier.peers").tags("role", "leaf", "path", "direct").gauge().value()).isZero();
      assertThat(registry.get("zerotier.roots.latency").timeGauge().value(TimeUnit.MILLISECONDS)).isEqualTo(12.5);
      assertThat(registry.get("zerotier.packets").tags("direction", "in", "verb", "hello").functionCounter().count())
          .isZero();
      assertThat(registry.get("zerotier.drops").tag("reason", "mac_failed").functionCounter()).isNotNull();
      assertThat(registry.get("zerotier.node.online").gauge().getId().getTag("node")).isEqualTo("89e92ceee5");
      assertThat(registry.get("zerotier.mac.failures").functionCounter().count()).isZero();
      assertThat(registry.get("zerotier.datagrams").tag("direction", "out").functionCounter()).isNotNull();
      assertThat(registry.get("zerotier.tcp.connections").tag("state", "open").gauge().value()).isZero();
    });
  }

  @Test
  void tcpMetersReadTheNodesTcpStatistics() {
    runner.run(context -> {
      MeterRegistry registry = new SimpleMeterRegistry();
      TestZeroTierNode node = context.getBean(TestZeroTierNode.class);
      // segmentsIn, segmentsOut, bytesIn, bytesOut, retransmits, fast, sack, rto, ..., resetsIn, resetsOut, ...,
      // opened, accepted, failed, ...
      node.setTcpStatistics(new TcpStatistics(3, 2, new TcpStats(
          100, 90, 5000, 4000, 7, 2, 0, 3, 0, 0, 0, 0, 1, 4, 0, 0, 0, 0, 0, 5, 6, 1, 0, 0, 0)));
      context.getBean(ZeroTierMetrics.class).bindTo(registry);
      assertThat(registry.get("zerotier.tcp.connections").tag("state", "open").gauge().value()).isEqualTo(3);
      assertThat(registry.get("zerotier.tcp.connections").tag("state", "established").gauge().value()).isEqualTo(2);
      assertThat(registry.get("zerotier.tcp.connections.opened").tag("side", "active").functionCounter().count())
          .isEqualTo(5);
      assertThat(registry.get("zerotier.tcp.connections.opened").tag("side", "passive").functionCounter().count())
          .isEqualTo(6);
      assertThat(registry.get("zerotier.tcp.connections.failed").functionCounter().count()).isEqualTo(1);
      assertThat(registry.get("zerotier.tcp.retransmissions").tag("type", "fast").functionCounter().count())
          .isEqualTo(2);
      assertThat(registry.get("zerotier.tcp.retransmissions").tag("type", "timeout").functionCounter().count())
          .isEqualTo(3);
      assertThat(registry.get("zerotier.tcp.retransmissions").tag("type", "other").functionCounter().count())
          .isEqualTo(2);
      assertThat(registry.get("zerotier.tcp.segments").tag("direction", "in").functionCounter().count())
          .isEqualTo(100);
      assertThat(registry.get("zerotier.tcp.bytes").tag("direction", "out").functionCounter().count())
          .isEqualTo(4000);
      assertThat(registry.get("zerotier.tcp.resets").tag("direction", "out").functionCounter().count()).isEqualTo(4);
      assertThat(registry.get("zerotier.tcp.retransmissions").tag("type", "fast").functionCounter().getId()
          .getBaseUnit()).isEqualTo("segments");
    });
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
    ZeroTierMetrics custom = new ZeroTierMetrics(new TestZeroTierNode(1), java.util.List.of(), java.util.List.of());
    runner.withBean("custom", ZeroTierMetrics.class, () -> custom)
        .run(context -> assertThat(context.getBean(ZeroTierMetrics.class)).isSameAs(custom));
  }

  private static double gauge(MeterRegistry registry, String name) {
    return registry.get(name).gauge().value();
  }
}
