package dev.ztjvm.central.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.central.NotAuthorizedException;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Token checks on both APIs, the generated token file, and the token kept out of logs. */
class ControllerApiAuthTest {

  @TempDir Path dir;
  ControllerDatabase db;
  ControllerApiServer server;
  String token;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    db = new ControllerDatabase(new FileControllerStore(dir.resolve("controller.d")), 0xea7ca3b1d7L);
    server = ControllerApiServer.withTokenFile(db, dir.resolve(ControllerApiServer.TOKEN_FILE_NAME)).start(0);
    token = Files.readString(dir.resolve(ControllerApiServer.TOKEN_FILE_NAME));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> get(String path, String... headers) throws Exception {
    // a bounded wait: a server that stops reading a keep-alive connection fails the test instead of hanging it
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.localApiUrl() + path))
        .timeout(java.time.Duration.ofSeconds(60));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void boundToLoopbackByDefault() {
    assertThat(server.address().getAddress().isLoopbackAddress()).isTrue();
    assertThat(server.toString()).doesNotContain(token);
  }

  @Test
  void localApiRefusesMissingAndWrongTokens() throws Exception {
    for (String path : List.of("/controller", "/controller/network", "/status",
        "/controller/network/ea7ca3b1d7000001")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "X-ZT1-Auth", token + "x").statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "X-ZT1-Auth", "").statusCode()).as(path).isEqualTo(401);
      // the Central header is not accepted by the local API
      assertThat(get(path, "Authorization", "token " + token).statusCode()).as(path).isEqualTo(401);
    }
    assertThat(get("/controller", "X-ZT1-Auth", token).statusCode()).isEqualTo(200);
    assertThat(get("/controller?auth=" + token).statusCode()).isEqualTo(200);
    assertThat(get("/controller?auth=nope").statusCode()).isEqualTo(401);
    assertThat(get("/controller", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
    assertThat(get("/controller/network/ea7ca3b1d7000001", "X-ZT1-Auth", token).statusCode()).isEqualTo(404);
  }

  @Test
  void centralApiRefusesMissingAndWrongTokens() throws Exception {
    for (String path : List.of("/api/v1/network", "/api/v1/status", "/api/v1/network/ea7ca3b1d7000001/member")) {
      assertThat(get(path).statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "Authorization", "token wrong").statusCode()).as(path).isEqualTo(401);
      assertThat(get(path, "Authorization", "token").statusCode()).as(path).isEqualTo(401);
      // the local header is not accepted by the Central API
      assertThat(get(path, "X-ZT1-Auth", token).statusCode()).as(path).isEqualTo(401);
    }
    HttpResponse<String> ok = get("/api/v1/network", "Authorization", "token " + token);
    assertThat(ok.statusCode()).isEqualTo(200);
    assertThat(ok.body()).isEqualTo("[]");
    assertThat(get("/api/v1/network", "Authorization", "Bearer " + token).statusCode()).isEqualTo(200);
  }

  @Test
  void clientsWithAWrongTokenGetNotAuthorized() {
    assertThatThrownBy(() -> ZeroTierCentralClient.central().baseUrl(server.centralApiUrl()).token("wrong").build()
        .blocking().networks()).isInstanceOf(NotAuthorizedException.class).hasMessageNotContaining(token);
    assertThatThrownBy(() -> ZeroTierCentralClient.selfHosted().baseUrl(server.localApiUrl()).token("wrong").build()
        .blocking().networks()).isInstanceOf(NotAuthorizedException.class).hasMessageNotContaining(token);
  }

  @Test
  void badRequestsAreAnswered400WithoutChangingAnything() throws Exception {
    String created = http.send(HttpRequest.newBuilder(URI.create(server.localApiUrl()
        + "/controller/network/ea7ca3b1d7______"))
        .header("X-ZT1-Auth", token).POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    String nwid = created.replaceAll(".*\"id\":\"([0-9a-f]{16})\".*", "$1");
    for (String bad : List.of("{", "{\"mtu\":\"big\"}", "{\"mtu\":99}", "{\"routes\":[{\"target\":\"10.0.0.0\"}]}",
        "{\"ipAssignmentPools\":[{\"ipRangeStart\":\"host\",\"ipRangeEnd\":\"10.0.0.9\"}]}", "[1]")) {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.localApiUrl() + "/controller/network/"
          + nwid))
          .header("X-ZT1-Auth", token).POST(HttpRequest.BodyPublishers.ofString(bad)).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).as(bad).isEqualTo(400);
    }
    assertThat(db.network(Long.parseUnsignedLong(nwid, 16)).orElseThrow().get("revision")).isEqualTo(1L);
    HttpResponse<String> badTag = http.send(HttpRequest.newBuilder(
        URI.create(server.localApiUrl() + "/controller/network/" + nwid + "/member/c28cfc86ce"))
        .header("X-ZT1-Auth", token).POST(HttpRequest.BodyPublishers.ofString("{\"tags\":[[1]]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(badTag.statusCode()).isEqualTo(400);
    assertThat(db.memberAddresses(Long.parseUnsignedLong(nwid, 16))).isEmpty();
  }

  /** Sends a request target that java.net.http refuses to build, over a plain socket. */
  String rawStatusLine(String target) throws Exception {
    try (java.net.Socket s = new java.net.Socket(server.address().getAddress(), server.address().getPort())) {
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-ZT1-Auth: " + token
          + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void unknownPathsMethodsAndMalformedTargets() throws Exception {
    assertThat(get("/controller/nope", "X-ZT1-Auth", token).statusCode()).isEqualTo(404);
    assertThat(get("/controller/network/xyz", "X-ZT1-Auth", token).statusCode()).isEqualTo(404);
    assertThat(get("/api/v1/user/u1", "Authorization", "token " + token).statusCode()).isEqualTo(404);
    assertThat(rawStatusLine("/controller/network/%zz")).contains(" 400 ");
    HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(server.localApiUrl() + "/controller"))
        .header("X-ZT1-Auth", token).PUT(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(put.statusCode()).isEqualTo(405);
    // a network of another controller cannot be created here
    HttpResponse<String> foreign = http.send(HttpRequest.newBuilder(
        URI.create(server.localApiUrl() + "/controller/network/8056c2e21c000001"))
        .header("X-ZT1-Auth", token).POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(db.networkIds()).isEmpty();
  }

  @Test
  void generatedTokenFileIsOwnerOnlyAndReused() throws Exception {
    Path file = dir.resolve(ControllerApiServer.TOKEN_FILE_NAME);
    assertThat(token).matches("[a-z0-9]{24}");
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
    assertThat(perms).containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(ControllerApiServer.loadOrCreateToken(file)).isEqualTo(token);
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).doesNotContain(".tmp").allSatisfy(
          n -> assertThat(n).doesNotEndWith(".tmp"));
    }
    Path other = dir.resolve("sub/other.secret");
    String second = ControllerApiServer.loadOrCreateToken(other);
    assertThat(second).isNotEqualTo(token).matches("[a-z0-9]{24}");
    assertThat(Files.readString(other)).isEqualTo(second);
  }

  @Test
  void tokenNeverLogged() throws Exception {
    List<String> logged = new java.util.concurrent.CopyOnWriteArrayList<>(); // appended from server threads
    Handler capture = new Handler() {
      @Override
      public void publish(LogRecord r) {
        logged.add(r.getLoggerName() + " " + r.getMessage() + " " + java.util.Arrays.toString(r.getParameters())
            + " " + r.getThrown());
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    Logger root = Logger.getLogger("");
    Level before = root.getLevel();
    root.addHandler(capture);
    root.setLevel(Level.ALL);
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream console = new ByteArrayOutputStream();
    System.setOut(new PrintStream(console, true, StandardCharsets.UTF_8));
    System.setErr(new PrintStream(console, true, StandardCharsets.UTF_8));
    try (ControllerApiServer again = ControllerApiServer.withTokenFile(db, dir.resolve("t2")).start(0)) {
      String t2 = Files.readString(dir.resolve("t2"));
      var c = ZeroTierCentralClient.selfHosted().baseUrl(again.localApiUrl()).token(t2).build().blocking();
      c.networks();
      assertThatThrownBy(() -> c.network("ffffffffff000001")).isNotNull();
      get("/controller", "X-ZT1-Auth", token + "x");
      assertThat(logged).isNotEmpty(); // the capture works: the server logs where it listens
      assertThat(String.join("\n", logged)).doesNotContain(token).doesNotContain(t2);
      assertThat(console.toString(StandardCharsets.UTF_8)).doesNotContain(token).doesNotContain(t2);
    } finally {
      System.setOut(out);
      System.setErr(err);
      root.removeHandler(capture);
      root.setLevel(before);
    }
  }
}
