package dev.ztjvm.sample;

import dev.ztjvm.spring.boot.autoconfigure.ZeroTierProperties;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;

/**
 * The sample runs self-hosted unless told otherwise; a network ID given on top of that cannot be reached (the node
 * only knows the in-process root), so say what to add instead of waiting for a network that never comes.
 */
@Component
@ConditionalOnBooleanProperty(name = "zerotier.enabled", matchIfMissing = true) // no ZeroTier, nothing to check
class ModeCheck implements InitializingBean {

  private static final Log log = LogFactory.getLog(ModeCheck.class);

  private final ZeroTierProperties properties;

  ModeCheck(ZeroTierProperties properties) {
    this.properties = properties;
  }

  @Override
  public void afterPropertiesSet() {
    if (properties.selfHosted().enabled() && !properties.networkIds().isEmpty()) {
      log.warn("zerotier.network-id is set while self-hosted mode is on: this node only reaches the in-process root,"
          + " so network " + properties.networkId() + " cannot come up. To join it through ZeroTier's roots, add"
          + " --zerotier.self-hosted.enabled=false");
    }
  }
}
