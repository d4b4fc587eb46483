package dev.ztjvm.spring.boot.web;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierStartupException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A second Reactor Netty server for the application's {@link HttpHandler}, listening on the node's ZeroTier address
 * while the normal server keeps its binding on the OS stack ({@code zerotier.server.mode=additional}).
 *
 * <p>It starts right after the normal web server (so the normal server's port is known when it is reused) and stops
 * before it, after the normal server's graceful shutdown phase.
 */
public final class ZeroTierAdditionalWebServer implements SmartLifecycle {

  /** One step above the web server's start/stop phase. */
  public static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE + 1;

  private static final Log log = LogFactory.getLog(ZeroTierAdditionalWebServer.class);

  private final ZeroTierNode node;
  private final long networkId;
  private final LoopResources loops;
  private final Supplier<HttpHandler> handler;
  private final IntSupplier port;
  private volatile @Nullable DisposableServer server;

  /**
   * @param node the node whose address the server binds
   * @param networkId the network whose address is used
   * @param loops loop resources whose channels run on the node's stack
   * @param handler the application's handler (looked up at start)
   * @param port the TCP port, asked at start (e.g. the normal server's port)
   */
  public ZeroTierAdditionalWebServer(ZeroTierNode node, long networkId, LoopResources loops,
      Supplier<HttpHandler> handler, IntSupplier port) {
    this.node = node;
    this.networkId = networkId;
    this.loops = loops;
    this.handler = handler;
    this.port = port;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    InetSocketAddress address = new InetSocketAddress(address(node, networkId), port.getAsInt());
    server = HttpServer.create().runOn(loops).bindAddress(() -> address)
        .handle(new ReactorHttpHandlerAdapter(handler.get())).bindNow();
    log.info("Also serving on ZeroTier at " + address.getAddress().getHostAddress() + ":" + address.getPort()
        + " (network " + String.format("%016x", networkId) + ")");
  }

  @Override
  public synchronized void stop() {
    DisposableServer s = server;
    server = null;
    if (s != null) {
      s.disposeNow(Duration.ofSeconds(30));
    }
  }

  @Override
  public boolean isRunning() {
    return server != null;
  }

  @Override
  public int getPhase() {
    return PHASE;
  }

  /** The bound address, or null when not running. */
  public @Nullable InetSocketAddress address() {
    DisposableServer s = server;
    return s == null ? null : (InetSocketAddress) s.address();
  }

  /** The node's address on {@code networkId} (IPv4 preferred); fails start-up with a hint when there is none. */
  public static InetAddress address(ZeroTierNode node, long networkId) {
    NetworkDetails network = node.network(networkId);
    if (network == null || network.addresses().isEmpty()) {
      throw new ZeroTierStartupException("cannot bind the web server on ZeroTier: network "
          + String.format("%016x", networkId) + " has no address for node " + node.nodeIdString()
          + " (is it authorized? raise zerotier.startup.timeout or set zerotier.startup.fail-on-timeout=true)");
    }
    return network.ipv4().orElseGet(() -> network.addresses().get(0).address());
  }
}
