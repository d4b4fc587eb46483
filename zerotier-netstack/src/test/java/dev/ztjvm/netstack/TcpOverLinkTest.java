package dev.ztjvm.netstack;

import static dev.ztjvm.netstack.TwoHosts.MS;
import static dev.ztjvm.netstack.TwoHosts.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.netstack.tcp.TcpConnection;
import dev.ztjvm.netstack.tcp.TcpHandler;
import dev.ztjvm.netstack.tcp.TcpListener;
import dev.ztjvm.netstack.tcp.TcpStack;
import dev.ztjvm.netstack.tcp.TcpState;
import dev.ztjvm.netstack.testing.LinkFaults;
import java.net.InetAddress;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** TCP wired into the interfaces, end to end over the simulated Ethernet link (ARP/NDP, IP, faults). */
class TcpOverLinkTest {

  /** Streams {@code total} seeded bytes from one connection and hashes what arrives on the other. */
  static final class Transfer {
    final long total;
    final Random source;
    final MessageDigest sent = sha256();
    final MessageDigest received = sha256();
    long written;
    long read;
    final byte[] buf = new byte[64 * 1024];
    final byte[] chunk = new byte[64 * 1024];
    int chunkPos = chunk.length;
    int chunkLen = chunk.length;

    Transfer(long total, long seed) {
      this.total = total;
      this.source = new Random(seed);
    }

    void pump(TcpConnection sender, TcpConnection receiver) {
      while (written < total && sender.writableBytes() > 0) {
        if (chunkPos == chunkLen) {
          source.nextBytes(chunk);
          chunkLen = (int) Math.min(chunk.length, total - written);
          chunkPos = 0;
        }
        int n = sender.write(chunk, chunkPos, chunkLen - chunkPos);
        if (n == 0) {
          break;
        }
        sent.update(chunk, chunkPos, n);
        chunkPos += n;
        written += n;
        if (written == total) {
          sender.shutdownOutput();
        }
      }
      int n;
      while ((n = receiver.read(buf, 0, buf.length)) > 0) {
        received.update(buf, 0, n);
        read += n;
      }
    }

    boolean done() {
      return read == total;
    }

