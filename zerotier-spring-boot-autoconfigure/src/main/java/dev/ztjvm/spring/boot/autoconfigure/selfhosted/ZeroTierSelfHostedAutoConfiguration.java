package dev.ztjvm.spring.boot.autoconfigure.selfhosted;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierPropertyProblem;
import dev.ztjvm.spring.boot.autoconfigure.central.ZeroTierCentralAutoConfiguration;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedControllerApi;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Self-hosted mode ({@code zerotier.self-hosted.enabled=true}): an in-process root and controller, the application's
 * network (created on first start, found by name afterwards), the controller's HTTP APIs on a local address (with
 * zerotier-central on the class path), a {@link ZeroTierCentralClient} for that API unless one is configured, and the
 * {@link SelfHostedJoinDetails} other nodes need. {@link ZeroTierAutoConfiguration} makes the managed node use the
 * in-process planet, authorizes it and joins the network.
 */
@AutoConfiguration(after = {ZeroTierAutoConfiguration.class,
    ZeroTierCentralAutoConfiguration.class}, afterName = "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration")
@ConditionalOnBooleanProperty(name = "zerotier.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty("zerotier.self-hosted.enabled")
@EnableConfigurationProperties(ZeroTierProperties.class)
public final class ZeroTierSelfHostedAutoConfiguration {

  private static final Log log = LogFactory.getLog(ZeroTierSelfHostedAutoConfiguration.class);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  SelfHostedZeroTier selfHostedZeroTier(ZeroTierProperties properties, ObjectProvider<DataSource> dataSource)
      throws IOException {
    ZeroTierProperties.SelfHosted selfHosted = properties.selfHosted();
    if (selfHosted.store() == ZeroTierProperties.SelfHosted.Store.JDBC) {
      return sharedController(properties, dataSource);
    }
    Path storage = selfHosted.effectiveStorage(properties.storage());
    SelfHostedZeroTier zeroTier;
    try {
      zeroTier = SelfHostedZeroTier.start(storage, selfHosted.networkName(), selfHosted.ipv4Prefix());
    } catch (IOException e) {
      throw new IOException("Self-hosted ZeroTier could not start in " + (storage == null ? "a temporary directory"
          : storage + " (zerotier.self-hosted.storage)") + ": " + e.getMessage(), e);
    }
    if (storage == null) {
      log.warn("Self-hosted ZeroTier keeps its state in the temporary directory " + zeroTier.home()
          + ": set zerotier.storage or zerotier.self-hosted.storage to keep the network across restarts");
    }
    log.info((zeroTier.createdNetwork() ? "Created" : "Found") + " self-hosted ZeroTier network "
        + zeroTier.networkIdString() + " ('" + selfHosted.networkName() + "', " + selfHosted.ipv4Range()
        + "); root " + endpoint(zeroTier) + ", state in " + zeroTier.home());
    return zeroTier;
  }

  /** {@code zerotier.self-hosted.store=jdbc}: this replica's instance of the controller shared through PostgreSQL. */
  private static SelfHostedZeroTier sharedController(ZeroTierProperties properties,
      ObjectProvider<DataSource> dataSource) throws IOException {
    if (!ClassUtils.isPresent(JDBC_STORE, ZeroTierSelfHostedAutoConfiguration.class.getClassLoader())) {
      throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.store", "jdbc",
          "the PostgreSQL controller store is not on the class path",
          "add the dependency dev.ztjvm:zerotier-controller-jdbc, or use zerotier.self-hosted.store=file");
    }
    SelfHostedZeroTier zeroTier = JdbcSelfHostedController.start(properties, dataSource.getIfAvailable());
    log.info((zeroTier.createdNetwork() ? "Created" : "Found") + " self-hosted ZeroTier network "
        + zeroTier.networkIdString() + " ('" + properties.selfHosted().networkName() + "') on the controller shared "
        + "through PostgreSQL (controller " + String.format("%010x", zeroTier.controllerId()) + ")");
    return zeroTier;
  }

  private static final String JDBC_STORE = "dev.ztjvm.controller.jdbc.PostgresControllerStore";

  /** Health of the shared controller store, with actuator's health support and the jdbc store. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"org.springframework.boot.health.contributor.HealthIndicator", JDBC_STORE})
  @ConditionalOnProperty(name = "zerotier.self-hosted.store", havingValue = "jdbc")
  static final class ControllerStoreHealthConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "zeroTierControllerStoreHealthIndicator")
    ControllerStoreHealthIndicator zeroTierControllerStoreHealthIndicator(SelfHostedZeroTier zeroTier) {
      return new ControllerStoreHealthIndicator(
          (dev.ztjvm.controller.jdbc.PostgresControllerStore) zeroTier.database().store());
    }
  }

  /** The controller APIs, when zerotier-central is present and they are not switched off. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({ControllerApiServer.class, ZeroTierCentralClient.class})
  @ConditionalOnBooleanProperty(name = "zerotier.self-hosted.api.enabled", matchIfMissing = true)
  static final class ControllerApiConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    SelfHostedControllerApi selfHostedControllerApi(SelfHostedZeroTier zeroTier, ZeroTierProperties properties)
        throws IOException {
      ZeroTierProperties.Api api = properties.selfHosted().api();
      warnIfNotLoopback(api.host());
      try {
        return SelfHostedControllerApi.start(zeroTier, api.host(), api.port(), api.token());
      } catch (RuntimeException e) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.api.port", Integer.toString(api.port()),
            "the controller API could not listen on " + api.host() + ":" + api.port() + " (" + e.getMessage() + ")",
            "choose a free port, 0 for any free port, or set zerotier.self-hosted.api.enabled=false");
      }
    }

    @Bean
    @ConditionalOnMissingBean
    SelfHostedJoinDetails selfHostedJoinDetails(SelfHostedZeroTier zeroTier, SelfHostedControllerApi api) {
      Path tokenFile = api.tokenFile();
      SelfHostedJoinDetails details = new SelfHostedJoinDetails(zeroTier.networkIdString(),
          zeroTier.planetFile().toString(), endpoint(zeroTier), api.controllerApiUrl(), api.centralApiUrl(),
          tokenFile == null ? null : tokenFile.toString());
      log.info(details.describe());
      return details;
    }

    /** A client of our own Central-compatible API, unless zerotier.central.token configures one for Central. */
    @Bean
    @ConditionalOnMissingBean
    @Conditional(NoCentralTokenCondition.class)
    ZeroTierCentralClient selfHostedZeroTierCentralClient(SelfHostedControllerApi api, ZeroTierProperties properties,
        ObjectProvider<WebClient.Builder> webClientBuilder) {
      return ZeroTierCentralAutoConfiguration.configure(api.centralClientBuilder(), properties.central(),
          webClientBuilder).build();
    }

    private static void warnIfNotLoopback(String host) {
      try {
        if (!InetAddress.getByName(host).isLoopbackAddress()) {
          log.warn("The self-hosted controller API listens on " + host + ", not loopback: whoever reaches it with the"
              + " token administers the controller");
        }
      } catch (UnknownHostException e) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.api.host", host,
            "the address cannot be resolved", "use 127.0.0.1 (the default) or another local address");
      }
    }
  }

  /** Join details without an API (zerotier-central absent or the API switched off). */
  @Configuration(proxyBeanMethods = false)
  @Conditional(NoControllerApiCondition.class)
  static final class NoControllerApiConfiguration {

    @Bean
    @ConditionalOnMissingBean
    SelfHostedJoinDetails selfHostedJoinDetails(SelfHostedZeroTier zeroTier, ZeroTierProperties properties) {
      SelfHostedJoinDetails details = new SelfHostedJoinDetails(zeroTier.networkIdString(),
          zeroTier.planetFile().toString(), endpoint(zeroTier), null, null, null);
      if (properties.selfHosted().api().enabled()) {
        log.info("The self-hosted controller API is not served: add dev.ztjvm:zerotier-central to the class path");
      }
      log.info(details.describe());
      return details;
    }
  }

  private static String endpoint(SelfHostedZeroTier zeroTier) {
    return zeroTier.rootEndpoint().getAddress().getHostAddress() + "/" + zeroTier.rootEndpoint().getPort();
  }

  /** zerotier.central.token is not set (it configures a client for ZeroTier Central instead). */
  static final class NoCentralTokenCondition extends NoneNestedConditions {

    NoCentralTokenCondition() {
      super(ConfigurationPhase.REGISTER_BEAN);
    }

    @ConditionalOnProperty("zerotier.central.token")
    static final class CentralToken {}
  }

  /** The controller API is not served: zerotier-central is absent or the API is switched off. */
  static final class NoControllerApiCondition extends AnyNestedCondition {

    NoControllerApiCondition() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnMissingClass("dev.ztjvm.central.server.ControllerApiServer")
    static final class NoServerClass {}

    @ConditionalOnMissingClass("dev.ztjvm.central.ZeroTierCentralClient")
    static final class NoClientClass {}

    @ConditionalOnBooleanProperty(name = "zerotier.self-hosted.api.enabled", havingValue = false)
    static final class Disabled {}
  }
}
