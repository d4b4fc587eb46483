package dev.ztjvm.spring.boot.autoconfigure.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.health.ZeroTierHealthIndicator;
import dev.ztjvm.spring.boot.health.ZeroTierReadinessGroup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierHealthContributorAutoConfigurationTests {

  private final TestZeroTier zt = TestZeroTier.get();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierHealthContributorAutoConfiguration.class, HealthContributorAutoConfiguration.class))
      .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.privateNetwork()), "zerotier.startup.timeout=0")
      .withBean(ZeroTierNode.class, () -> zt.nodeBuilder().build());

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
  void readinessGroupGetsTheContributorUnlessTurnedOff() {
    runner.run(context -> {
      assertThat(context).hasSingleBean(ZeroTierReadinessGroup.class);
      HealthEndpointGroup readiness = readinessGroup("readinessState");
      HealthEndpointGroups processed = context.getBean(ZeroTierReadinessGroup.class)
          .postProcessHealthEndpointGroups(HealthEndpointGroups.of(readinessGroup("db"),
              Map.of("readiness", readiness, "liveness", readinessGroup("livenessState"))));
      assertThat(processed.get("readiness").isMember("zerotier")).isTrue();
      assertThat(processed.get("readiness").isMember("readinessState")).isTrue();
      assertThat(processed.get("liveness").isMember("zerotier")).isFalse();
      assertThat(processed.getPrimary().isMember("zerotier")).isFalse();
      // without a readiness group (probes off) nothing changes
      HealthEndpointGroups none = HealthEndpointGroups.of(readinessGroup("db"), Map.of());
      assertThat(context.getBean(ZeroTierReadinessGroup.class).postProcessHealthEndpointGroups(none)).isSameAs(none);
    });
    runner.withPropertyValues("zerotier.health.readiness=false")
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierReadinessGroup.class));
  }

  /** A group whose only member is {@code member}. */
  private static HealthEndpointGroup readinessGroup(String member) {
    return new HealthEndpointGroup() {
      @Override
      public boolean isMember(String name) {
        return member.equals(name);
      }

      @Override
      public boolean showComponents(org.springframework.boot.actuate.endpoint.SecurityContext securityContext) {
        return true;
      }

      @Override
      public boolean showDetails(org.springframework.boot.actuate.endpoint.SecurityContext securityContext) {
        return true;
      }

      @Override
      public org.springframework.boot.health.actuate.endpoint.StatusAggregator getStatusAggregator() {
        return org.springframework.boot.health.actuate.endpoint.StatusAggregator.getDefault();
      }

      @Override
      public org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper getHttpCodeStatusMapper() {
        return org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper.DEFAULT;
      }

      @Override
      public org.springframework.boot.health.actuate.endpoint.@org.jspecify.annotations.Nullable AdditionalHealthEndpointPath getAdditionalPath() {
        return null;
      }
    };
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
      ZeroTierNode node = context.getBean(ZeroTierNode.class);
      String nodeId = node.nodeIdString();
      String nwid = TestZeroTier.id(zt.privateNetwork());
      HealthIndicator health = context.getBean("zerotierHealthIndicator", HealthIndicator.class);

      String denied = "ACCESS_DENIED: authorize node " + nodeId + " on network " + nwid;
      TestZeroTier.await(() -> reasons(health).equals(List.of(denied)));
      Health h = health.health(true);
      assertThat(h.getStatus()).isEqualTo(Status.DOWN);
      assertThat((List<String>) h.getDetails().get("reasons")).containsExactly(denied);

      zt.local().authorize(zt.privateNetwork(), node.nodeId());
      TestZeroTier.await(() -> health.health(true).getStatus().equals(Status.UP));
      h = health.health(true);
      assertThat(h.getStatus()).isEqualTo(Status.UP);
      assertThat(h.getDetails()).doesNotContainKey("reasons").containsEntry("nodeId", nodeId)
          .containsEntry("online", true);
      Map<String, Object> peers = (Map<String, Object>) h.getDetails().get("peers");
      assertThat((long) peers.get("roots")).isEqualTo(1);
      Map<String, Object> network = (Map<String, Object>) ((Map<String, Object>) h.getDetails().get("networks"))
          .get(nwid);
      assertThat(network).containsEntry("status", "OK").containsEntry("name", "private");
      assertThat((List<String>) network.get("addresses")).singleElement().asString().startsWith("10.92.0.");

      zt.local().deauthorize(zt.privateNetwork(), node.nodeId());
      node.refresh(zt.privateNetwork());
      TestZeroTier.await(() -> health.health(true).getStatus().equals(Status.DOWN));
      assertThat(reasons(health)).containsExactly(denied);

      // Details are withheld when not allowed; the status still carries UP/DOWN.
      assertThat(health.health(false).getDetails()).isEmpty();
    });
  }

  @Test
  void networkUnknownToItsControllerIsNamed() {
    long missing = (zt.local().controllerId() << 24) | 0xabcdefL;
    runner.withPropertyValues("zerotier.network-id=" + TestZeroTier.id(missing)).run(context -> {
      HealthIndicator health = context.getBean("zerotierHealthIndicator", HealthIndicator.class);
      TestZeroTier.await(() -> reasons(health).stream().anyMatch(r -> r.startsWith("NOT_FOUND")));
      assertThat(reasons(health)).singleElement().asString()
          .isEqualTo("NOT_FOUND: network " + TestZeroTier.id(missing)
              + " does not exist at its controller (check zerotier.network-id)");
    });
  }

  @SuppressWarnings("unchecked")
  private static List<String> reasons(HealthIndicator health) {
    Object reasons = health.health(true).getDetails().get("reasons");
    return reasons == null ? List.of() : (List<String>) reasons;
  }
}
