package dev.ztjvm.spring.boot.autoconfigure.endpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.AuthenticatedCaller;
import dev.ztjvm.spring.boot.TestZeroTier;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint.EventDescriptor;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint.NetworkDescriptor;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint.NodeDescriptor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class ZeroTierEndpointAutoConfigurationTests {

  private final TestZeroTier zt = TestZeroTier.get();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierEndpointAutoConfiguration.class))
      .withPropertyValues("zerotier.network-id=" + TestZeroTier.id(zt.privateNetwork()), "zerotier.startup.timeout=0")
      .withBean(ZeroTierNode.class, () -> zt.nodeBuilder().build());

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
    ZeroTierEndpoint custom = new ZeroTierEndpoint(zt.nodeBuilder().build(), null);
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier")
        .withBean("custom", ZeroTierEndpoint.class, () -> custom)
        .run(context -> assertThat(context.getBean(ZeroTierEndpoint.class)).isSameAs(custom));
  }

  @Test
  void readsNodeNetworksPeersAndRecentEvents() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier").run(context -> {
      ZeroTierNode node = context.getBean(ZeroTierNode.class);
      ZeroTierEndpoint endpoint = context.getBean(ZeroTierEndpoint.class);
      String nwid = TestZeroTier.id(zt.privateNetwork());
      String denied = "ACCESS_DENIED: authorize node " + node.nodeIdString() + " on network " + nwid;
      TestZeroTier.await(() -> denied.equals(endpoint.network(nwid).problem()));
      assertThat(endpoint.network(nwid).problem()).isEqualTo(denied);
      zt.local().authorize(zt.privateNetwork(), node.nodeId());
      TestZeroTier.await(() -> TestZeroTier.ready(node, zt.privateNetwork()));

      NodeDescriptor d = endpoint.node(AuthenticatedCaller.ADMIN);
      assertThat(d.details()).isTrue();
      assertThat(d).isInstanceOf(OperationResponseBody.class);
      assertThat(d.nodeId()).isEqualTo(node.nodeIdString());
      assertThat(d.online()).isTrue();
      assertThat(d.networks()).singleElement().satisfies(n -> {
        assertThat(n).isInstanceOf(OperationResponseBody.class);
        assertThat(n.id()).isEqualTo(nwid);
        assertThat(n.status()).isEqualTo("OK");
        assertThat(n.addresses()).singleElement().asString().startsWith("10.92.0.");
        assertThat(n.mac()).isEqualTo(node.network(zt.privateNetwork()).macString());
        assertThat(n.problem()).isNull();
      });
      assertThat(d.peers()).anySatisfy(p -> {
        assertThat(p.role()).isEqualTo("PLANET");
        assertThat(p.paths()).singleElement().satisfies(path -> assertThat(path.address()).isEqualTo("127.0.0.1/" + zt
            .local().rootEndpoint().getPort()));
      });
      assertThat(d.recentEvents()).extracting(EventDescriptor::type)
          .containsSubsequence("NodeUp", "NetworkAccessDenied", "NetworkOk", "AddressAdded");
      assertThat(endpoint.network("8056c2e21c000002")).isNull();
      assertThatExceptionOfType(InvalidEndpointRequestException.class).isThrownBy(() -> endpoint.network("zz"))
          .withMessageContaining("sixteen hex digits");
    });
  }

  @Test
  void physicalSideIsHiddenFromAnonymousCallersByDefault() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier").run(context -> {
      ZeroTierNode node = context.getBean(ZeroTierNode.class);
      ZeroTierEndpoint endpoint = context.getBean(ZeroTierEndpoint.class);
      TestZeroTier.await(() -> ZeroTierSnapshotsView.hasDirectRoot(node));
      NodeDescriptor anonymous = endpoint.node(SecurityContext.NONE);
      assertThat(anonymous.details()).isFalse();
      assertThat(anonymous.peers()).isNotEmpty().allSatisfy(p -> assertThat(p.paths()).isEmpty());
      assertThat(anonymous.recentEvents()).isEmpty();
      NodeDescriptor admin = endpoint.node(AuthenticatedCaller.ADMIN);
      assertThat(admin.peers()).anySatisfy(p -> assertThat(p.paths()).isNotEmpty());
      assertThat(admin.recentEvents()).isNotEmpty();
      // when-authorized with roles: an authenticated caller without one of them sees no details
      assertThat(new ZeroTierEndpoint(node, null, null, org.springframework.boot.actuate.endpoint.Show.WHEN_AUTHORIZED,
          java.util.Set.of("ZT_ADMIN")).node(new AuthenticatedCaller(false)).details()).isFalse();
    });
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier",
        "management.endpoint.zerotier.show-details=always")
        .run(context -> {
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          TestZeroTier.await(() -> ZeroTierSnapshotsView.hasDirectRoot(node));
          NodeDescriptor anyone = context.getBean(ZeroTierEndpoint.class).node(SecurityContext.NONE);
          assertThat(anyone.details()).isTrue();
          assertThat(anyone.peers()).anySatisfy(p -> assertThat(p.paths()).isNotEmpty());
        });
  }

  /** Whether the node has a root with a direct path. */
  static final class ZeroTierSnapshotsView {
    static boolean hasDirectRoot(ZeroTierNode node) {
      return dev.ztjvm.spring.boot.ZeroTierSnapshots.peers(node).stream().anyMatch(p -> p.direct());
    }
  }

  @Test
  void joinAndLeaveOperateOnTheNode() {
    runner.withPropertyValues("management.endpoints.web.exposure.include=zerotier").run(context -> {
      ZeroTierNode node = context.getBean(ZeroTierNode.class);
      ZeroTierEndpoint endpoint = context.getBean(ZeroTierEndpoint.class);
      NetworkDescriptor joined = endpoint.join("8056c2e21c0000aa");
      assertThat(joined.status()).isEqualTo("REQUESTING_CONFIGURATION");
      assertThat(node.network(0x8056c2e21c0000aaL)).isNotNull();
      endpoint.leave("8056c2e21c0000aa");
      assertThat(node.network(0x8056c2e21c0000aaL)).isNull();
    });
  }
}
