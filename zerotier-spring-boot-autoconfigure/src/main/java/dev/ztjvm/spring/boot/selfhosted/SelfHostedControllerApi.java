package dev.ztjvm.spring.boot.selfhosted;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralClientBuilder;
import dev.ztjvm.central.server.ControllerApiServer;
import java.io.IOException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * The self-hosted controller's HTTP APIs ({@link ControllerApiServer}: zerotier-one's {@code /controller} with
 * {@code X-ZT1-Auth} and a Central-compatible {@code /api/v1} with {@code Authorization: token}), listening on a local
 * address. The token is configured or kept in a file with owner-only permissions; it is never logged, and this class
 * does not hand it out (use {@link #centralClient()} for a client that carries it).
 */
public final class SelfHostedControllerApi implements AutoCloseable {

  /** Name of the token file in the self-hosted storage directory (as zerotier-one names it). */
  public static final String TOKEN_FILE_NAME = ControllerApiServer.TOKEN_FILE_NAME;

  private final ControllerApiServer server;
  private final String token;
  private final @Nullable Path tokenFile;

  private SelfHostedControllerApi(ControllerApiServer server, String token, @Nullable Path tokenFile) {
    this.server = server;
    this.token = token;
    this.tokenFile = tokenFile;
  }

  /**
   * Starts serving {@code zeroTier}'s controller on {@code host:port} (0 = free port).
   *
   * @param token the API token, or null to use the one in {@code authtoken.secret} in {@code zeroTier}'s home
   *     (generated there, owner read/write only, on first start)
   */
  public static SelfHostedControllerApi start(SelfHostedZeroTier zeroTier, String host, int port,
      @Nullable String token) throws IOException {
    Path file = null;
    String t = token;
    if (t == null) {
      file = zeroTier.home().resolve(TOKEN_FILE_NAME);
      t = ControllerApiServer.loadOrCreateToken(file);
    }
    ControllerApiServer server = new ControllerApiServer(zeroTier.database(), t).start(host, port);
    return new SelfHostedControllerApi(server, t, file);
  }

  /** The HTTP server (e.g. for its address). */
  public ControllerApiServer server() {
    return server;
  }

  /** Base URL of the zerotier-one compatible API, e.g. {@code http://127.0.0.1:40123}. */
  public String controllerApiUrl() {
    return server.localApiUrl();
  }

  /** Base URL of the Central-compatible API ({@link #controllerApiUrl()} + {@code /api/v1}). */
  public String centralApiUrl() {
    return server.centralApiUrl();
  }

  /** The file holding the token, null when the token was configured. */
  public @Nullable Path tokenFile() {
    return tokenFile;
  }

  /** A client of the Central-compatible API carrying the token. */
  public ZeroTierCentralClient centralClient() {
    return centralClientBuilder().build();
  }

  /** A builder of a client of the Central-compatible API, carrying the token. */
  public ZeroTierCentralClientBuilder centralClientBuilder() {
    return ZeroTierCentralClient.central().baseUrl(centralApiUrl()).token(token);
  }

  @Override
  public void close() {
    server.close();
  }

  @Override
  public String toString() {
    return "SelfHostedControllerApi[" + controllerApiUrl() + ", token=****]";
  }
}
