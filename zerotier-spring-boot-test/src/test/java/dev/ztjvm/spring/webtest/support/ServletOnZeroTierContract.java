package dev.ztjvm.spring.webtest.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.spring.boot.test.LocalZeroTierNetwork;
import dev.ztjvm.spring.boot.web.servlet.ZeroTierLoopbackBridge;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * What {@code zerotier.server.enabled=true} promises a Spring MVC application, checked against one servlet container
 * per subclass: served on the node's ZeroTier address, the container on 127.0.0.1 only, other local callers refused,
 * the request's remote address and caller node those of the ZeroTier peer, keep-alive, chunked bodies, WebSocket.
 * A second node of the test's network is the caller, speaking HTTP by hand over a {@code ZeroTierSocket}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ServletOnZeroTierContract {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Autowired protected LocalZeroTierNetwork zerotier;
  @Autowired protected ZeroTierLoopbackBridge bridge;
  @Autowired protected ZeroTierNode node;
  @Autowired protected ApplicationContext context;
  @LocalServerPort protected int port;

  protected ZeroTierNode peer;
  protected InetAddress peerAddress;
  protected InetAddress appAddress;

  /** The web server class's simple name starts with this: "Tomcat", "Jetty". */
  protected abstract String container();

  @BeforeAll
  void startPeer() throws Exception {
    peer = zerotier.localZeroTier().nodeBuilder().build();
    zerotier.authorize(peer.nodeId());
    peer.start();
    peerAddress = peer.awaitNetworkReady(zerotier.networkId(), WAIT).ipv4().orElseThrow();
    appAddress = node.network(zerotier.networkId()).ipv4().orElseThrow();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (bridge.address() == null && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    assertThat(bridge.address()).as("the bridge listens on the ZeroTier address").isNotNull();
  }

  @AfterAll
  void stopPeer() {
    if (peer != null) {
      peer.close();
    }
  }

  protected RawHttpConnection connectOverZeroTier() throws IOException {
    ZeroTierSocket socket = peer.newSocket();
    socket.setSoTimeout((int) WAIT.toMillis());
    socket.connect(new InetSocketAddress(appAddress, port), (int) WAIT.toMillis());
    return new RawHttpConnection(socket);
  }

  @Test
  void servedOnTheZeroTierAddressWhileTheContainerListensOnLoopbackOnly() throws Exception {
    assertThat(((WebServerApplicationContext) context).getWebServer().getClass().getSimpleName())
        .startsWith(container());
    assertThat(bridge.address()).isEqualTo(new InetSocketAddress(appAddress, port));
    assertThat(bridge.container()).isEqualTo(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port));

    try (RawHttpConnection c = connectOverZeroTier()) {
      RawHttpConnection.Response hi = c.get(appAddress.getHostAddress(), "/hi");
      assertThat(hi.status()).isEqualTo(200);
      assertThat(hi.body()).isEqualTo("hi");
    }

    // Another address of the OS stack: nothing listens there, so other hosts cannot reach the container.
    try (Socket other = new Socket()) {
      assertThatThrownBy(() -> other.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port), 10_000))
          .isInstanceOf(ConnectException.class);
    }
    // Another process on this host reaching the loopback port directly is refused by the application.
    try (Socket local = new Socket()) {
      local.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 10_000);
      local.setSoTimeout((int) WAIT.toMillis());
      RawHttpConnection.Response refused = new RawHttpConnection(local).get("127.0.0.1", "/hi");
      assertThat(refused.status()).isEqualTo(403);
    }
  }

  @Test
  void theRemoteAddressIsTheCallersZeroTierAddressAndItsNodeIsAnAttribute() throws Exception {
    try (RawHttpConnection c = connectOverZeroTier()) {
      RawHttpConnection.Response who = c.get(appAddress.getHostAddress(), "/who");
      assertThat(who.status()).isEqualTo(200);
      assertThat(who.body()).isEqualTo(peerAddress.getHostAddress() + " " + c.socket().getLocalPort() + " "
          + peer.nodeIdString());
    }
  }

  @Test
  void keepAliveAndChunkedBodiesPassThrough() throws Exception {
    // Three requests on one ZeroTier connection: the container kept its loopback connection open between them.
    try (RawHttpConnection c = connectOverZeroTier()) {
      RawHttpConnection.Response first = c.get(appAddress.getHostAddress(), "/hi");
      RawHttpConnection.Response chunked = c.get(appAddress.getHostAddress(), "/chunked");
      RawHttpConnection.Response third = c.get(appAddress.getHostAddress(), "/hi");
      assertThat(first.body()).isEqualTo("hi");
      assertThat(first.headers().get("connection")).isNotEqualToIgnoringCase("close");
      assertThat(chunked.headers()).containsEntry("transfer-encoding", "chunked");
      assertThat(chunked.body()).isEqualTo("part0;part1;part2;");
      assertThat(third.body()).isEqualTo("hi");
    }
  }

  @Test
  void webSocketEcho() throws Exception {
    try (RawHttpConnection c = connectOverZeroTier()) {
      RawHttpConnection.Response upgrade = c.upgradeToWebSocket(appAddress.getHostAddress(), "/echo");
      assertThat(upgrade.status()).isEqualTo(101);
      assertThat(upgrade.headers().get("upgrade")).isEqualToIgnoringCase("websocket");
      c.sendText("over zerotier");
      assertThat(c.readText()).isEqualTo("echo over zerotier");
      c.sendText("again");
      assertThat(c.readText()).isEqualTo("echo again");
    }
  }
}
