package dev.ztjvm.central.server;

import dev.ztjvm.controller.ControllerDatabase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import reactor.netty.http.server.HttpServerRoutes;

/**
 * The HTTP API of our embedded controller, so tools written for zerotier-one or for ZeroTier Central (and our own
 * {@link dev.ztjvm.central.ZeroTierCentralClient}) can administer it:
 *
 * <ul>
 *   <li>zerotier-one's local API with {@code X-ZT1-Auth: <token>} (or {@code ?auth=<token>}, or {@code Authorization:
 *       Bearer <token>}): {@code GET /status}, {@code GET /controller}, {@code GET /controller/network}, {@code
 *       GET/POST/DELETE /controller/network/{id}}, {@code POST /controller/network/{controller}______} (new network,
 *       random ID), {@code GET /controller/network/{id}/member}, {@code GET/POST/DELETE
 *       /controller/network/{id}/member/{node}} — the same flat JSON objects zerotier-one serves;
 *   <li>a Central v1 subset under {@code /api/v1} with {@code Authorization: token <token>} (or {@code Bearer}): {@code
 *       GET /status}, {@code GET /randomToken}, {@code GET /user/{id}} (the one local user, {@code self} or the
 *       controller's address; token names only), {@code POST /user/{id}/token}, {@code DELETE
 *       /user/{id}/token/{name}} (named tokens that then authenticate Central API requests), {@code GET/POST
 *       /network}, {@code GET/POST/DELETE /network/{id}},
 *       {@code GET /network/{id}/member}, {@code GET/POST/DELETE /network/{id}/member/{node}}, in Central's shapes.
 * </ul>
 *
 * <p>Requests without the token, or with a wrong one, get 401. The token is never logged. {@link #start} binds to
 * loopback by default; {@link #routes()} lets another Reactor Netty server mount the same endpoints.
 */
public final class ControllerApiServer implements AutoCloseable {

  /** Loopback: the API administers the controller and is not meant for the network. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  /** The token file name zerotier-one uses next to its data. */
  public static final String TOKEN_FILE_NAME = "authtoken.secret";

  private static final System.Logger LOG = System.getLogger(ControllerApiServer.class.getName());

  /** Appended to the token file's name for the file of named user API tokens. */
  public static final String USER_TOKEN_FILE_SUFFIX = ".apitokens";

  private final ControllerApi api;
  private final UserTokens userTokens;
  private final String token;
  private volatile @Nullable DisposableServer server;

  /**
   * Serves {@code database} to callers presenting {@code token}. API tokens added through Central's {@code
   * /user/{id}/token} are kept in memory only.
   */
  public ControllerApiServer(ControllerDatabase database, String token) {
    this(database, token, UserTokens.inMemory());
  }

