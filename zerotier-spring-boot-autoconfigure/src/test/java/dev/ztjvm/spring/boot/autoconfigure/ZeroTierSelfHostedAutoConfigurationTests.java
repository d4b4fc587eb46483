package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.AuthenticatedCaller;
import dev.ztjvm.spring.boot.autoconfigure.central.ZeroTierCentralAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.endpoint.ZeroTierEndpointAutoConfiguration;
import dev.ztjvm.spring.boot.autoconfigure.selfhosted.ZeroTierSelfHostedAutoConfiguration;
import dev.ztjvm.spring.boot.endpoint.ZeroTierEndpoint;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedControllerApi;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedZeroTier;
import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Self-hosted mode with a real in-process root and controller, the app's node and a second node, all on loopback. */
@ExtendWith(OutputCaptureExtension.class)
class ZeroTierSelfHostedAutoConfigurationTests {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
          ZeroTierCentralAutoConfiguration.class, ZeroTierSelfHostedAutoConfiguration.class,
          ZeroTierEndpointAutoConfiguration.class))
      .withPropertyValues("zerotier.self-hosted.enabled=true", "zerotier.port=0",
          "zerotier.bind-addresses=127.0.0.1", "management.endpoints.web.exposure.include=zerotier",
          "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true");

  @Test
  void createsNetworkAuthorizesItsNodeJoinsAndServesTheControllerApi(@TempDir Path storage, CapturedOutput output)
      throws Exception {
    runner.withPropertyValues("zerotier.storage=" + storage, "zerotier.self-hosted.ipv4-range=10.77.0.0/24")
        .run(context -> {
          assertThat(context).hasNotFailed();
          SelfHostedZeroTier own = context.getBean(SelfHostedZeroTier.class);
          assertThat(own.createdNetwork()).isTrue();
          assertThat(own.home()).isEqualTo(storage.resolve("self-hosted"));
          ZeroTierNode node = context.getBean(ZeroTierNode.class);
          NetworkDetails network = node.network(own.networkId());
          assertThat(network.status()).isEqualTo(NetworkStatus.OK);
          assertThat(network.name()).isEqualTo("self-hosted");
          assertThat(network.addresses()).singleElement()
              .satisfies(a -> assertThat(IpPrefix.parse("10.77.0.0/24").contains(a.address())).isTrue());

          SelfHostedJoinDetails details = context.getBean(SelfHostedJoinDetails.class);
          assertThat(details.networkId()).isEqualTo(own.networkIdString());
          assertThat(Path.of(details.planetFile())).isRegularFile();
          Path tokenFile = storage.resolve("self-hosted").resolve(ControllerApiServer.TOKEN_FILE_NAME);
          assertThat(details.tokenFile()).isEqualTo(tokenFile.toString());
          assertThat(Files.getPosixFilePermissions(tokenFile))
              .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
          assertThat(details.controllerApiUrl()).startsWith("http://127.0.0.1:");
          assertThat(details.centralApiUrl()).isEqualTo(details.controllerApiUrl() + "/api/v1");

          // The API answers with the stored token over real HTTP, and refuses without it.
          String token = Files.readString(tokenFile).strip();
          HttpClient http = HttpClient.newHttpClient();
          HttpResponse<String> controller = http.send(HttpRequest.newBuilder(
              URI.create(details.controllerApiUrl() + "/controller/network/" + own.networkIdString()
                  + "/member/" + node.nodeIdString()))
              .header("X-ZT1-Auth", token).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(controller.statusCode()).isEqualTo(200);
          assertThat(controller.body()).contains("\"authorized\":true");
          HttpResponse<String> refused = http.send(HttpRequest.newBuilder(
              URI.create(details.centralApiUrl() + "/network")).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(refused.statusCode()).isEqualTo(401);

          // The Central client bean talks to our own Central-compatible API.
          ZeroTierCentralClient client = context.getBean(ZeroTierCentralClient.class);
          assertThat(client.networks().map(n -> n.id()).collectList().block(Duration.ofSeconds(30)))
              .containsExactly(own.networkIdString());
          Member self = client.member(own.networkIdString(), node.nodeIdString())
              .block(Duration.ofSeconds(30));
          assertThat(self).isNotNull();
          assertThat(self.isAuthorized()).isTrue();

          ZeroTierEndpoint.NodeDescriptor descriptor = context.getBean(ZeroTierEndpoint.class).node(
              AuthenticatedCaller.ADMIN);
          assertThat(descriptor.selfHosted()).isEqualTo(details);

          // The log tells a second node how to join, and never shows the token.
          assertThat(output.getAll()).contains(own.networkIdString()).contains(details.planetFile())
              .contains(details.controllerApiUrl()).contains(tokenFile.toString());
          assertThat(output.getAll()).doesNotContain(token);
        });
  }

  @Test
  void secondNodeJoinsWithThePlanetFileAfterAuthorizationThroughTheApi(@TempDir Path storage) throws Exception {
    runner.withPropertyValues("zerotier.storage=" + storage).run(context -> {
      assertThat(context).hasNotFailed();
      SelfHostedJoinDetails details = context.getBean(SelfHostedJoinDetails.class);
      long nwid = Long.parseUnsignedLong(details.networkId(), 16);
      ZeroTierNode app = context.getBean(ZeroTierNode.class);
      InetAddress appAddress = app.network(nwid).addresses().get(0).address();
      try (ZeroTierNode second = ZeroTierNode.builder().planetFile(Path.of(details.planetFile()))
          .bindAddress(LO).allowLoopbackPaths(true).build()) {
        second.start();
        second.join(nwid);
        context.getBean(ZeroTierCentralClient.class).authorizeMember(details.networkId(), second.nodeIdString())
            .block(Duration.ofSeconds(30));
        NetworkDetails joined = second.awaitNetworkReady(nwid, Duration.ofSeconds(60));
        assertThat(joined.addresses()).isNotEmpty();
        assertThat(second.ping(appAddress, Duration.ofSeconds(30))).isPositive();
      }
    });
  }

  @Test
  void restartKeepsTheNetworkAndTheToken(@TempDir Path storage) throws Exception {
    AtomicReference<String> first = new AtomicReference<>();
    AtomicReference<String> firstToken = new AtomicReference<>();
    Path tokenFile = storage.resolve("self-hosted").resolve(SelfHostedControllerApi.TOKEN_FILE_NAME);
    ApplicationContextRunner withStorage = runner.withPropertyValues("zerotier.storage=" + storage);
    withStorage.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(SelfHostedZeroTier.class).createdNetwork()).isTrue();
      first.set(context.getBean(SelfHostedJoinDetails.class).networkId());
      firstToken.set(Files.readString(tokenFile));
    });
    withStorage.run(context -> {
      assertThat(context).hasNotFailed();
      SelfHostedZeroTier own = context.getBean(SelfHostedZeroTier.class);
      assertThat(own.createdNetwork()).isFalse();
      assertThat(own.networkIdString()).isEqualTo(first.get());
      assertThat(Files.readString(tokenFile)).isEqualTo(firstToken.get());
      assertThat(context.getBean(ZeroTierNode.class).network(own.networkId()).status())
          .isEqualTo(NetworkStatus.OK);
    });
  }

  @Test
  void configuredTokenIsUsedAndNotWrittenNorLogged(@TempDir Path storage, CapturedOutput output) throws Exception {
    String token = "configured-token-" + Long.toHexString(System.nanoTime());
    runner.withPropertyValues("zerotier.self-hosted.storage=" + storage, "zerotier.self-hosted.api.token=" + token)
        .run(context -> {
          assertThat(context).hasNotFailed();
          SelfHostedJoinDetails details = context.getBean(SelfHostedJoinDetails.class);
          assertThat(details.tokenFile()).isNull();
          assertThat(storage.resolve(SelfHostedControllerApi.TOKEN_FILE_NAME)).doesNotExist();
          HttpResponse<String> status = HttpClient.newHttpClient().send(
              HttpRequest.newBuilder(URI.create(details.controllerApiUrl() + "/controller"))
                  .header("X-ZT1-Auth", token).build(), HttpResponse.BodyHandlers.ofString());
          assertThat(status.statusCode()).isEqualTo(200);
          assertThat(context.getBean(ZeroTierCentralClient.class).networks().count().block(Duration.ofSeconds(30)))
              .isEqualTo(1);
          assertThat(context.getEnvironment().getProperty("zerotier.self-hosted.api.token")).isEqualTo(token);
          assertThat(context.getBean(dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties.class).toString())
              .doesNotContain(token);
        });
    assertThat(output.getAll()).doesNotContain(token);
  }

  @Test
  void withoutStorageTheStateIsTemporaryAndSaidSo(CapturedOutput output) {
    runner.withPropertyValues("zerotier.self-hosted.api.enabled=false").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(SelfHostedControllerApi.class).doesNotHaveBean(ZeroTierCentralClient.class);
      SelfHostedJoinDetails details = context.getBean(SelfHostedJoinDetails.class);
      assertThat(details.controllerApiUrl()).isNull();
      assertThat(details.tokenFile()).isNull();
      assertThat(context.getBean(SelfHostedZeroTier.class).persistent()).isFalse();
      assertThat(output.getAll()).contains("temporary directory").contains("zerotier.self-hosted.storage");
    });
  }

  @Test
  void withoutZeroTierCentralOnTheClassPathTheApiIsNotServed() {
    runner.withClassLoader(new FilteredClassLoader(ControllerApiServer.class)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(SelfHostedControllerApi.class);
      assertThat(context.getBean(SelfHostedJoinDetails.class).controllerApiUrl()).isNull();
      SelfHostedZeroTier own = context.getBean(SelfHostedZeroTier.class);
      assertThat(context.getBean(ZeroTierNode.class).network(own.networkId()).status())
          .isEqualTo(NetworkStatus.OK);
    });
  }

  @Test
  void centralTokenKeepsTheCentralClient() {
    runner.withPropertyValues("zerotier.self-hosted.api.enabled=true", "zerotier.central.token=abc",
        "zerotier.central.base-url=http://127.0.0.1:1/api/v1")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(ZeroTierCentralClient.class).hasSingleBean(SelfHostedControllerApi.class);
          // the configured client (an unreachable base URL), not one of our own API
          assertThat(context.getBeanNamesForType(ZeroTierCentralClient.class)).containsExactly("zeroTierCentralClient");
          ZeroTierCentralClient client = context.getBean(ZeroTierCentralClient.class);
          org.assertj.core.api.Assertions.assertThatThrownBy(
              () -> client.networks().collectList().block(Duration.ofSeconds(30))).isInstanceOf(Exception.class);
        });
  }

  @Test
  void offByDefault() {
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class,
            ZeroTierSelfHostedAutoConfiguration.class))
        .run(context -> assertThat(context).doesNotHaveBean(SelfHostedZeroTier.class)
            .doesNotHaveBean(ZeroTierNode.class));
  }

  @Test
  void configuredPlanetFailsNamingThePropertyAndTheFix() {
    runner.withPropertyValues("zerotier.planet=classpath:test-planet").run(context -> {
      assertThat(context).hasFailed();
      var analysis = PropertyFailures.analyze(context.getStartupFailure());
      assertThat(analysis).isNotNull();
      assertThat(analysis.getDescription()).contains("'zerotier.planet'").contains("self-hosted mode");
      assertThat(analysis.getDescription()).contains("zerotier.self-hosted.enabled=false");
    });
  }

  @Test
  void badValuesFailNamingThePropertyAndTheFix() {
    for (var c : List.of(
        List.of("zerotier.self-hosted.ipv4-range=10.1.2.0/31", "'zerotier.self-hosted.ipv4-range'", "10.147.17.0/24"),
        List.of("zerotier.self-hosted.ipv4-range=fd00::/64", "'zerotier.self-hosted.ipv4-range'", "CIDR"),
        List.of("zerotier.self-hosted.api.port=70000", "'zerotier.self-hosted.api.port'", "0 picks a free port"),
        List.of("zerotier.self-hosted.network-name= ", "'zerotier.self-hosted.network-name'", "self-hosted"))) {
      runner.withPropertyValues(c.get(0)).run(context -> {
        assertThat(context).hasFailed();
        var analysis = PropertyFailures.analyze(context.getStartupFailure());
        assertThat(analysis).as(c.get(0)).isNotNull();
        assertThat(analysis.getDescription()).as(c.get(0)).contains(c.get(1));
        assertThat(analysis.getDescription()).as(c.get(0)).contains(c.get(2));
      });
    }
  }

}
