package dev.ztjvm.sample;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.net.Inet6Address;
import java.net.InetAddress;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/** Logs where the application is reachable over ZeroTier once its web server is listening. */
@Component
class ZeroTierUrlLogger {

  private static final Log log = LogFactory.getLog(ZeroTierUrlLogger.class);

  private final ZeroTierNode zerotier;

  ZeroTierUrlLogger(ZeroTierNode zerotier) {
    this.zerotier = zerotier;
  }

  @EventListener
  void onWebServer(WebServerInitializedEvent event) {
    if ("management".equals(event.getApplicationContext().getServerNamespace())) {
      return; // actuator stays on the OS stack
    }
    int port = event.getWebServer().getPort();
    for (NetworkDetails network : zerotier.networks()) {
      InetAddress address = network.ipv4().orElse(network.addresses().isEmpty() ? null
          : network.addresses().get(0).address());
      if (address != null) {
        log.info("ZeroTier URL: " + url(address, port) + "/hello (node " + zerotier.nodeIdString()
            + ", network " + network.networkIdString() + ")");
      } else {
        log.info("ZeroTier network " + network.networkIdString() + " has no address yet (status "
            + network.status() + "); see /actuator/health");
      }
    }
  }

  static String url(InetAddress address, int port) {
    String host = address instanceof Inet6Address ? "[" + address.getHostAddress() + "]" : address.getHostAddress();
    return "http://" + host + ":" + port;
  }
}
