package dev.ztjvm.tools;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.NetworkId;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options of the commands that run an embedded node on one network ({@code examples …}, {@code http}, {@code iperf}):
 * where the node keeps its state, which planet it trusts, the network to join and how long to wait for it.
 */
final class NodeOptions {
  @Option(names = "--storage", paramLabel = "<dir>", description = "node home (identity, caches); default in-memory")
  @Nullable Path storage;

  @Option(names = "--planet", paramLabel = "<file>", description = "custom planet file (default: ZeroTier's)")
  @Nullable Path planet;

  @Option(names = "--network", required = true, paramLabel = "<nwid>", description = "network to join (16 hex digits)") String network =
      "";

  @Option(names = "--allow-loopback", description = "bind UDP to 127.0.0.1 and allow loopback paths (roots on this machine, lab setups)") boolean allowLoopback;

  @Option(names = "--timeout", paramLabel = "<seconds>", description = "how long to wait for the network (and, for http, the server) (default 60)") int timeoutSeconds =
      60;

  /** A node built from the options (not started), on UDP port {@code udpPort} (0: random). */
  ZeroTierNode node(int udpPort) {
    ZeroTierNode.Builder b = ZeroTierNode.builder().port(udpPort);
    if (storage != null) {
      b.storage(storage);
    }
    if (planet != null) {
      b.planetFile(planet);
    }
    if (allowLoopback) {
      // the same as `node --allow-loopback`: loopback roots are only reachable from a socket on loopback
      b.allowLoopbackPaths(true).bindAddress(InetAddress.getLoopbackAddress());
    }
    return b.build();
  }

  long nwid() {
    return NetworkId.parse(network);
  }

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }
}
