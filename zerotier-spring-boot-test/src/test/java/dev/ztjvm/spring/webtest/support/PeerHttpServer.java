package dev.ztjvm.spring.webtest.support;

import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.test.LocalZeroTierNetwork;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A second node of the test network serving {@code GET /who} on its ZeroTier address ("zerotier &lt;caller IP&gt;"),
 * the destination the application's clients must reach over ZeroTier.
 */
public final class PeerHttpServer implements AutoCloseable {

  private final ZeroTierNode peer;
  private final ZeroTierLoopResources loops;
  private final DisposableServer server;
  private final InetAddress address;

  private PeerHttpServer(ZeroTierNode peer, ZeroTierLoopResources loops, DisposableServer server,
      InetAddress address) {
    this.peer = peer;
    this.loops = loops;
    this.server = server;
    this.address = address;
  }

  /** Starts a peer on {@code zerotier}'s network, authorizes it, waits until it has an address and serves. */
  public static PeerHttpServer start(LocalZeroTierNetwork zerotier) throws Exception {
    ZeroTierNode peer = zerotier.localZeroTier().nodeBuilder().build();
    try {
      zerotier.authorize(peer.nodeId());
      peer.start();
      InetAddress address = peer.awaitNetworkReady(zerotier.networkId(), Duration.ofSeconds(60)).ipv4()
          .orElseThrow();
      ZeroTierLoopResources loops = ZeroTierLoopResources.create(peer, "peer-server", 1);
      DisposableServer server = HttpServer.create().runOn(loops)
          .bindAddress(() -> new InetSocketAddress(address, 8080))
          .route(r -> r.get("/who", (req, res) -> res.sendString(
              Mono.just("zerotier " + req.remoteAddress().getAddress().getHostAddress()))))
          .bindNow();
      return new PeerHttpServer(peer, loops, server, address);
    } catch (Exception | Error e) {
      peer.close();
      throw e;
    }
  }

  /** {@code http://<peer's ZeroTier IP>:8080}. */
  public String url() {
    return "http://" + address.getHostAddress() + ":8080";
  }

  @Override
  public void close() {
    server.disposeNow();
    loops.dispose();
    peer.close();
  }
}
