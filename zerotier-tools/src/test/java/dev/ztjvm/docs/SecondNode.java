package dev.ztjvm.docs;

// The second node shown in docs/spring-boot.md, imports included (compiled only).
// region second-node
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;

class SecondNode {

  static void join(SelfHostedJoinDetails details) throws Exception {
    long networkId = Long.parseUnsignedLong(details.networkId(), 16);
    try (ZeroTierNode second = ZeroTierNode.builder().planetFile(Path.of(details.planetFile()))
            .bindAddress(InetAddress.getLoopbackAddress()).allowLoopbackPaths(true).build()) {
      second.start();
      second.join(networkId);
      // authorize it: POST {centralApiUrl}/network/{networkId}/member/{nodeId} {"config":{"authorized":true}}
      second.awaitNetworkReady(networkId, Duration.ofSeconds(30));
    }
  }
}
// endregion
