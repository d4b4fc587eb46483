package dev.ztjvm.spring.boot.autoconfigure.selfhosted;

import dev.ztjvm.controller.jdbc.ControllerIdentityTable;
import dev.ztjvm.controller.jdbc.PostgresController;
import dev.ztjvm.controller.jdbc.PostgresControllerStore;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierPropertyProblem;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.Resource;

/**
 * {@code zerotier.self-hosted.store=jdbc}: the self-hosted controller as one instance of a controller shared by all
 * replicas of the application through PostgreSQL (the application's DataSource). The controller identity is kept in
 * the database; the planet is {@code zerotier.planet} (roots every replica reaches: there is no in-process root).
 * Loaded only in that mode (it needs zerotier-controller-jdbc).
 */
final class JdbcSelfHostedController {
  private JdbcSelfHostedController() {}

  static SelfHostedZeroTier start(ZeroTierProperties properties, @Nullable DataSource dataSource) throws IOException {
    ZeroTierProperties.SelfHosted selfHosted = properties.selfHosted();
    if (dataSource == null) {
      throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.store", "jdbc",
          "the application has no DataSource to keep the controller's networks in",
          "add spring-boot-starter-jdbc and the PostgreSQL driver and set spring.datasource.url (PostgreSQL), or use "
              + "zerotier.self-hosted.store=file");
    }
    Resource planetResource = properties.planet();
    if (planetResource == null) {
      throw ZeroTierPropertyProblem.invalid("zerotier.planet", "(not set)",
          "replicas sharing a controller need roots they all reach; zerotier.self-hosted.store=jdbc runs no "
              + "in-process root",
          "set zerotier.planet to a planet file naming your roots (zerotier-tools planet create), or use "
              + "zerotier.self-hosted.store=file");
    }
    World planet;
    try {
      planet = World.parse(planetResource.getContentAsByteArray());
    } catch (IllegalArgumentException e) {
      throw ZeroTierPropertyProblem.invalid("zerotier.planet", planetResource.getDescription(),
          "the file is not a valid planet (" + e.getMessage() + ")",
          "use a planet file written by zerotier-tools planet create, zerotier-one or mkworld");
    }
    Path home = selfHosted.effectiveStorage(properties.storage());
    if (home == null) {
      home = Files.createTempDirectory("zt-self-hosted-");
    }
    Files.createDirectories(home);
    Path planetFile = home.resolve("planet");
    Files.write(planetFile, planet.serialize());

    Identity identity = ControllerIdentityTable.loadOrCreate(dataSource);
    InetAddress bind = properties.bindAddresses().isEmpty() ? null : properties.bindAddresses().get(0);
    UnderlayConfig underlay = bind == null ? UnderlayConfig.randomPort() : UnderlayConfig.bind(bind, 0);
    Vl1Config config = Vl1Config.of(identity, planet, underlay)
        .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(properties.allowLoopbackPaths()));
    PostgresController controller = PostgresController.start(config, dataSource,
        PostgresControllerStore.Options.defaults().withInstanceId(instanceId()));
    try {
      return SelfHostedZeroTier.withController(new SelfHostedZeroTier.Controller(controller.database(), planet,
          planetFile, home, controller), selfHosted.networkName(), selfHosted.ipv4Prefix());
    } catch (IOException | RuntimeException e) {
      controller.close();
      throw e;
    }
  }

  /** host-pid-random: unique per running replica, and says which replica it was in the database. */
  private static String instanceId() {
    String jvm = ManagementFactory.getRuntimeMXBean().getName().replace(',', '-');
    return jvm + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
