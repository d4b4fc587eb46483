package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.spring.boot.TestZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint.EventDescriptor;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint.NetworkDescriptor;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint.NodeDescriptor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierEndpointAutoConfigurationTests {

  static final long NODE = 0x89e92ceee5L;
  static final long NWID = 0x8056c2e21c000001L;

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class, ZeroTierEndpointAutoConfiguration.class))
      .withPropertyValues("zerotier.network-id=8056c2e21c000001", "zerotier.startup.timeout=0")
      .withBean(TestZeroTierNode.class, () -> new TestZeroTierNode(NODE));

  @Test
  void availableWhenExposed() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier")
        .run(context -> assertThat(context).hasSingleBean(ZeroTierEndpoint.class));
  }

  @Test
  void absentWhenNotExposed() {
    runner.run(context -> assertThat(context).doesNotHaveBean(ZeroTierEndpoint.class));
  }

  @Test
  void absentWhenAccessIsNone() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier",
            "management.endpoint.zerotier.access=NONE")
        .run(context -> assertThat(context).doesNotHaveBean(ZeroTierEndpoint.class));
  }

  @Test
  void absentWithoutActuator() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier")
        .withClassLoader(new FilteredClassLoader(Endpoint.class))
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).doesNotHaveBean(ZeroTierEndpoint.class);
        });
  }

  @Test
  void userEndpointReplacesOurs() {
    ZeroTierEndpoint custom = new ZeroTierEndpoint(new TestZeroTierNode(1), null);
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier")
        .withBean("custom", ZeroTierEndpoint.class, () -> custom)
        .run(context -> assertThat(context.getBean(ZeroTierEndpoint.class)).isSameAs(custom));
  }

  @Test
  void readsNodeNetworksPeersAndRecentEvents() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier").run(context -> {
      TestZeroTierNode node = context.getBean(TestZeroTierNode.class);
      ZeroTierEndpoint endpoint = context.getBean(ZeroTierEndpoint.class);
      node.setOnline(true);
      node.setNetwork(NWID, NetworkStatus.ACCESS_DENIED);
      assertThat(endpoint.network("8056c2e21c000001").problem())
          .isEqualTo("ACCESS_DENIED: authorize node 89e92ceee5 on network 8056c2e21c000001");
      node.setNetwork(NWID, NetworkStatus.OK, "10.147.20.7/24");
      node.setPeers(TestZeroTierNode.root(0x778cde7190L, 12.5));

      NodeDescriptor d = endpoint.node();
      assertThat(d.nodeId()).isEqualTo("89e92ceee5");
      assertThat(d.online()).isTrue();
      assertThat(d.networks()).singleElement().satisfies(n -> {
        assertThat(n.id()).isEqualTo("8056c2e21c000001");
        assertThat(n.status()).isEqualTo("OK");
        assertThat(n.addresses()).containsExactly("10.147.20.7/24");
        assertThat(n.mac()).isEqualTo("32:a1:b2:c3:d4:e5");
        assertThat(n.problem()).isNull();
      });
      assertThat(d.peers()).singleElement().satisfies(p -> {
        assertThat(p.address()).isEqualTo("778cde7190");
        assertThat(p.role()).isEqualTo("PLANET");
        assertThat(p.latencyMillis()).isEqualTo(12.5);
        assertThat(p.paths()).singleElement().satisfies(path -> assertThat(path.address()).isEqualTo("127.0.0.1/9993"));
      });
      assertThat(d.recentEvents()).extracting(EventDescriptor::type).containsSubsequence(
          "NODE_ONLINE", "NETWORK_STATUS", "NETWORK_STATUS", "ADDRESS_ADDED", "NETWORK_READY", "PEER_PATH");
      assertThat(endpoint.network("8056c2e21c000002")).isNull();
      assertThatIllegalArgumentException().isThrownBy(() -> endpoint.network("zz"))
          .withMessageContaining("sixteen hex digits");
    });
  }

  @Test
  void joinAndLeaveOperateOnTheNode() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier").run(context -> {
      TestZeroTierNode node = context.getBean(TestZeroTierNode.class);
      ZeroTierEndpoint endpoint = context.getBean(ZeroTierEndpoint.class);
      NetworkDescriptor joined = endpoint.join("8056c2e21c0000aa");
      assertThat(joined.status()).isEqualTo("REQUESTING_CONFIGURATION");
      assertThat(node.network(0x8056c2e21c0000aaL)).isPresent();
      endpoint.leave("8056c2e21c0000aa");
      assertThat(node.network(0x8056c2e21c0000aaL)).isEmpty();
      assertThat(node.calls()).endsWith("join 8056c2e21c0000aa", "leave 8056c2e21c0000aa");
    });
  }
}
