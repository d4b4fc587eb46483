package dev.ztjvm.spring.boot.test;

import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.sockets.LocalZeroTier;
import java.security.SecureRandom;
import java.util.HexFormat;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The in-process controller's Central-compatible API on loopback, for the application's Central client beans. Only
 * loaded when {@code zerotier-central} is on the class path. It runs on loops of its own: closing a Spring context
 * disposes Reactor Netty's global ones.
 */
final class LocalControllerApi implements AutoCloseable {

  private final LoopResources loops;
  private final DisposableServer server;
  private final String token;

  LocalControllerApi(LocalZeroTier zeroTier) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    this.token = HexFormat.of().formatHex(random);
    this.loops = LoopResources.create("zerotier-test-controller-api", 1, true);
    this.server = HttpServer.create().runOn(loops).host("127.0.0.1").port(0)
        .route(new ControllerApiServer(zeroTier.database(), token).routes()).bindNow();
  }

  /** Whether {@code zerotier-central} is on the class path. */
  static boolean available() {
    try {
      Class.forName("dev.ztjvm.central.server.ControllerApiServer", false, LocalControllerApi.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /** The Central-compatible API's base URL. */
  String centralApiUrl() {
    return "http://127.0.0.1:" + server.port() + "/api/v1";
  }

  /** The API token (random per context). */
  String token() {
    return token;
  }

  @Override
  public void close() {
    server.disposeNow();
    loops.dispose();
  }
}
