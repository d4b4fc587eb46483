package dev.ztjvm.spring.boot.autoconfigure;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierNodeBuilderCustomizer;
import dev.ztjvm.spring.boot.ZeroTierNodeLifecycle;
import dev.ztjvm.spring.boot.ZeroTierNodeStartupAction;
import dev.ztjvm.spring.boot.event.ZeroTierEventPublisher;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import dev.ztjvm.vl1.world.World;
import io.micrometer.observation.ObservationRegistry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.PropertyMapper;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.io.Resource;

/**
 * Manages a ZeroTier node: binds {@code zerotier.*}, creates the SDK's {@link ZeroTierNode} from them when a network is
 * configured and the application defines no {@link ZeroTierNode} bean of its own (customize the built one with {@link
 * ZeroTierNodeBuilderCustomizer} beans), starts the {@link ZeroTierNode} bean before the web server (joining the
 * configured networks and waiting for them as {@code zerotier.startup.*} says), stops it after graceful shutdown, and
 * publishes its SDK events as Spring events. Everything else the starter offers derives from the {@link ZeroTierNode}
 * bean, whoever defined it.
 */
@AutoConfiguration
@ConditionalOnBooleanProperty(name = "zerotier.enabled", matchIfMissing = true)
@EnableConfigurationProperties(ZeroTierProperties.class)
public final class ZeroTierAutoConfiguration {

  @Bean
  @ConditionalOnMissingBean(ZeroTierNode.class)
  @Conditional(NetworkConfiguredCondition.class)
  ZeroTierNode zeroTierNode(ZeroTierProperties properties,
      ObjectProvider<ZeroTierNodeBuilderCustomizer> customizers, ObjectProvider<SelfHostedZeroTier> selfHosted)
      throws IOException {
    ZeroTierNode.Builder builder = ZeroTierNode.builder();
    PropertyMapper map = PropertyMapper.get();
    map.from(properties::port).to(builder::port);
    map.from(properties::allowLoopbackPaths).to(builder::allowLoopbackPaths);
    map.from(properties::secondaryPort).to(builder::secondaryPort);
    ZeroTierProperties.Cache cache = properties.cache();
    map.from(cache::networks).to(builder::cacheNetworks);
    map.from(cache::planet).to(builder::cachePlanet);
    map.from(cache::peers).to(builder::cachePeers);
    map.from(cache::identity).to(builder::cacheIdentity);
    ZeroTierProperties.TcpRelay relay = properties.tcpRelay();
    map.from(relay::allow).to(builder::allowTcpRelay);
    map.from(relay::force).to(builder::forceTcpRelay);
    map.from(relay::socketAddress).to(builder::tcpRelay);
    properties.bindAddresses().forEach(builder::bindAddress);
    ZeroTierProperties.Interfaces interfaces = properties.interfaces();
    map.from(interfaces::allow).when(list -> !list.isEmpty()).as(list -> list.toArray(String[]::new))
        .to(builder::allowInterfaces);
    map.from(interfaces::block).when(list -> !list.isEmpty()).as(list -> list.toArray(String[]::new))
        .to(builder::blockInterfaces);
    interfaces.blockedPrefixes().forEach(builder::blockPhysicalPrefix);
    map.from(properties::storage).to(builder::storage);
    map.from(properties::identity).to(builder::identity);
    for (int i = 0; i < properties.moons().size(); i++) {
      Resource moon = properties.moons().get(i);
      String problem;
      try {
        World world = World.parse(moon.getContentAsByteArray());
        if (world.type() == World.Type.MOON) {
          builder.moon(world);
          continue;
        }
        problem = "the file is a " + world.type() + ", not a moon";
      } catch (IllegalArgumentException e) {
        problem = "the file is not a valid moon (" + e.getMessage() + ")";
      }
      throw ZeroTierPropertyProblem.invalid("zerotier.moons[" + i + "]", moon.getDescription(), problem,
          "use a .moon file written by zerotier-idtool genmoon or mkworld, or remove it");
    }
    Resource planet = properties.planet();
    if (planet != null) {
      try {
        builder.planet(planet.getContentAsByteArray());
      } catch (IllegalArgumentException e) {
        throw ZeroTierPropertyProblem.invalid("zerotier.planet", planet.getDescription(),
            "the file is not a valid planet (" + e.getMessage() + ")",
            "use a planet file written by zerotier-one or mkworld, or remove it to use ZeroTier's public planet");
      }
    }
    SelfHostedZeroTier own = selfHosted.getIfAvailable();
    if (own != null) {
      // the in-process root listens on loopback and is named by its own planet
      builder.planet(own.planet()).allowLoopbackPaths(true);
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** A node is created from properties only when there is a network to join. */
  static final class NetworkConfiguredCondition extends AnyNestedCondition {

    NetworkConfiguredCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty("zerotier.network-id")
    static final class NetworkId {}

    @ConditionalOnProperty("zerotier.networks")
    static final class Networks {}

    @ConditionalOnProperty("zerotier.networks[0]")
    static final class NetworksList {}

    @ConditionalOnBooleanProperty("zerotier.self-hosted.enabled")
    static final class SelfHosted {}
  }

  @Bean
  @ConditionalOnBean(ZeroTierNode.class)
  @ConditionalOnMissingBean
  ZeroTierNodeLifecycle zeroTierNodeLifecycle(ZeroTierNode node, ZeroTierProperties properties,
      ObjectProvider<SelfHostedZeroTier> selfHosted, ObjectProvider<ZeroTierNodeStartupAction> actions,
      ObjectProvider<ObservationRegistry> observationRegistry) throws IOException {
    SelfHostedZeroTier own = selfHosted.getIfAvailable();
    if (own != null) {
      own.authorize(node.nodeId());
    }
    ZeroTierNodeLifecycle lifecycle = new ZeroTierNodeLifecycle(node, networkIds(properties, selfHosted),
        properties.startup().timeout(), properties.startup().failOnTimeout(), actions.orderedStream().toList());
    observationRegistry.ifAvailable(lifecycle::setObservationRegistry);
    return lifecycle;
  }

  /**
   * Every network the managed node joins: {@code zerotier.network-id}, {@code zerotier.networks}, then the
   * self-hosted network when self-hosted mode is on.
   */
  public static List<Long> networkIds(ZeroTierProperties properties, ObjectProvider<SelfHostedZeroTier> selfHosted) {
    List<Long> ids = new ArrayList<>(properties.networkIds());
    SelfHostedZeroTier own = selfHosted.getIfAvailable();
    if (own != null && !ids.contains(own.networkId())) {
      ids.add(own.networkId());
    }
    return List.copyOf(ids);
  }

  @Bean
  @ConditionalOnBean(ZeroTierNode.class)
  @ConditionalOnMissingBean
  ZeroTierEventPublisher zeroTierEventPublisher(
      ZeroTierNode node, ApplicationEventPublisher publisher, ZeroTierProperties properties) {
    return new ZeroTierEventPublisher(node, publisher, properties.events().recent());
  }
}
