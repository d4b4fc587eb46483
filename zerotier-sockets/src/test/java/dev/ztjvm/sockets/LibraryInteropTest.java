package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ServerSocketFactory;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Code written for plain java.net types, run over ZeroTier sockets through the factories. */
@ExtendWith(TwoHostNetExtension.class)
@Timeout(300)
class LibraryInteropTest {

  private TwoHostNet net; // a fresh one for each test

  /** A minimal HTTP/1.1 server that only knows ServerSocketFactory, as a library would. */
  private static CompletableFuture<Void> serveHttp(ServerSocket server, int requests) {
    return CompletableFuture.runAsync(() -> {
      try {
        for (int i = 0; i < requests; i++) {
          try (Socket s = server.accept()) {
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                StandardCharsets.US_ASCII));
            String requestLine = in.readLine();
            String line;
            String hostHeader = "";
            while ((line = in.readLine()) != null && !line.isEmpty()) {
              if (line.toLowerCase().startsWith("host:")) {
                hostHeader = line.substring(5).trim();
              }
            }
            byte[] body = ("you asked " + requestLine + " of " + hostHeader).getBytes(StandardCharsets.UTF_8);
            OutputStream out = s.getOutputStream();
            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
          }
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
  }

  private static String httpGet(Socket s, String path, String host) throws Exception {
    s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
  }

  @Test
  void httpExchangeThroughFactories() throws Exception {
    ServerSocketFactory ssf = new ZeroTierServerSocketFactory(net.b);
    SocketFactory sf = new ZeroTierSocketFactory(net.a);
    try (ServerSocket server = ssf.createServerSocket(8080)) {
      CompletableFuture<Void> done = serveHttp(server, 2);
      for (String host : new String[] {"10.147.17.2", "fd00:5a::2"}) {
        try (Socket s = sf.createSocket(host, 8080)) {
          String response = httpGet(s, "/hello", host);
          assertThat(response).startsWith("HTTP/1.1 200 OK\r\n")
              .endsWith("you asked GET /hello HTTP/1.1 of " + host);
        }
      }
      done.get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void tlsLayeredOverAZeroTierSocket(@TempDir Path dir) throws Exception {
    SSLContext ctx = SelfSignedTls.context(dir, "zt-test", "10.147.17.2");

    try (ServerSocket plain = new ZeroTierServerSocket(net.b, 8443)) {
      CompletableFuture<String> server = CompletableFuture.supplyAsync(() -> {
        try (Socket raw = plain.accept();
            SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, null, raw.getPort(), true)) {
          tls.setUseClientMode(false);
          BufferedReader r = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
          String line = r.readLine();
          tls.getOutputStream().write(("secure " + line + "\n").getBytes(StandardCharsets.UTF_8));
          tls.getOutputStream().flush();
          return tls.getSession().getProtocol();
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (Socket raw = new ZeroTierSocketFactory(net.a).createSocket(TwoHostNet.B4, 8443);
          SSLSocket tls = (SSLSocket) ctx.getSocketFactory().createSocket(raw, "10.147.17.2", 8443, true)) {
        var params = tls.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS"); // the certificate's SAN must match the address
        tls.setSSLParameters(params);
        tls.getOutputStream().write("hello tls\n".getBytes(StandardCharsets.UTF_8));
        tls.getOutputStream().flush();
        BufferedReader r = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.UTF_8));
        assertThat(r.readLine()).isEqualTo("secure hello tls");
        assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
      assertThat(server.get(30, TimeUnit.SECONDS)).isEqualTo("TLSv1.3");
    }
  }

  @Test
  void largeTransferThroughBlockingStreamsKeepsEveryByte() throws Exception {
    long total = Long.getLong("zt.sockets.largeTransferBytes", 200L << 20);
    long seed = 20261125L;
    try (ServerSocket server = new ZeroTierServerSocket(net.b, 9090)) {
      CompletableFuture<String> received = CompletableFuture.supplyAsync(() -> {
        try (Socket s = server.accept()) {
          return StreamDigest.receive(s.getInputStream(), 256 * 1024);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      try (Socket c = new ZeroTierSocket(net.a, TwoHostNet.B4, 9090)) {
        OutputStream out = c.getOutputStream();
        Random random = new Random(seed);
        byte[] chunk = new byte[1 << 20];
        for (long sent = 0; sent < total; sent += chunk.length) {
          random.nextBytes(chunk);
          int len = (int) Math.min(chunk.length, total - sent);
          sha.update(chunk, 0, len);
          out.write(chunk, 0, len);
        }
        c.shutdownOutput();
        assertThat(received.get(240, TimeUnit.SECONDS))
            .as("seed %d", seed).isEqualTo(StreamDigest.summary(total, sha));
      }
    }
  }
}
