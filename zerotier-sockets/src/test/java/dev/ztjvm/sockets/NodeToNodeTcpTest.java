package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * TCP between two real {@link ZeroTierNode}s of a {@link LocalZeroTier} (root and controller in process), over
 * loopback UDP with ZeroTier's encryption: a 1 GB transfer, 1,000 connections open at once, half-close and timeouts.
 */
@ExtendWith(LocalZeroTierExtension.class)
class NodeToNodeTcpTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension
  private static ZeroTierNode a;
  private static ZeroTierNode b;
  private static InetAddress b4;
  private static InetAddress a4;

  @BeforeAll
  static void start() throws Exception {
    long nwid = zt.createPublicNetwork("tcp", "10.147.41.0/24", "10.147.41.10", "10.147.41.20", false);
    a = zt.nodeBuilder().build().start();
    b = zt.nodeBuilder().build().start();
    a4 = a.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
    b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
  }

  @AfterAll
  static void stop() {
    LocalZeroTierExtension.closeQuietly(a, b);
  }

  @Test
  void oneGigabyteArrivesIntactWithEqualSha256() throws Exception {
    long total = 1L << 30;
    int chunk = 256 * 1024;
    try (ZeroTierServerSocket server = b.newServerSocket(7200)) {
      CompletableFuture<String> receiver = CompletableFuture.supplyAsync(() -> {
        try (ZeroTierSocket s = server.accept(); InputStream in = s.getInputStream()) {
          return StreamDigest.receive(in, chunk);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      long t0 = System.nanoTime();
      try (ZeroTierSocket s = a.newSocket()) {
        s.connect(new InetSocketAddress(b4, 7200), 10_000);
        OutputStream out = s.getOutputStream();
        // a few distinct pseudo-random blocks, rotated so that reordering or a repeated block changes the digest
        SplittableRandom rnd = new SplittableRandom(0x5eed);
        byte[][] blocks = new byte[7][chunk];
        for (byte[] blk : blocks) {
          rnd.nextBytes(blk);
        }
        for (long sent = 0, i = 0; sent < total; sent += chunk, i++) {
          byte[] blk = blocks[(int) (i % blocks.length)];
          blk[0] = (byte) i; // and a counter, so no two chunks are equal
          blk[1] = (byte) (i >>> 8);
          sha.update(blk);
          out.write(blk);
        }
        s.shutdownOutput();
        String got = receiver.get(10, TimeUnit.MINUTES);
        double secs = (System.nanoTime() - t0) / 1e9;
        System.out.printf("1 GiB node-to-node: %.1f s, %.1f MB/s%n", secs, total / 1e6 / secs);
        assertThat(got).isEqualTo(StreamDigest.summary(total, sha));
      }
    }
  }

  @Test
  void thousandConnectionsOpenAtOnce() throws Exception {
    int count = 1000;
    try (ZeroTierServerSocket server = new ZeroTierServerSocket(b.netstack(), 7201, 1024, null)) {
      CompletableFuture<List<ZeroTierSocket>> accepted = CompletableFuture.supplyAsync(() -> {
        List<ZeroTierSocket> out = new ArrayList<>();
        try {
          while (out.size() < count) {
            out.add(server.accept());
          }
          return out;
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      List<ZeroTierSocket> clients = new ArrayList<>();
      try {
        for (int i = 0; i < count; i++) {
          ZeroTierSocket c = a.newSocket();
          clients.add(c);
          c.connect(new InetSocketAddress(b4, 7201), 10_000);
        }
        List<ZeroTierSocket> servers = accepted.get(2, TimeUnit.MINUTES);
        assertThat(a.statistics().tcp().connectionsEstablished()).isGreaterThanOrEqualTo(count);
        assertThat(b.statistics().tcp().connectionsEstablished()).isGreaterThanOrEqualTo(count);
        // every connection still carries data in both directions, to the right peer
        Map<Integer, ZeroTierSocket> byPort = new HashMap<>();
        for (ZeroTierSocket s : servers) {
          assertThat(s.remoteNode()).hasValue(a.nodeId());
          byPort.put(s.getPort(), s);
        }
        assertThat(byPort).hasSize(count);
        for (int i = 0; i < count; i++) {
          new DataOutputStream(clients.get(i).getOutputStream()).writeInt(i);
        }
        for (int i = 0; i < count; i++) {
          ZeroTierSocket s = byPort.get(clients.get(i).getLocalPort());
          assertThat(new DataInputStream(s.getInputStream()).readInt()).isEqualTo(i);
          new DataOutputStream(s.getOutputStream()).writeInt(-i);
        }
        for (int i = 0; i < count; i++) {
          assertThat(new DataInputStream(clients.get(i).getInputStream()).readInt()).isEqualTo(-i);
        }
        for (ZeroTierSocket s : servers) {
          s.close();
        }
      } finally {
        for (ZeroTierSocket c : clients) {
          c.close();
        }
      }
    }
  }

  @Test
  void halfCloseBetweenNodes() throws Exception {
    try (ZeroTierServerSocket server = b.newServerSocket(7202)) {
      CompletableFuture<Void> served = CompletableFuture.runAsync(() -> {
        try (ZeroTierSocket s = server.accept()) {
          // read the whole request up to the client's FIN, then answer on the still-open other direction
          String request = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertThat(s.isInputShutdown()).isFalse();
          s.getOutputStream().write(("got " + request).getBytes(StandardCharsets.UTF_8));
          s.shutdownOutput();
          assertThat(s.getInputStream().read()).isEqualTo(-1);
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      try (ZeroTierSocket c = a.newSocket()) {
        c.connect(new InetSocketAddress(b4, 7202), 10_000);
        c.getOutputStream().write("request".getBytes(StandardCharsets.UTF_8));
        c.shutdownOutput();
        assertThat(c.isOutputShutdown()).isTrue();
        assertThatThrownBy(() -> c.getOutputStream().write(1)).isInstanceOf(java.net.SocketException.class);
        assertThat(new String(c.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("got request");
        served.get(30, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void timeoutsAndRefusalBetweenNodes() throws Exception {
    try (ZeroTierServerSocket server = b.newServerSocket(7203)) {
      server.setSoTimeout(200);
      assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
      try (ZeroTierSocket c = a.newSocket()) {
        c.connect(new InetSocketAddress(b4, 7203), 10_000);
        server.setSoTimeout(10_000);
        try (ZeroTierSocket s = server.accept()) {
          c.setSoTimeout(200);
          assertThatThrownBy(() -> c.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);
          // the connection survives a read timeout
          s.getOutputStream().write(42);
          c.setSoTimeout(10_000);
          assertThat(c.getInputStream().read()).isEqualTo(42);
          assertThat(s.getInetAddress()).isEqualTo(a4);
        }
      }
    }
    // nobody listens on B's port 7299: B answers with a reset
    try (ZeroTierSocket c = a.newSocket()) {
      assertThatThrownBy(() -> c.connect(new InetSocketAddress(b4, 7299), 10_000))
          .isInstanceOf(ConnectException.class);
    }
    // nobody has .99 on the network: ARP never answers, the connect times out
    try (ZeroTierSocket c = a.newSocket()) {
      assertThatThrownBy(() -> c.connect(new InetSocketAddress(InetAddress.getByName("10.147.41.99"), 7203), 500))
          .isInstanceOf(SocketTimeoutException.class);
    }
  }
}
