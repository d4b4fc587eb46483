package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.DefaultSchemePortResolver;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.impl.bootstrap.HttpServer;
import org.apache.hc.core5.http.impl.bootstrap.ServerBootstrap;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real libraries over two real {@link ZeroTierNode}s of a {@link LocalZeroTier} (loopback UDP, ZeroTier's
 * encryption): Apache HttpCore 5's classic server built on {@link ZeroTierNode#serverSocketFactory()} called by
 * Apache HttpClient 5 whose sockets are {@link ZeroTierSocket}s, and the JDK's TLS layered over ZeroTier sockets.
 */
@ExtendWith(LocalZeroTierExtension.class)
class LibraryOverNodesTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension
  private static ZeroTierNode a;
  private static ZeroTierNode b;
  private static InetAddress a4;

  @BeforeAll
  static void start() throws Exception {
    long nwid = zt.createPublicNetwork("libs", "10.147.61.0/24", "10.147.61.10", "10.147.61.20", false);
    a = zt.nodeBuilder().build().start();
    b = zt.nodeBuilder().build().start();
    a4 = a.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
    b.awaitNetworkReady(nwid, WAIT);
  }

  @AfterAll
  static void stop() {
    LocalZeroTierExtension.closeQuietly(b, a);
  }

  private static String sha256(byte[] data) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
  }

  @Test
  void apacheHttpCoreServerOnNodeAServesApacheHttpClientOnNodeB() throws Exception {
    HttpServer server = ServerBootstrap.bootstrap()
        .setServerSocketFactory(a.serverSocketFactory())
        .setLocalAddress(a4)
        .setListenerPort(8080)
        .setCanonicalHostName(a4.getHostAddress()) // requests name the ZeroTier address as Host
        .setSocketConfig(SocketConfig.custom().setSoTimeout(Timeout.ofSeconds(30)).build())
        .register("/hello", (request, response, context) -> {
          response.setCode(200);
          response.setEntity(new StringEntity("hello " + request.getMethod() + " " + request.getPath()
              + " from " + context.getAttribute("http.connection"), ContentType.TEXT_PLAIN));
        })
        .register("/digest", (request, response, context) -> {
          byte[] body = request.getEntity().getContent().readAllBytes();
          try {
            response.setCode(200);
            response.setEntity(new StringEntity(body.length + ":" + sha256(body), ContentType.TEXT_PLAIN));
          } catch (Exception e) {
            throw new java.io.IOException(e);
          }
        })
        .create();
    server.start();
    assertThat(server.getLocalPort()).isEqualTo(8080);
    DefaultHttpClientConnectionOperator overZeroTier = new DefaultHttpClientConnectionOperator(
        proxy -> b.newSocket(), DefaultSchemePortResolver.INSTANCE, SystemDefaultDnsResolver.INSTANCE,
        RegistryBuilder.<TlsSocketStrategy>create().build());
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManager(overZeroTier,
        PoolConcurrencyPolicy.STRICT, PoolReusePolicy.LIFO, TimeValue.NEG_ONE_MILLISECOND, null);
    try (CloseableHttpClient client = HttpClients.custom().setConnectionManager(pool).build()) {
      String base = "http://" + a4.getHostAddress() + ":8080";
      String got = client.execute(new HttpGet(base + "/hello"), (ClassicHttpResponse r) -> {
        assertThat(r.getCode()).isEqualTo(200);
        return EntityUtils.toString(r.getEntity());
      });
      assertThat(got).startsWith("hello GET /hello from ");

      byte[] body = new byte[3 << 20];
      new SplittableRandom(20261126L).nextBytes(body);
      HttpPost post = new HttpPost(base + "/digest");
      post.setEntity(new ByteArrayEntity(body, ContentType.APPLICATION_OCTET_STREAM));
      String digest = client.execute(post, (ClassicHttpResponse r) -> {
        assertThat(r.getCode()).isEqualTo(200);
        return EntityUtils.toString(r.getEntity());
      });
      assertThat(digest).isEqualTo(body.length + ":" + sha256(body));

      // The pooled connection is reused for a second exchange over the same ZeroTier TCP connection.
      String again = client.execute(new HttpGet(base + "/hello?x=1"), (ClassicHttpResponse r) -> EntityUtils.toString(r
          .getEntity()));
      assertThat(again).startsWith("hello GET /hello?x=1 from ");
    } finally {
      server.close(CloseMode.GRACEFUL);
    }
  }

  @Test
  void tlsLayeredOverZeroTierSocketsBetweenTwoNodes(@TempDir Path dir) throws Exception {
    SSLContext ctx = SelfSignedTls.context(dir, "zt-node-a", a4.getHostAddress());

    byte[] payload = new byte[1 << 20];
    new SplittableRandom(7L).nextBytes(payload);
    try (ServerSocket plain = a.serverSocketFactory().createServerSocket(8443, 50, a4)) {
      CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
        try (Socket raw = plain.accept();
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, true)) {
          tls.setUseClientMode(false);
          BufferedReader r = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
          String line = r.readLine();
          int n = Integer.parseInt(line.substring(line.indexOf(' ') + 1));
          byte[] got = tls.getInputStream().readNBytes(n);
          tls.getOutputStream().write((sha256(got) + "\n").getBytes(StandardCharsets.UTF_8));
          tls.getOutputStream().flush();
          return tls.getSession().getProtocol() + " " + raw.getClass().getSimpleName();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (Socket raw = b.socketFactory().createSocket(a4, 8443);
          SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, a4.getHostAddress(), 8443, true)) {
        assertThat(raw).isInstanceOf(ZeroTierSocket.class);
        var params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the SAN must match node A's ZeroTier address
        tls.setSSLParameters(params);
        tls.getOutputStream().write(("bytes " + payload.length + "\n").getBytes(StandardCharsets.UTF_8));
        tls.getOutputStream().write(payload);
        tls.getOutputStream().flush();
        BufferedReader r = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo(sha256(payload));
        assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
        assertThat(tls.getSession().getPeerCertificates()).hasSize(1);
      }
      assertThat(server.get(60, TimeUnit.SECONDS)).isEqualTo("TLSv1.3 ZeroTierSocket");
    }
  }
}