    /** Pumps, then tells whether everything arrived (for {@code runUntil}). */
    boolean pumpAndCheck(TcpConnection sender, TcpConnection receiver) {
      pump(sender, receiver);
      return done();
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static TwoHosts withTcp(LinkFaults faults, long seed) {
    TwoHosts h = new TwoHosts(faults, seed, c -> c);
    h.a.enableTcp(TcpConfig.defaults(), seed);
    h.b.enableTcp(TcpConfig.defaults(), seed + 1);
    return h;
  }

  private static List<TcpConnection> listen(TcpStack tcp, int port) {
    List<TcpConnection> accepted = new ArrayList<>();
    tcp.listen(null, port, 1024, l -> {
      TcpConnection c;
      while ((c = l.accept()) != null) {
        accepted.add(c);
      }
    });
    return accepted;
  }

  private void transfer(LinkFaults faults, long seed, InetAddress server, long bytes) {
    TwoHosts h = withTcp(faults, seed);
    List<TcpConnection> accepted = listen(h.b.tcp(), 80);
    TcpConnection c = h.a.tcp().connect(server.getAddress(), 80, TcpHandler.NONE);
    assertThat(h.driver.runUntil(() -> accepted.size() == 1, 30 * S)).isTrue();
    Transfer t = new Transfer(bytes, seed);
    TcpConnection s = accepted.get(0);
    t.pump(c, s);
    h.driver.pollAll();
    boolean done = h.driver.runUntil(() -> t.pumpAndCheck(c, s), 3600 * S);
    assertThat(done).as("transferred %d of %d bytes", t.read, bytes).isTrue();
    assertThat(t.received.digest()).isEqualTo(t.sent.digest());
    h.driver.runUntil(() -> s.isEndOfStream(), 60 * S);
    assertThat(s.read(new byte[1], 0, 1)).isEqualTo(-1);
    assertThat(h.a.statistics().internalErrors()).isZero();
    assertThat(h.b.statistics().internalErrors()).isZero();
    if (faults.loss() > 0) {
      assertThat(h.a.tcp().stats().retransmits()).isPositive();
    }
    if (faults.corrupt() > 0) {
      NetstackStatistics st = h.b.statistics();
      long caught = st.ethernet().dropped() + st.ipv4().checksumErrors() + st.ipv6().dropped()
          + st.ipv4().dropped() + h.b.tcp().stats().checksumErrors();
      assertThat(caught).isPositive();
    }
  }

  @Test
  void tenMegabytesOverIpv4WithLossAndReorder() {
    transfer(LinkFaults.NONE.withDelay(2 * MS, MS).withLoss(0.01).withReorder(0.02, 3 * MS), 11, TwoHosts.B4,
        10_000_000);
  }

  @Test
  void tenMegabytesOverIpv6WithLossDuplicationAndCorruption() {
    transfer(LinkFaults.NONE.withDelay(MS, MS).withLoss(0.005).withDuplicate(0.01).withCorrupt(0.005)
        .withReorder(0.01, 2 * MS), 12, TwoHosts.B6, 10_000_000);
  }

  @Test
  void tcpToOwnAddressUsesLoopback() {
    TwoHosts h = withTcp(LinkFaults.NONE, 5);
    List<TcpConnection> accepted = listen(h.a.tcp(), 8080);
    TcpConnection c = h.a.tcp().connect(TwoHosts.A4.getAddress(), 8080, TcpHandler.NONE);
    h.driver.runUntil(() -> accepted.size() == 1, 5 * S);
    Transfer t = new Transfer(1_000_000, 5);
    TcpConnection s = accepted.get(0);
    t.pump(c, s);
    h.driver.pollAll();
    assertThat(h.driver.runUntil(() -> t.pumpAndCheck(c, s), 60 * S)).isTrue();
    assertThat(t.received.digest()).isEqualTo(t.sent.digest());
    assertThat(h.frames).isEmpty();
  }

  @Test
  void thousandConcurrentConnections() {
    TwoHosts h = withTcp(LinkFaults.NONE.withDelay(MS, MS).withLoss(0.002), 21);
    List<TcpConnection> accepted = listen(h.b.tcp(), 7);
    int n = 1000;
    List<TcpConnection> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(h.a.tcp().connect((i % 2 == 0 ? TwoHosts.B4 : TwoHosts.B6).getAddress(), 7, TcpHandler.NONE));
    }
    h.driver.pollAll();
    assertThat(h.driver.runUntil(() -> accepted.size() == n, 120 * S)).isTrue();
    // Every client sends its index; the server echoes it back on the same connection.
    for (int i = 0; i < n; i++) {
      byte[] msg = ("conn-" + i).getBytes();
      assertThat(clients.get(i).write(msg, 0, msg.length)).isEqualTo(msg.length);
    }
    h.driver.pollAll();
    byte[] buf = new byte[64];
    int[] echoed = {0};
    h.driver.afterEachStep(() -> {
      for (TcpConnection s : accepted) {
        int k = s.read(buf, 0, buf.length);
        if (k > 0) {
          s.write(buf, 0, k);
        }
      }
    });
    List<String> replies = new ArrayList<>(Arrays.asList(new String[n]));
    assertThat(h.driver.runUntil(() -> {
      for (int i = 0; i < n; i++) {
        if (replies.get(i) == null && clients.get(i).available() >= ("conn-" + i).length()) {
          int k = clients.get(i).read(buf, 0, buf.length);
          replies.set(i, new String(buf, 0, k));
          echoed[0]++;
        }
      }
      return echoed[0] == n;
    }, 120 * S)).isTrue();
    for (int i = 0; i < n; i++) {
      assertThat(replies.get(i)).isEqualTo("conn-" + i);
      assertThat(clients.get(i).state()).isEqualTo(TcpState.ESTABLISHED);
    }
  }

  @Test
  void repeatedConnectAndAbortLeavesNoState() {
    TwoHosts h = withTcp(LinkFaults.NONE, 8);
    List<TcpConnection> accepted = listen(h.b.tcp(), 80);
    for (int i = 0; i < 2000; i++) {
      TcpConnection c = h.a.tcp().connect(TwoHosts.B4.getAddress(), 80, TcpHandler.NONE);
      h.driver.pollAll();
      assertThat(h.driver.runUntil(() -> !accepted.isEmpty() && c.state() == TcpState.ESTABLISHED, 5 * S)).isTrue();
      TcpConnection s = accepted.remove(0);
      c.abort();
      s.abort();
      h.driver.pollAll();
      h.driver.runFor(MS);
    }
    h.driver.runFor(S);
    assertThat(h.a.tcp().connectionCount()).isZero();
    assertThat(h.b.tcp().connectionCount()).isZero();
  }

  @Test
  void connectToClosedPortIsRefused() {
    TwoHosts h = withTcp(LinkFaults.NONE, 3);
    TcpConnection c = h.a.tcp().connect(TwoHosts.B4.getAddress(), 81, TcpHandler.NONE);
    h.driver.runUntil(() -> c.state() == TcpState.CLOSED, 5 * S);
    assertThat(c.state()).isEqualTo(TcpState.CLOSED);
    assertThat(c.error()).isNotNull();
  }

  @Test
  void unresolvableNeighbourFailsTheConnectionAttempt() {
    TwoHosts h = withTcp(LinkFaults.NONE, 4);
    TcpListener unused = h.b.tcp().listen(null, 80, 1, l -> {});
    TcpConnection c = h.a.tcp().connect(TwoHosts.ip("10.0.0.200").getAddress(), 80, TcpHandler.NONE);
    h.driver.runFor(200 * S);
    assertThat(c.state()).isEqualTo(TcpState.CLOSED);
    assertThat(unused.isOpen()).isTrue();
    assertThat(h.a.statistics().arp().timeouts()).isPositive();
  }
}
