package dev.ztjvm.spring.boot.web;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A second Reactor Netty server for the application's {@link HttpHandler}, listening on the node's ZeroTier stack
 * (serving the network of its {@link ZeroTierServerBinding}) while the normal server keeps its binding on the OS stack
 * ({@code zerotier.server.mode=additional}).
 *
 * <p>It starts right after the normal web server (so the normal server's port is known when it is reused) and stops
 * before it, after the normal server's graceful shutdown phase.
 */
public final class ZeroTierAdditionalWebServer implements SmartLifecycle {

  /** One step above the web server's start/stop phase. */
  public static final int PHASE = WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE + 1;

  private final ZeroTierServerBinding binding;
  private final LoopResources loops;
  private final Supplier<HttpHandler> handler;
  private final IntSupplier port;
  private volatile @Nullable DisposableServer server;

  /**
   * @param binding where the server listens on the node's stack and which network it serves
   * @param loops loop resources whose channels run on the node's stack
   * @param handler the application's handler (looked up at start)
   * @param port the TCP port, asked at start (e.g. the normal server's port)
   */
  public ZeroTierAdditionalWebServer(ZeroTierServerBinding binding, LoopResources loops,
      Supplier<HttpHandler> handler, IntSupplier port) {
    this.binding = binding;
    this.loops = loops;
    this.handler = handler;
    this.port = port;
  }

  @Override
  public synchronized void start() {
    if (server != null) {
      return;
    }
    InetSocketAddress address = binding.bindAddress(port.getAsInt());
    DisposableServer started = HttpServer.create().runOn(loops).bindAddress(() -> address)
        .doOnConnection(connection -> {
          if (!binding.accepts(connection.channel().localAddress())) {
            connection.dispose(); // an address of another joined network
          }
        })
        .handle(new ReactorHttpHandlerAdapter(handler.get())).bindNow();
    server = started;
    binding.serverStarted(((InetSocketAddress) started.address()).getPort());
  }

  @Override
  public synchronized void stop() {
    DisposableServer s = server;
    server = null;
    if (s != null) {
      binding.serverStopped();
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
}
