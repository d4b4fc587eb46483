package dev.ztjvm.spring.webtest.tomcat;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.spring.boot.test.LocalZeroTierNetwork;
import dev.ztjvm.spring.boot.test.LocalZeroTierTest;
import dev.ztjvm.spring.boot.web.servlet.ZeroTierLoopbackBridge;
import dev.ztjvm.spring.webtest.support.RawHttpConnection;
import dev.ztjvm.spring.webtest.support.ServletHelloApp;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * First run of an MVC application whose node is not authorized yet: it starts all the same (Tomcat on loopback, no
 * ZeroTier listener while the network has no address), and once the node is authorized the bridge binds the new
 * address by itself and serves, without a restart.
 */
@SpringBootTest(classes = ServletHelloApp.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
    "zerotier.server.enabled=true", "zerotier.startup.timeout=0"})
@LocalZeroTierTest(authorize = false)
class TomcatFirstRunOnZeroTierSpringBootTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Autowired LocalZeroTierNetwork zerotier;
  @Autowired ZeroTierLoopbackBridge bridge;
  @Autowired ZeroTierNode node;
  @LocalServerPort int port;

  @Test
  void servesOnceTheNodeIsAuthorizedWithoutARestart() throws Exception {
    assertThat(bridge.isServing()).isTrue();
    assertThat(bridge.address()).as("no address yet, nothing to listen on").isNull();

    zerotier.authorizeApplication();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (bridge.address() == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    InetAddress appAddress = node.network(zerotier.networkId()).ipv4().orElseThrow();
    assertThat(bridge.address()).isEqualTo(new InetSocketAddress(appAddress, port));

    try (ZeroTierNode peer = zerotier.localZeroTier().nodeBuilder().build()) {
      zerotier.authorize(peer.nodeId());
      peer.start();
      peer.awaitNetworkReady(zerotier.networkId(), WAIT);
      ZeroTierSocket socket = peer.newSocket();
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.connect(new InetSocketAddress(appAddress, port), (int) WAIT.toMillis());
      try (RawHttpConnection c = new RawHttpConnection(socket)) {
        RawHttpConnection.Response hi = c.get(appAddress.getHostAddress(), "/hi");
        assertThat(hi.status()).isEqualTo(200);
        assertThat(hi.body()).isEqualTo("hi");
      }
    }
  }
}
