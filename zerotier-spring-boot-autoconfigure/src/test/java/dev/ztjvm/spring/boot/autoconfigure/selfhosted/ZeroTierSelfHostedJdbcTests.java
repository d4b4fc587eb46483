package dev.ztjvm.spring.boot.autoconfigure.selfhosted;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.jdbc.PostgresServer;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * {@code zerotier.self-hosted.store=jdbc}: two replicas of one application, each with its own node and controller
 * instance, on one PostgreSQL database (Boot's DataSource from spring.datasource.*) and one planet, share one network.
 */
class ZeroTierSelfHostedJdbcTests {

  @TempDir Path dir;

  /**
   * The replica's properties exactly as docs/self-hosting.md shows them (the properties block after {@code <!-- test:
   * ZeroTierSelfHostedJdbcTests -->}), its placeholders given as the environment would, plus the loopback lab settings
   * a one-machine test needs.
   */
  private ApplicationContextRunner replica(String url, String user, Path planet) throws Exception {
    List<String> values = new ArrayList<>(documentedProperties());
    values.addAll(List.of("DATABASE_URL=" + url, "DATABASE_USER=" + user, "ZEROTIER_PLANET=" + planet,
        "zerotier.self-hosted.api.enabled=false", "zerotier.port=0", "zerotier.bind-addresses=127.0.0.1",
        "zerotier.allow-loopback-paths=true", "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true"));
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ZeroTierAutoConfiguration.class,
            ZeroTierSelfHostedAutoConfiguration.class))
        .withPropertyValues(values.toArray(String[]::new));
  }

  static List<String> documentedProperties() throws Exception {
    List<String> lines = Files.readAllLines(Path.of("..", "docs", "self-hosting.md"));
    int marker = lines.indexOf("<!-- test: ZeroTierSelfHostedJdbcTests -->");
    assertThat(marker).as("the replicated Spring example in docs/self-hosting.md").isNotNegative();
    assertThat(lines.get(marker + 1)).isEqualTo("```properties");
    List<String> out = new ArrayList<>();
    for (int i = marker + 2; !lines.get(i).equals("```"); i++) {
      out.add(lines.get(i));
    }
    assertThat(out).anyMatch(l -> l.equals("zerotier.self-hosted.store=jdbc"));
    return out;
  }

  @Test
  void replicasOnOneDatabaseShareOneNetworkAndShowTheStoreInHealth() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String url = pg.url(pg.createDatabase("spring"));
    try (LocalZeroTier roots = LocalZeroTier.start()) { // stands for the deployment's roots
      Path planet = dir.resolve("planet");
      Files.write(planet, roots.planetBytes());
      ApplicationContextRunner runner = replica(url, pg.user(), planet);
      runner.run(first -> runner.run(second -> {
        assertThat(first).hasNotFailed(); // each replica's node joined (startup fails on timeout otherwise)
        assertThat(second).hasNotFailed();
        SelfHostedZeroTier a = first.getBean(SelfHostedZeroTier.class);
        SelfHostedZeroTier b = second.getBean(SelfHostedZeroTier.class);
        assertThat(a.createdNetwork()).isTrue();
        assertThat(b.createdNetwork()).isFalse();
        assertThat(b.networkId()).isEqualTo(a.networkId());
        assertThat(b.controllerId()).isEqualTo(a.controllerId()).isNotEqualTo(roots.controllerId());
        ControllerDatabase db = b.database();
        assertThat(a.planet().roots()).isEqualTo(roots.planet().roots());
        assertThat(db.network(a.networkId()).orElseThrow()).containsEntry("name", "orders");

        // both replicas' nodes are members with an address each, whichever controller instance answered them
        List<Long> members = db.memberAddresses(a.networkId());
        assertThat(members).hasSize(2);
        for (long m : members) {
          Map<String, Object> rec = db.member(a.networkId(), m).orElseThrow();
          assertThat(rec).containsEntry("authorized", true);
          assertThat((List<?>) rec.get("ipAssignments")).singleElement().satisfies(ip -> assertThat(
              IpPrefix.parse("10.147.20.0/24").contains(InetAddress.getByName((String) ip))).isTrue());
        }

        Health health = first.getBean("zeroTierControllerStoreHealthIndicator", HealthIndicator.class).health();
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("store", "postgresql").containsEntry("listening", true)
            .containsEntry("networks", 1).containsEntry("members", 2L);
      }));
    }
  }

  @Test
  void jdbcStoreWithoutAPlanetNamesThePropertyAndTheFix() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, ZeroTierAutoConfiguration.class,
            ZeroTierSelfHostedAutoConfiguration.class))
        .withPropertyValues("spring.datasource.url=" + pg.url(pg.createDatabase("spring")),
            "spring.datasource.username=" + pg.user(), "zerotier.self-hosted.enabled=true",
            "zerotier.self-hosted.store=jdbc", "zerotier.self-hosted.api.enabled=false")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(
              InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("zerotier.planet");
        });
  }

  @Test
  void jdbcStoreWithoutADataSourceNamesTheFix() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierSelfHostedAutoConfiguration.class))
        .withPropertyValues("zerotier.self-hosted.enabled=true", "zerotier.self-hosted.store=jdbc",
            "zerotier.self-hosted.api.enabled=false")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(
              InvalidConfigurationPropertyValueException.class)
              .hasMessageContaining("spring.datasource.url");
        });
  }
}
