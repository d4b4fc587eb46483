package dev.ztjvm.docs;

import dev.ztjvm.sockets.event.ZeroTierEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;

/** The Spring code shown in {@code docs/events-and-metrics.md}. */
final class SpringSnippets {

  private SpringSnippets() {}

  static final class Listeners {

    private static final Log log = LogFactory.getLog(Listeners.class);

    // region event-listener
    @EventListener
    void onReady(ZeroTierEvent.NetworkReadyIpv4 event) {
      log.info("ZeroTier network " + event.network().networkIdString() + " ready: " + event.network().addresses());
    }

    @EventListener
    void onDenied(ZeroTierEvent.NetworkAccessDenied event) {
      log.warn(event.network().reason());   // "authorize node 89e92ceee5 on network 8056c2e21c000001 at ..."
    }
    // endregion
  }
}
