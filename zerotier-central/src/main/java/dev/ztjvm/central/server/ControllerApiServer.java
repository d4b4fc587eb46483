package dev.ztjvm.central.server;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.UnreadableRecordException;
import io.netty.channel.Channel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
 *
 * <p>A server started here is bounded by its {@link Limits}: request bodies over {@link Limits#maxBodyBytes} are
 * answered 413 and the connection closed (the body is not read, so its size does not matter); a request whose bytes
 * stop arriving for {@link Limits#readTimeout} and a connection idle for {@link Limits#idleTimeout} (also one that
 * never sends a request) are closed; connections beyond {@link Limits#maxConnections} in all, or {@link
 * Limits#maxConnectionsPerAddress} from one address, are closed as they are accepted.
 */
public final class ControllerApiServer implements AutoCloseable {

  /** Loopback: the API administers the controller and is not meant for the network. */
  public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";

  /** The token file name zerotier-one uses next to its data. */
  public static final String TOKEN_FILE_NAME = "authtoken.secret";

  private static final System.Logger LOG = System.getLogger(ControllerApiServer.class.getName());

  /** Appended to the token file's name for the file of named user API tokens. */
  public static final String USER_TOKEN_FILE_SUFFIX = ".apitokens";

  /**
   * What one client can make the server hold.
   *
   * @param maxBodyBytes largest request body read (larger: 413)
   * @param readTimeout longest pause while a request is being received
   * @param idleTimeout longest time a connection may stay open without a request in progress
   * @param maxConnections connections open at once, all clients together
   * @param maxConnectionsPerAddress connections open at once from one remote address
   */
  public record Limits(
      int maxBodyBytes, Duration readTimeout, Duration idleTimeout, int maxConnections, int maxConnectionsPerAddress) {

    /** 1 MiB bodies, 10 s read timeout, 60 s idle timeout, 256 connections, 32 per address. */
    public static final Limits DEFAULTS = new Limits(1 << 20, Duration.ofSeconds(10), Duration.ofSeconds(60), 256, 32);

    public Limits {
      Objects.requireNonNull(readTimeout, "readTimeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (maxBodyBytes < 0 || maxConnections < 1 || maxConnectionsPerAddress < 1) {
        throw new IllegalArgumentException("limits must be positive: " + maxBodyBytes + " body bytes, "
            + maxConnections + " connections, " + maxConnectionsPerAddress + " per address");
      }
      if (readTimeout.isNegative() || readTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("timeouts must be positive");
      }
    }
  }

  private final ControllerApi api;
  private volatile Limits limits = Limits.DEFAULTS;
  private final AtomicInteger connections = new AtomicInteger();
  private final ConcurrentMap<InetAddress, AtomicInteger> connectionsByAddress = new ConcurrentHashMap<>();
  private final AtomicLong connectionsRefused = new AtomicLong();
  private final AtomicLong bodiesTooLarge = new AtomicLong();
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

  /** Replaces the {@link Limits#DEFAULTS} (before {@link #start}). */
  public synchronized ControllerApiServer limits(Limits limits) {
    if (server != null) {
      throw new IllegalStateException("limits are set before start");
    }
    this.limits = Objects.requireNonNull(limits, "limits");
    return this;
  }

  /** Connections open now (servers started here). */
  public int connectionsOpen() {
    return connections.get();
  }

  /** Connections closed as they were accepted, over {@link Limits#maxConnections} or the per-address cap. */
  public long connectionsRefused() {
    return connectionsRefused.get();
  }

  /** Requests answered 413 (body over {@link Limits#maxBodyBytes}). */
  public long bodiesTooLarge() {
    return bodiesTooLarge.get();
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
    Limits l = limits;
    server = HttpServer.create().host(bindAddress).port(port)
        .readTimeout(l.readTimeout())
        .idleTimeout(l.idleTimeout())
        .doOnChannelInit((observer, channel, remote) -> admit(channel, remote, l))
        .route(routes())
        .bindNow();
    LOG.log(Level.INFO, "controller API listening on {0}", address());
    return this;
  }

  /** Counts a new connection, or closes it when a cap is reached (on a Netty thread: no I/O here). */
  private void admit(Channel channel, @Nullable SocketAddress remote, Limits l) {
    // the remote address handed to channel-init hooks is not set for accepted channels; the channel knows it
    SocketAddress peer = remote != null ? remote : channel.remoteAddress();
    InetAddress from = peer instanceof InetSocketAddress r ? r.getAddress() : null;
    // The address's place first, then the global one: connectionsOpen() then never counts, even for a moment, a
    // connection that its address's cap is about to refuse.
    AtomicInteger perAddress =
        from == null ? new AtomicInteger() : connectionsByAddress.computeIfAbsent(from, k -> new AtomicInteger());
    if (!reserve(perAddress, l.maxConnectionsPerAddress())) {
      refuse(channel);
      return;
    }
    if (!reserve(connections, l.maxConnections())) {
      if (from != null && perAddress.decrementAndGet() == 0) {
        connectionsByAddress.remove(from, perAddress);
      }
      refuse(channel);
      return;
    }
    channel.closeFuture().addListener(f -> {
      connections.decrementAndGet();
      if (from != null && perAddress.decrementAndGet() == 0) {
        connectionsByAddress.remove(from, perAddress);
      }
    });
  }

  /** Takes one of {@code max} places, never more even when connections arrive on several threads at once. */
  private static boolean reserve(AtomicInteger count, int max) {
    for (int c = count.get(); c < max; c = count.get()) {
      if (count.compareAndSet(c, c + 1)) {
        return true;
      }
    }
    return false;
  }

  private void refuse(Channel channel) {
    connectionsRefused.incrementAndGet();
    channel.close();
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
    if (declaredTooLarge(req)) {
      return send(res, tooLarge(res));
    }
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
    int max = limits.maxBodyBytes();
    return req.receive()
        .reduce(new ByteArrayOutputStream(), (acc, buf) -> {
          if (acc.size() + buf.readableBytes() > max) {
            throw new BodyTooLarge(); // a chunked body that grows past the limit
          }
          byte[] b = new byte[buf.readableBytes()];
          buf.readBytes(b);
          acc.writeBytes(b);
          return acc;
        })
        .map(acc -> acc.toString(StandardCharsets.UTF_8))
        .defaultIfEmpty("")
        .publishOn(Schedulers.boundedElastic())
        .map(body -> dispatch(central, method, path, body))
        .onErrorResume(BodyTooLarge.class, e -> Mono.just(tooLarge(res)))
        .flatMap(reply -> Mono.from(send(res, reply)));
  }

  /** Thrown while reading a body past {@link Limits#maxBodyBytes}. */
  private static final class BodyTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    BodyTooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /** The 413 answer; the connection is closed after it (the rest of the body is not read). */
  private ControllerApi.Reply tooLarge(HttpServerResponse res) {
    bodiesTooLarge.incrementAndGet();
    res.keepAlive(false);
    return ControllerApi.Reply.error(413, "request body larger than " + limits.maxBodyBytes() + " bytes");
  }

  /** A declared body over the limit is refused before anything else, authorized or not. */
  private boolean declaredTooLarge(HttpServerRequest req) {
    String length = req.requestHeaders().get("Content-Length");
    if (length == null) {
      return false;
    }
    try {
      return Long.parseLong(length.strip()) > limits.maxBodyBytes();
    } catch (NumberFormatException e) {
      return true; // unreadable length: Netty refuses it too
    }
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
    } catch (UnreadableRecordException e) {
      LOG.log(Level.WARNING, "controller API: " + method + " " + String.join("/", path) + ": " + e.getMessage());
      return ControllerApi.Reply.error(500, e.recordName() + " is unreadable; repair or delete it");
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
    reply.headers().forEach(res::header);
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
