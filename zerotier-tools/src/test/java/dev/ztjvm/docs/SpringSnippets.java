package dev.ztjvm.docs;

import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.spring.boot.ZeroTierNodeAdapter;
import dev.ztjvm.spring.boot.event.NetworkReadyEvent;
import dev.ztjvm.spring.boot.event.NetworkStatusChangedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.context.event.EventListener;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The Spring code shown in {@code docs/getting-started.md} and {@code docs/events-and-metrics.md}. */
final class SpringSnippets {

  private SpringSnippets() {}

  static final class Listeners {

    private static final Log log = LogFactory.getLog(Listeners.class);

    // region event-listener
    @EventListener
    void onReady(NetworkReadyEvent event) {
      log.info("ZeroTier network " + event.getNetworkId() + " ready: " + event.getNetwork().addresses());
    }

    @EventListener
    void onStatus(NetworkStatusChangedEvent event) {
      if (event.getNetwork().status() == NetworkStatus.ACCESS_DENIED) {
        log.warn(event.getNetwork().reason());   // "authorize node 89e92ceee5 on network 8056c2e21c000001 at ..."
      }
    }
    // endregion
  }

  // region controller
  @RestController
  static class HelloController {

    private final ZeroTierNodeAdapter zerotier;     // the managed node; node() is the SDK's ZeroTierNode

    HelloController(ZeroTierNodeAdapter zerotier) {
      this.zerotier = zerotier;
    }

    @GetMapping("/hello")
    String hello(ServerHttpRequest request) {      // arrives over ZeroTier: the remote address is a ZeroTier one
      return "hello " + request.getRemoteAddress() + ", from node " + zerotier.node().nodeIdString() + "\n";
    }
  }
  // endregion
}
