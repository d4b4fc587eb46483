package dev.ztjvm.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierStartupException;
import dev.ztjvm.underlay.TcpRelayServer;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Node properties that shape the SDK node (moons, secondary port, interfaces/prefixes, cache toggles, start-up wait),
 * applied to real nodes of an in-process ZeroTier on loopback, and their failure messages.
 */
class ZeroTierNodePropertiesTests {

  static LocalTestNetwork network;
  @TempDir static Path dir;

  @BeforeAll
  static void start() throws Exception {
    network = LocalTestNetwork.start("props", "10.88.0", dir);
  }

  @AfterAll
  static void stop() {
    network.close();
  }

  private ApplicationContextRunner runner() {
    return network.runner();
  }

  @Test
  void secondaryPortIsBound() {
    runner().withPropertyValues("zerotier.secondary-port=true").run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(ZeroTierNode.class).secondaryPort()).isPositive();
    });
    runner().run(context -> assertThat(context.getBean(ZeroTierNode.class).secondaryPort()).isZero());
  }

  @Test
  void blockedPrefixKeepsTheNodeFromItsRootAndTheStartupWaitFailsWithTheReason() {
    runner().withPropertyValues("zerotier.interfaces.blocked-prefixes=127.0.0.0/8", "zerotier.startup.timeout=3s")
        .run(context -> {
          assertThat(context).hasFailed();
          assertThat(context.getStartupFailure()).rootCause().isInstanceOf(ZeroTierStartupException.class)
              .hasMessageContaining("not ready after PT3S");
        });
  }

  @Test
  void startupTimeoutOnlyWarnsUnlessFailOnTimeout() {
    runner().withPropertyValues("zerotier.interfaces.blocked-prefixes=127.0.0.0/8", "zerotier.startup.timeout=1s",
        "zerotier.startup.fail-on-timeout=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(ZeroTierNode.class).isOnline()).isFalse();
        });
  }

  @Test
  void cacheIdentityFalseWritesNoIdentityFile(@TempDir Path storage) {
    runner().withPropertyValues("zerotier.storage=" + storage.resolve("a"), "zerotier.cache.identity=false",
        "zerotier.cache.peers=false")
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(storage.resolve("a").resolve("identity.secret")).doesNotExist();
          assertThat(storage.resolve("a").resolve("peers.d")).satisfiesAnyOf(
              p -> assertThat(p).doesNotExist(), p -> assertThat(p).isEmptyDirectory());
        });
    runner().withPropertyValues("zerotier.storage=" + storage.resolve("b")).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(storage.resolve("b").resolve("identity.secret")).exists();
    });
  }

  @Test
  void forcedTcpRelayCarriesTheNodeThroughARelayServer() throws Exception {
    try (TcpRelayServer relay = TcpRelayServer.start(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
        InetAddress.getLoopbackAddress(), TcpRelayServer.Options.DEFAULTS.allowDestinations(
            java.util.List.of(dev.ztjvm.underlay.Prefix.parse("127.0.0.0/8"))))) {
      InetSocketAddress at = relay.localAddress();
      runner().withPropertyValues("zerotier.tcp-relay.address=" + at.getAddress().getHostAddress() + ":" + at.getPort(),
          "zerotier.tcp-relay.force=true")
          .run(context -> {
            assertThat(context).hasNotFailed();
            ZeroTierNode node = context.getBean(ZeroTierNode.class);
            assertThat(node.isOnline()).isTrue();
            assertThat(node.isTcpRelayActive()).isTrue();
            assertThat(node.primaryPort()).as("no UDP socket when the relay is forced").isZero();
            assertThat(relay.datagramsForwarded()).isPositive();
            assertThat(relay.datagramsReturned()).isPositive();
          });
    }
  }

  @Test
  void moonFileIsAccepted(@TempDir Path tmp) throws Exception {
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    Identity moonRoot = Identity.generate();
    World moon = World.sign(World.Type.MOON, moonRoot.address(), 1, key.publicKey(),
        List.of(new World.Root(moonRoot, List.of(new InetSocketAddress("127.0.0.1", 9)))), key);
    Path file = tmp.resolve(String.format("%016x.moon", moon.id()));
    Files.write(file, moon.serialize());
    runner().withPropertyValues("zerotier.moons=" + file.toUri()).run(context -> assertThat(context).hasNotFailed());
  }

  @Test
  void badValuesFailNamingThePropertyAndTheFix(@TempDir Path tmp) throws Exception {
    Path notAMoon = tmp.resolve("planet-as-moon");
    Files.write(notAMoon, network.zeroTier().planetBytes());
    for (var c : List.of(
        List.of("zerotier.moons=" + notAMoon.toUri(), "'zerotier.moons[0]'", "not a moon", "genmoon"),
        List.of("zerotier.moons=file:/nonexistent/x.moon", "'zerotier.moons[0]'", "does not exist", "moon file"),
        List.of("zerotier.interfaces.blocked-prefixes=10.0.0.0", "'zerotier.interfaces.blocked-prefixes[0]'",
            "CIDR", "10.0.0.0/8"),
        List.of("zerotier.interfaces.block=docker, ", "'zerotier.interfaces.block[1]'", "blank", "docker"))) {
      runner().withPropertyValues(c.get(0)).run(context -> {
        assertThat(context).as(c.get(0)).hasFailed();
        var analysis = PropertyFailures.analyze(context.getStartupFailure());
        assertThat(analysis).as(c.get(0)).isNotNull();
        assertThat(analysis.getDescription()).as(c.get(0)).contains(c.get(1)).contains(c.get(2));
        assertThat(analysis.getDescription()).as(c.get(0)).contains(c.get(3));
      });
    }
  }
}
