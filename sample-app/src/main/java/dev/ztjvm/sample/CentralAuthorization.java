package dev.ztjvm.sample;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralException;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import java.time.Duration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.stereotype.Component;

/**
 * With {@code zerotier.central.token} set, authorizes this node on {@code zerotier.network-id} through the Central
 * client bean. It runs once every bean exists and before the node starts, so the node's first network request is
 * already answered with a config (Central creates the member record ahead of the join).
 */
@Component
@ConditionalOnProperty({"zerotier.central.token", "zerotier.network-id"})
class CentralAuthorization implements SmartInitializingSingleton {

  private static final Log log = LogFactory.getLog(CentralAuthorization.class);

  private final ObjectProvider<ZeroTierCentralClient> central;
  private final ObjectProvider<ZeroTierNode> node;
  private final ZeroTierProperties properties;

  CentralAuthorization(ObjectProvider<ZeroTierCentralClient> central, ObjectProvider<ZeroTierNode> node,
      ZeroTierProperties properties) {
    this.central = central;
    this.node = node;
    this.properties = properties;
  }

  @Override
  public void afterSingletonsInstantiated() {
    ZeroTierCentralClient client = central.getIfAvailable();
    ZeroTierNode zerotier = node.getIfAvailable();
    String networkId = properties.networkId();
    if (client == null || zerotier == null || networkId == null) {
      return;
    }
    String nodeId = zerotier.nodeIdString();
    try {
      Member member = client.authorizeMember(networkId, nodeId).block(Duration.ofSeconds(30));
      log.info("Authorized node " + nodeId + " on network " + networkId + " through the Central API"
          + (member == null || member.id() == null ? "" : " (member " + member.id() + ")"));
    } catch (ZeroTierCentralException | IllegalStateException e) { // API failure, or no answer in time
      // Start anyway: health reports ACCESS_DENIED with the node to authorize by hand.
      log.warn("Could not authorize node " + nodeId + " on network " + networkId + " through the Central API: "
          + e.getMessage());
    }
  }
}
