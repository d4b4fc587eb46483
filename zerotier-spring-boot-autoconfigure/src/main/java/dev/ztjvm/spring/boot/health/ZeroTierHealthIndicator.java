package dev.ztjvm.spring.boot.health;

import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.PeerDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierReadiness;
import dev.ztjvm.spring.boot.ZeroTierSnapshots;
import dev.ztjvm.vl2.IpPrefix;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of a ZeroTier node: UP when it is online and every expected network is OK with an address; DOWN otherwise,
 * with the reasons phrased as what to do (e.g. "ACCESS_DENIED: authorize node 89e92ceee5 on network
 * 8056c2e21c000001"). Details carry the node ID, each network's status, name and addresses, and peer counts.
 */
public final class ZeroTierHealthIndicator extends AbstractHealthIndicator {

  private final ZeroTierNode node;
  private final List<Long> expectedNetworks;

  /**
   * @param node the node
   * @param expectedNetworks networks that must be ready for UP; when empty, every joined network must be
   */
  public ZeroTierHealthIndicator(ZeroTierNode node, List<Long> expectedNetworks) {
    super("ZeroTier health check failed");
    this.node = node;
    this.expectedNetworks = List.copyOf(expectedNetworks);
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    List<NetworkDetails> joined = ZeroTierSnapshots.networks(node);
    Set<Long> expected = new LinkedHashSet<>(expectedNetworks);
    if (expected.isEmpty()) {
      joined.forEach(n -> expected.add(n.networkId()));
    }
    List<String> problems = ZeroTierReadiness.problems(node, expected);
    if (problems.isEmpty()) {
      builder.up();
    } else {
      builder.down().withDetail("reasons", problems);
    }
    builder.withDetail("nodeId", node.nodeIdString());
    builder.withDetail("online", node.isRunning() && node.isOnline());
    Map<String, Object> networks = new LinkedHashMap<>();
    for (NetworkDetails info : joined) {
      Map<String, Object> network = new LinkedHashMap<>();
      network.put("status", info.status().name());
      network.put("name", info.name());
      List<String> addresses = new ArrayList<>();
      for (IpPrefix address : info.addresses()) {
        addresses.add(address.toString());
      }
      network.put("addresses", addresses);
      networks.put(info.networkIdString(), network);
    }
    builder.withDetail("networks", networks);
    List<PeerDetails> peers = ZeroTierSnapshots.peers(node);
    Map<String, Object> peerCounts = new LinkedHashMap<>();
    peerCounts.put("total", peers.size());
    peerCounts.put("direct", peers.stream().filter(PeerDetails::direct).count());
    peerCounts.put("roots", peers.stream().filter(p -> p.role() != PeerInfo.Role.LEAF).count());
    builder.withDetail("peers", peerCounts);
  }
}
