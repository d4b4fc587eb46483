package dev.ztjvm.spring.boot.central;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierNodeStartupAction;
import dev.ztjvm.spring.boot.ZeroTierSnapshots;
import java.time.Duration;
import java.util.List;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * {@code zerotier.central.authorize-self=true}: authorizes the application's own node on the configured networks
 * through the Central client (ZeroTier Central, or a self-hosted controller's Central-compatible API) right after the
 * node starts and before it joins, so the controller answers its first request with a config. The first network also
 * gets the requested IP assignments. A failure is logged (never the token) and the start goes on: health then says
 * which node to authorize where.
 */
public final class ZeroTierSelfAuthorization implements ZeroTierNodeStartupAction {

  private static final Log log = LogFactory.getLog(ZeroTierSelfAuthorization.class);

  private final ZeroTierCentralClient client;
  private final List<Long> networks;
  private final List<String> ipAssignments;
  private final Duration timeout;

  /**
   * @param client the Central client
   * @param networks the networks to authorize the node on (the self-hosted one authorizes by itself)
   * @param ipAssignments addresses to request on the first network; empty for the controller's pool
   * @param timeout longest wait for each authorization
   */
  public ZeroTierSelfAuthorization(ZeroTierCentralClient client, List<Long> networks, List<String> ipAssignments,
      Duration timeout) {
    this.client = client;
    this.networks = List.copyOf(networks);
    this.ipAssignments = List.copyOf(ipAssignments);
    this.timeout = timeout;
  }

  @Override
  public void nodeStarted(ZeroTierNode node, List<Long> joining) {
    String nodeId = node.nodeIdString();
    for (int i = 0; i < networks.size(); i++) {
      String nwid = ZeroTierSnapshots.networkId(networks.get(i));
      MemberUpdate update = MemberUpdate.authorize();
      if (i == 0 && !ipAssignments.isEmpty()) {
        update = update.withIpAssignments(ipAssignments);
      }
      try {
        client.updateMember(nwid, nodeId, update).block(timeout);
        log.info("ZeroTier: authorized node " + nodeId + " on network " + nwid + " through the Central API"
            + (i == 0 && !ipAssignments.isEmpty() ? " with IP assignments " + ipAssignments : ""));
      } catch (RuntimeException e) {
        log.warn("ZeroTier: could not authorize node " + nodeId + " on network " + nwid + " through the Central API"
            + " (zerotier.central.authorize-self): " + e.getMessage() + "; health reports ACCESS_DENIED until the"
            + " node is authorized");
      }
    }
  }

  @Override
  public String toString() {
    return "ZeroTierSelfAuthorization" + networks.stream().map(ZeroTierSnapshots::networkId).toList();
  }
}
