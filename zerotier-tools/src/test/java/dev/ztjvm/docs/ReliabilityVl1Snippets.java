package dev.ztjvm.docs;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Limits;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.nio.file.Path;

/** The Java code shown in the VL1 sections of {@code docs/reliability.md}. */
final class ReliabilityVl1Snippets {

  private ReliabilityVl1Snippets() {}

  static Vl1Config biggerRoot(Identity identity, World planet, InetAddress address) {
    // region limits
    Vl1Config config = Vl1Config.of(identity, planet, UnderlayConfig.bind(address, 9993))
        .withRoot(true)
        .withLimits(Vl1Limits.DEFAULT
            .withMaxPeers(262_144)                          // ~4 KiB each: about 1 GiB of heap for peers
            .withMaxHeldBytes(32L << 20, 1L << 20));        // WHOIS holds: 32 MiB in all, 1 MiB per source IP
    // endregion
    return config;
  }

  static ZeroTierNode failFast() {
    // region node-failed
    ZeroTierNode node = ZeroTierNode.builder()
        .storage(Path.of("zt-home"))
        .listener(event -> {
          if (event instanceof ZeroTierEvent.NodeFailed failed) {
            System.err.println("ZeroTier node failed: " + failed.reason()); // node.isFailed() is now true
          }
        })
        .build();
    // endregion
    return node;
  }
}
