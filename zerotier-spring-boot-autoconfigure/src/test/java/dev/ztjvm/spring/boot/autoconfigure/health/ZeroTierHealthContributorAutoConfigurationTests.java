package dev.ztjvm.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.spring.boot.TestZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.health.ZeroTierHealthIndicator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierHealthContributorAutoConfigurationTests {

  static final long NODE = 0x89e92ceee5L;
  static final long NWID = 0x8056c2e21c000001L;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
      .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0")
      .withBean(TestZeroTierNode.class, () -> new TestZeroTierNode(NODE));

  @Test
  void createdByDefaultAsTheZerotierContributor() {
    runner.run(context -> assertThat(context).hasSingleBean(ZeroTierHealthIndicator.class)
        .hasBean("zerotierHealthIndicator"));
  }

  @Test
  void absentWhenDisabled() {
    runner.withPropertyValues("management.health.zerotier.enabled=false")
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierHealthIndicator.class));
  }

  @Test
  void absentWithoutSpringBootHealth() {
    runner.withClassLoader(new FilteredClassLoader(HealthIndicator.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(ZeroTierHealthIndicator.class);
        });
  }

  @Test
  void absentWithoutNode() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierHealthContributorAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierHealthIndicator.class));
  }

  @Test
  void userIndicatorReplacesOurs() {
    runner.withBean("zerotierHealthIndicator", HealthIndicator.class, () -> () -> Health.up().build())
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierHealthIndicator.class));
  }

  @Test
  @SuppressWarnings("unchecked")
  void downWithReasonUntilAuthorizedThenUpThenDownWhenDeauthorized() {
    runner.run(context -> {
      TestZeroTierNode node = context.getBean(TestZeroTierNode.class);
      HealthIndicator health = context.getBean("zerotierHealthIndicator", HealthIndicator.class);

      Health h = health.health(true);
      assertThat(h.getStatus()).isEqualTo(Status.DOWN);
      assertThat((List<String>) h.getDetails().get("reasons")).containsExactly(
          "node 89e92ceee5 is offline: no root reachable (check UDP connectivity and the planet)",
          "REQUESTING_CONFIGURATION: waiting for network 8056c2e21c000001's controller");

      node.setOnline(true);
      node.setPeers(TestZeroTierNode.root(0x778cde7190L, 12.5), TestZeroTierNode.relayedLeaf(0x1122334455L));
      node.setNetwork(NWID, NetworkStatus.ACCESS_DENIED);
      h = health.health(true);
      assertThat(h.getStatus()).isEqualTo(Status.DOWN);
      assertThat((List<String>) h.getDetails().get("reasons"))
          .containsExactly("ACCESS_DENIED: authorize node 89e92ceee5 on network 8056c2e21c000001");

      node.setNetwork(NWID, NetworkStatus.OK, "10.147.20.7/24", "fd80:56c2:e21c:0:199:9389:e92c:eee5/88");
      h = health.health(true);
      assertThat(h.getStatus()).isEqualTo(Status.UP);
      assertThat(h.getDetails()).doesNotContainKey("reasons").containsEntry("nodeId", "89e92ceee5")
          .containsEntry("online", true)
          .containsEntry("peers", Map.of("total", 2, "direct", 1L, "roots", 1L));
      Map<String, Object> network =
          (Map<String, Object>) ((Map<String, Object>) h.getDetails().get("networks")).get("8056c2e21c000001");
      assertThat(network).containsEntry("status", "OK").containsEntry("name", "lab");
      assertThat((List<String>) network.get("addresses"))
          .containsExactly("10.147.20.7/24", "fd80:56c2:e21c:0:199:9389:e92c:eee5/88");

      node.setNetwork(NWID, NetworkStatus.ACCESS_DENIED);
      assertThat(health.health(true).getStatus()).isEqualTo(Status.DOWN);
      node.setNetwork(NWID, NetworkStatus.NOT_FOUND);
      assertThat((List<String>) health.health(true).getDetails().get("reasons")).singleElement().asString()
          .startsWith("NOT_FOUND: network 8056c2e21c000001 does not exist");
      node.setNetwork(NWID, NetworkStatus.OK, "10.147.20.7/24");
      assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

      // Details are withheld when not allowed; the status still carries UP/DOWN.
      assertThat(health.health(false).getDetails()).isEmpty();
    });
  }
}
