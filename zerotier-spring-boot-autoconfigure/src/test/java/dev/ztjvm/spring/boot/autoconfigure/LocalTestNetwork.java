package dev.ztjvm.spring.boot.autoconfigure;

import dev.ztjvm.sockets.LocalZeroTier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * An in-process ZeroTier (root and controller on loopback) with one public network, its planet in a file, and a
 * context runner whose node joins that network.
 *
 * @param zeroTier the in-process root and controller
 * @param nwid the network
 * @param planet the planet file
 */
record LocalTestNetwork(LocalZeroTier zeroTier, long nwid, Path planet) implements AutoCloseable {

  /**
   * Starts the ZeroTier and creates network {@code name} on {@code net24}.0/24 (addresses .10 to .250 assigned), with
   * the planet written to {@code dir}/planet.
   */
  static LocalTestNetwork start(String name, String net24, Path dir) throws IOException {
    LocalZeroTier zeroTier = LocalZeroTier.start();
    try {
      long nwid = zeroTier.createPublicNetwork(name, net24 + ".0/24", net24 + ".10", net24 + ".250", false);
      Path planet = dir.resolve("planet");
      Files.write(planet, zeroTier.planetBytes());
      return new LocalTestNetwork(zeroTier, nwid, planet);
    } catch (IOException | RuntimeException e) {
      zeroTier.close();
      throw e;
    }
  }

  /** The auto-configuration with a node that joins the network over loopback and waits up to 60 s for it. */
  ApplicationContextRunner runner() {
    return new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ZeroTierAutoConfiguration.class))
        .withPropertyValues("zerotier.network-id=" + String.format("%016x", nwid), "zerotier.planet=" + planet.toUri(),
            "zerotier.port=0", "zerotier.bind-addresses=127.0.0.1", "zerotier.allow-loopback-paths=true",
            "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true");
  }

  @Override
  public void close() {
    zeroTier.close();
  }
}
