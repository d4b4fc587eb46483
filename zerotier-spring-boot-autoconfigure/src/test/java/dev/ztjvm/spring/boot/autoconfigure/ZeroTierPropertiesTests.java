package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ZeroTierPropertiesTests {

  // Binding only: the node itself is not created here (see ZeroTierAutoConfigurationTests).
  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withUserConfiguration(PropertiesOnly.class);

  @Configuration(proxyBeanMethods = false)
  @EnableConfigurationProperties(ZeroTierProperties.class)
  static class PropertiesOnly {}

  @Test
  void defaults() {
    runner.run(context -> {
      ZeroTierProperties p = context.getBean(ZeroTierProperties.class);
      assertThat(p.enabled()).isTrue();
      assertThat(p.networkId()).isNull();
      assertThat(p.networkIds()).isEmpty();
      assertThat(p.port()).isEqualTo(9993);
      assertThat(p.planet()).isNull();
      assertThat(p.cache().networks()).isTrue();
      assertThat(p.cache().planet()).isTrue();
      assertThat(p.allowLoopbackPaths()).isFalse();
      assertThat(p.startup().timeout()).isEqualTo(Duration.ofSeconds(30));
      assertThat(p.startup().failOnTimeout()).isFalse();
      assertThat(p.events().recent()).isEqualTo(100);
      assertThat(p.central().token()).isNull();
    });
  }

  @Test
  void bindsEveryProperty() {
    runner.withPropertyValues(
        "zerotier.network-id=8056C2E21C000001",
        "zerotier.networks=8056c2e21c000002,8056c2e21c000001",
        "zerotier.storage=/var/lib/app/zerotier",
        "zerotier.port=0",
        "zerotier.bind-addresses=127.0.0.1,::1",
        "zerotier.planet=classpath:test-planet",
        "zerotier.cache.networks=false",
        "zerotier.cache.planet=false",
        "zerotier.allow-loopback-paths=true",
        "zerotier.startup.timeout=5s",
        "zerotier.startup.fail-on-timeout=true",
        "zerotier.events.recent=7",
        "zerotier.central.token=s3cr3t-token",
        "zerotier.central.base-url=http://127.0.0.1:8080/api/v1")
        .run(context -> {
          ZeroTierProperties p = context.getBean(ZeroTierProperties.class);
          assertThat(p.networkIds()).containsExactly(0x8056c2e21c000001L, 0x8056c2e21c000002L);
          assertThat(p.storage()).isEqualTo(Path.of("/var/lib/app/zerotier"));
          assertThat(p.port()).isZero();
          assertThat(p.bindAddresses()).extracting(java.net.InetAddress::getHostAddress)
              .containsExactly("127.0.0.1", "0:0:0:0:0:0:0:1");
          assertThat(p.planet()).isNotNull();
          assertThat(p.planet().getContentAsByteArray()).startsWith("not a real planet".getBytes());
          assertThat(p.cache().networks()).isFalse();
          assertThat(p.cache().planet()).isFalse();
          assertThat(p.allowLoopbackPaths()).isTrue();
          assertThat(p.startup().timeout()).isEqualTo(Duration.ofSeconds(5));
          assertThat(p.startup().failOnTimeout()).isTrue();
          assertThat(p.events().recent()).isEqualTo(7);
          assertThat(p.central().baseUrl()).isEqualTo("http://127.0.0.1:8080/api/v1");
          assertThat(p.toString()).doesNotContain("s3cr3t-token");
        });
  }

  @Test
  void inlineIdentityIsNeverPrinted() {
    String identity = "89e92ceee5:0:" + "ab".repeat(64) + ":" + "cd".repeat(64);
    runner.withPropertyValues("zerotier.identity=" + identity).run(context -> {
      ZeroTierProperties p = context.getBean(ZeroTierProperties.class);
      assertThat(p.identity()).isEqualTo(identity);
      assertThat(p.toString()).doesNotContain("cdcd");
    });
  }

  @Test
  void badNetworkIdFailsNamingPropertyAndFix() {
    assertFailure(List.of("zerotier.network-id=8056c2e21c"), "zerotier.network-id", "8056c2e21c",
        "sixteen hex digits", "copy the ID from ZeroTier Central");
  }

  @Test
  void badNetworkInListFailsNamingItsIndex() {
    assertFailure(List.of("zerotier.networks=8056c2e21c000001,nothex0000000000"), "zerotier.networks[1]",
        "nothex0000000000", "sixteen hex digits", "e.g. 8056c2e21c000001");
  }

  @Test
  void missingPlanetFailsNamingPropertyAndFix() {
    assertFailure(List.of("zerotier.planet=file:/nonexistent/zt/planet"), "zerotier.planet", "planet",
        "does not exist", "remove it to use ZeroTier's public planet");
  }

  @Test
  void badPortFails() {
    assertFailure(List.of("zerotier.port=70000"), "zerotier.port", "70000", "between 0 and 65535", "9993");
  }

  @Test
  void publicIdentityInsteadOfSecretFailsWithoutEchoingIt() {
    assertFailure(List.of("zerotier.identity=89e92ceee5:0:abcdef"), "zerotier.identity", "(secret, not shown)",
        "needs its secret part", "identity.secret");
  }

  @Test
  void badCentralBaseUrlFails() {
    assertFailure(List.of("zerotier.central.base-url=api.zerotier.com"), "zerotier.central.base-url",
        "api.zerotier.com", "absolute http(s) URL", "https://api.zerotier.com/api/v1");
  }

  @Test
  void authorizeSelfWithoutTokenFailsNamingTheTokenProperty() {
    assertFailure(List.of("zerotier.central.authorize-self=true"), "zerotier.central.authorize-self", "true",
        "needs an API token", "set zerotier.central.token");
  }

  @Test
  void ipAssignmentThatIsNotAnAddressFailsNamingItsIndex() {
    assertFailure(List.of("zerotier.central.ip-assignments=10.147.17.20,orders.example.com"),
        "zerotier.central.ip-assignments[1]", "orders.example.com", "IPv4 or IPv6 address", "10.147.17.20");
  }

  @Test
  void authorizeSelfBindsWithItsAssignments() {
    runner.withPropertyValues("zerotier.central.token=t", "zerotier.central.authorize-self=true",
        "zerotier.central.ip-assignments=10.147.17.20")
        .run(context -> {
          ZeroTierProperties.Central central = context.getBean(ZeroTierProperties.class).central();
          assertThat(central.authorizeSelf()).isTrue();
          assertThat(central.ipAssignments()).containsExactly("10.147.17.20");
          assertThat(context.getBean(ZeroTierProperties.class).health().readiness()).isTrue();
        });
  }

  @Test
  void badTcpRelayValuesFailNamingPropertyAndFix() {
    for (String bad : List.of("203.0.113.7", "relay.example.com:443", "203.0.113.7:0", "2001:db8::7:443", "x:y")) {
      assertFailure(List.of("zerotier.tcp-relay.address=" + bad), "zerotier.tcp-relay.address", bad,
          "IP address and a port", "[2001:db8::7]:443");
    }
    assertFailure(List.of("zerotier.tcp-relay.force=true"), "zerotier.tcp-relay.force", "true",
        "needs a relay", "zerotier.tcp-relay.address=IP:port");
  }

  @Test
  void tcpRelayAddressesParse() {
    runner.withPropertyValues("zerotier.tcp-relay.address=[::1]:4443", "zerotier.tcp-relay.allow=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          ZeroTierProperties.TcpRelay relay = context.getBean(ZeroTierProperties.class).tcpRelay();
          assertThat(relay.socketAddress()).isEqualTo(new java.net.InetSocketAddress("::1", 4443));
          assertThat(relay.allow()).isFalse();
          assertThat(relay.force()).isFalse();
        });
    runner.run(context -> {
      ZeroTierProperties.TcpRelay relay = context.getBean(ZeroTierProperties.class).tcpRelay();
      assertThat(relay.socketAddress()).isNull();
      assertThat(relay.allow()).isTrue();
      assertThat(relay.force()).isFalse();
    });
  }

  @Test
  void negativeStartupTimeoutFails() {
    assertFailure(List.of("zerotier.startup.timeout=-1s"), "zerotier.startup.timeout", "PT-1S", "negative", "30s");
  }

  private void assertFailure(List<String> properties, String property, String value, String problem, String fix) {
    runner.withPropertyValues(properties.toArray(String[]::new)).run(context -> {
      assertThat(context).hasFailed();
      Throwable failure = context.getStartupFailure();
      FailureAnalysis analysis = PropertyFailures.analyze(failure);
      assertThat(analysis).as("analysis of %s", failure).isNotNull();
      assertThat(analysis.getDescription()).contains("'" + property + "'").contains(value).contains(problem);
      assertThat(analysis.getDescription()).contains(fix);
    });
  }
}