  private ControllerApiServer(ControllerDatabase database, String token, UserTokens userTokens) {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("API token must not be blank");
    }
    this.userTokens = userTokens;
    this.api = new ControllerApi(database, userTokens);
    this.token = token;
  }

  /**
   * Serves {@code database} with the token stored in {@code tokenFile}, generating one (owner-only permissions, atomic
   * write) when the file does not exist. API tokens added through Central's {@code /user/{id}/token} are stored next
   * to it, in {@link #userTokenFile(Path)} (owner-only, atomic writes).
   */
  public static ControllerApiServer withTokenFile(ControllerDatabase database, Path tokenFile) throws IOException {
    return new ControllerApiServer(database, ApiTokens.loadOrCreate(tokenFile),
        UserTokens.stored(userTokenFile(tokenFile)));
  }

  /** Where {@link #withTokenFile} keeps the user's named API tokens: {@code <tokenFile>.apitokens} beside it. */
  public static Path userTokenFile(Path tokenFile) {
    return tokenFile.resolveSibling(tokenFile.getFileName() + USER_TOKEN_FILE_SUFFIX);
  }

  /** The token in {@code tokenFile}, generated and stored there (0600, atomic write) if absent. */
  public static String loadOrCreateToken(Path tokenFile) throws IOException {
    return ApiTokens.loadOrCreate(tokenFile);
  }

  /** Starts on {@link #DEFAULT_BIND_ADDRESS}; port 0 picks a free port. */
  public ControllerApiServer start(int port) {
    return start(DEFAULT_BIND_ADDRESS, port);
  }

  /** Starts an HTTP server on {@code bindAddress:port} (port 0 picks a free port). */
  public synchronized ControllerApiServer start(String bindAddress, int port) {
    if (server != null) {
      throw new IllegalStateException("already started");
    }
    server = HttpServer.create().host(bindAddress).port(port).route(routes()).bindNow();
    LOG.log(Level.INFO, "controller API listening on {0}", address());
    return this;
  }

  /** The bound address. */
  public InetSocketAddress address() {
    DisposableServer s = server;
    if (s == null) {
      throw new IllegalStateException("not started");
    }
    return (InetSocketAddress) s.address();
  }

  /** The base URL of the zerotier-one API (e.g. {@code http://127.0.0.1:9993}). */
  public String localApiUrl() {
    InetSocketAddress a = address();
    return "http://" + a.getHostString() + ":" + a.getPort();
  }

  /** The base URL of the Central-compatible API ({@link #localApiUrl()} + {@code /api/v1}). */
  public String centralApiUrl() {
    return localApiUrl() + "/api/v1";
  }

  /** The routes, to mount on a Reactor Netty {@link HttpServer} of one's own. */
  public Consumer<HttpServerRoutes> routes() {
    return r -> r.route(req -> true, this::handle);
  }

  @Override
  public synchronized void close() {
    DisposableServer s = server;
    server = null;
    if (s != null) {
      s.disposeNow();
    }
  }

  @Override
  public String toString() {
    return "ControllerApiServer[" + (server == null ? "stopped" : address()) + ", token=****]";
  }

  // ------------------------------------------------------------------------------------------------ requests

  private Publisher<Void> handle(HttpServerRequest req, HttpServerResponse res) {
    String method = req.method().name();
    // split by hand: URI.create rejects characters that clients may still send (the reply is then 404, not 500)
    String target = req.uri();
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    String rawQuery = q < 0 ? null : target.substring(q + 1);
    List<String> segments;
    try {
      segments = segments(rawPath);
    } catch (IllegalArgumentException e) {
      return replyAfterRequest(req, res, ControllerApi.Reply.error(400, "malformed path"));
    }
    boolean central = segments.size() >= 2 && segments.get(0).equals("api") && segments.get(1).equals("v1");
    String given = central ? centralToken(req) : localToken(req, rawQuery);
    // named user tokens (Central's /user/{id}/token) are Central API credentials only
    if (given == null || !(ApiTokens.matches(token, given) || (central && userTokens.authenticates(given)))) {
      return replyAfterRequest(req, res, ControllerApi.Reply.error(401, "unauthorized"));
    }
    List<String> path = central ? segments.subList(2, segments.size()) : segments;
    return req.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty("")
        .publishOn(Schedulers.boundedElastic())
        .map(body -> dispatch(central, method, path, body))
        .flatMap(reply -> Mono.from(send(res, reply)));
  }

  private ControllerApi.Reply dispatch(boolean central, String method, List<String> path, String body) {
    try {
      return central ? api.central(method, path, body) : api.local(method, path, body);
    } catch (ControllerApi.NotFound e) {
      return ControllerApi.notFound();
    } catch (ControllerApi.BadRequest e) {
      return ControllerApi.Reply.error(400, e.getMessage());
    } catch (IllegalArgumentException e) {
      return ControllerApi.Reply.error(400, String.valueOf(e.getMessage()));
    } catch (IOException | UncheckedIOException e) {
      LOG.log(Level.WARNING, "controller API: " + method + " " + String.join("/", path) + " failed", e);
      return ControllerApi.Reply.error(500, "controller database error");
    }
  }

  /**
   * Replies once the request has been read to its end. Answering before the request is consumed can leave a
   * keep-alive connection with the next request unread (seen as a client waiting forever on its next request), so
   * even refusals drain the request first.
   */
  private static Publisher<Void> replyAfterRequest(HttpServerRequest req, HttpServerResponse res,
      ControllerApi.Reply reply) {
    return req.receive().then().then(Mono.defer(() -> Mono.from(send(res, reply))));
  }

  private static Publisher<Void> send(HttpServerResponse res, ControllerApi.Reply reply) {
    return res.status(reply.status())
        .header("Content-Type", "application/json")
        .sendString(Mono.just(reply.json()), StandardCharsets.UTF_8)
        .then();
  }

  private static @Nullable String localToken(HttpServerRequest req, @Nullable String rawQuery) {
    String h = req.requestHeaders().get("X-ZT1-Auth");
    if (h != null) {
      return h.strip();
    }
    String bearer = authorization(req, "bearer");
    if (bearer != null) {
      return bearer;
    }
    if (rawQuery != null) {
      for (String kv : rawQuery.split("&")) {
        if (kv.startsWith("auth=")) {
          try {
            return java.net.URLDecoder.decode(kv.substring(5), StandardCharsets.UTF_8);
          } catch (IllegalArgumentException e) {
            return null;
          }
        }
      }
    }
    return null;
  }

  private static @Nullable String centralToken(HttpServerRequest req) {
    String t = authorization(req, "token");
    return t != null ? t : authorization(req, "bearer");
  }

  private static @Nullable String authorization(HttpServerRequest req, String scheme) {
    String h = req.requestHeaders().get("Authorization");
    if (h == null) {
      return null;
    }
    h = h.strip();
    if (h.length() > scheme.length() && h.regionMatches(true, 0, scheme, 0, scheme.length())
        && Character.isWhitespace(h.charAt(scheme.length()))) {
      return h.substring(scheme.length()).strip();
    }
    return null;
  }

  private static List<String> segments(String rawPath) {
    List<String> out = new ArrayList<>();
    for (String s : rawPath.split("/")) {
      if (!s.isEmpty()) {
        out.add(java.net.URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
