package dev.ztjvm.spring.boot;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * One in-process ZeroTier (root and controller on loopback, private planet) shared by the tests of this module, with a
 * public network (members get an address at once) and a private one (members wait for authorization). Nodes built
 * from {@link #nodeBuilder()} never contact ZeroTier's public roots.
 */
public final class TestZeroTier {

  /** A network whose controller does not exist: a node joining it stays REQUESTING_CONFIGURATION. */
  public static final long UNKNOWN_NETWORK = 0x8056c2e21c000001L;

  private static @Nullable TestZeroTier shared;

  private final LocalZeroTier local;
  private final long publicNetwork;
  private final long privateNetwork;
  private final Path planet;

  private TestZeroTier() throws IOException {
    local = LocalZeroTier.start();
    publicNetwork = local.createPublicNetwork("public", "10.91.0.0/24", "10.91.0.10", "10.91.0.250", false);
    privateNetwork = local.createPrivateNetwork("private", "10.92.0.0/24", "10.92.0.10", "10.92.0.250", false);
    planet = Files.createTempFile("zt-test-planet", "");
    Files.write(planet, local.planetBytes());
    Runtime.getRuntime().addShutdownHook(new Thread(local::close));
  }

  /** The shared instance, started on first use. */
  public static synchronized TestZeroTier get() {
    if (shared == null) {
      try {
        shared = new TestZeroTier();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return shared;
  }

  /** The root and controller. */
  public LocalZeroTier local() {
    return local;
  }

  /** A public network: members are served an address without authorization. */
  public long publicNetwork() {
    return publicNetwork;
  }

  /** A private network: members are ACCESS_DENIED until authorized. */
  public long privateNetwork() {
    return privateNetwork;
  }

  /** The planet as a file, for {@code zerotier.planet}. */
  public Path planet() {
    return planet;
  }

  /** A builder for a node of this ZeroTier (loopback, private planet, new identity). */
  public ZeroTierNode.Builder nodeBuilder() {
    return local.nodeBuilder();
  }

  /** Properties that make a property-built node use this ZeroTier. */
  public String[] nodeProperties() {
    return new String[] {"zerotier.planet=" + planet.toUri(), "zerotier.port=0",
        "zerotier.bind-addresses=127.0.0.1", "zerotier.allow-loopback-paths=true"};
  }

  /** A network ID as sixteen hex digits. */
  public static String id(long networkId) {
    return String.format("%016x", networkId);
  }

  /** Polls (bounded, 60 s) until {@code condition} holds; the caller's assertions then say what is missing. */
  public static void await(BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  /** Whether the node's network is OK with an address on its stack. */
  public static boolean ready(ZeroTierNode node, long networkId) {
    NetworkDetails d = node.isRunning() ? node.network(networkId) : null;
    return d != null && ZeroTierReadiness.ready(d);
  }
}
