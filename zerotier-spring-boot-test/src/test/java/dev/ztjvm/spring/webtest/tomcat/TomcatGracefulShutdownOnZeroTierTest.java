package dev.ztjvm.spring.webtest.tomcat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.spring.boot.web.servlet.ZeroTierLoopbackBridge;
import dev.ztjvm.spring.webtest.support.RawHttpConnection;
import dev.ztjvm.spring.webtest.support.ServletHelloApp;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Graceful shutdown over the bridge: once the application is closing, the ZeroTier listener takes no new connection,
 * while a request already in flight over ZeroTier completes and its response reaches the caller. The test closes the
 * application itself, so it starts it with {@code SpringApplicationBuilder} on its own in-process ZeroTier (what
 * {@code @LocalZeroTierTest} does for a test-managed context).
 */
class TomcatGracefulShutdownOnZeroTierTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void aRequestInFlightCompletesWhileNewConnectionsAreRefused() throws Exception {
    ServletHelloApp.slowStarted = new CountDownLatch(1);
    ServletHelloApp.releaseSlow = new CountDownLatch(1);
    try (LocalZeroTier zeroTier = LocalZeroTier.start()) {
      long networkId = zeroTier.createPrivateNetwork("graceful", "10.147.18.0/24", "10.147.18.10", "10.147.18.250",
          false);
      Identity app = Identity.generate();
      zeroTier.authorize(networkId, app.address());
      Path planet = zeroTier.home().resolve("graceful-planet");
      Files.write(planet, zeroTier.planetBytes());
      ConfigurableApplicationContext context = new SpringApplicationBuilder(ServletHelloApp.class).properties(
          "zerotier.network-id=" + String.format("%016x", networkId), "zerotier.identity=" + app.toSecretString(),
          "zerotier.planet=" + planet.toUri(), "zerotier.port=0",
          "zerotier.bind-addresses=" + zeroTier.rootEndpoint().getAddress().getHostAddress(),
          "zerotier.allow-loopback-paths=true", "zerotier.server.enabled=true", "server.port=0",
          "server.shutdown=graceful", "zerotier.startup.timeout=60s", "zerotier.startup.fail-on-timeout=true",
          "spring.main.banner-mode=off").run();
      Thread closing = new Thread(context::close, "closing-context");
      try (ZeroTierNode peer = zeroTier.nodeBuilder().build()) {
        ZeroTierLoopbackBridge bridge = context.getBean(ZeroTierLoopbackBridge.class);
        InetSocketAddress target = bridge.address();
        assertThat(target).isNotNull();
        zeroTier.authorize(networkId, peer.nodeId());
        peer.start();
        peer.awaitNetworkReady(networkId, WAIT);
        String host = target.getAddress().getHostAddress();
        try (RawHttpConnection inFlight = connect(peer, target)) {
          RawHttpConnection.Response[] response = new RawHttpConnection.Response[1];
          IOException[] failure = new IOException[1];
          Thread request = new Thread(() -> {
            try {
              response[0] = inFlight.get(host, "/slow");
            } catch (IOException e) {
              failure[0] = e;
            }
          });
          request.start();
          assertThat(ServletHelloApp.slowStarted.await(60, TimeUnit.SECONDS)).isTrue();

          closing.start();
          long deadline = System.nanoTime() + WAIT.toNanos();
          while (bridge.isRunning() && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          assertThat(bridge.isRunning()).as("the bridge stopped accepting").isFalse();
          assertThat(closing.isAlive()).as("graceful shutdown waits for the request in flight").isTrue();
          assertThatThrownBy(() -> connect(peer, target).get(host, "/hi"))
              .as("no new connection once shutdown began").isInstanceOf(IOException.class);

          ServletHelloApp.releaseSlow.countDown();
          request.join(WAIT.toMillis());
          assertThat(failure[0]).isNull();
          assertThat(response[0].status()).isEqualTo(200);
          assertThat(response[0].body()).isEqualTo("slow done");
          closing.join(WAIT.toMillis());
          assertThat(closing.isAlive()).isFalse();
          assertThat(bridge.openConnections()).isZero();
        }
      } finally {
        ServletHelloApp.releaseSlow.countDown();
        if (!closing.isAlive()) {
          context.close();
        }
      }
    }
  }

  private static RawHttpConnection connect(ZeroTierNode peer, InetSocketAddress target) throws IOException {
    ZeroTierSocket socket = peer.newSocket();
    socket.setSoTimeout((int) WAIT.toMillis());
    socket.connect(target, 10_000);
    return new RawHttpConnection(socket);
  }
}
