package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link ZeroTierNode#statistics()}: the counters move when traffic flows between two real nodes. */
@ExtendWith(LocalZeroTierExtension.class)
class NodeStatisticsTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static LocalZeroTier zt; // started for the class by LocalZeroTierExtension

  @Test
  void countersFollowTcpTrafficPerNodeAndPerNetworkAndCountForgedPackets() throws Exception {
    long nwid = zt.createPublicNetwork("stats", "10.147.31.0/24", "10.147.31.10", "10.147.31.20", false);
    try (ZeroTierNode a = zt.nodeBuilder().build(); ZeroTierNode b = zt.nodeBuilder().build()) {
      assertThatThrownBy(a::statistics).isInstanceOf(IllegalStateException.class).hasMessageContaining("start");
      assertThat(a.vl1Counters()).isNull();
      a.start();
      b.start();
      InetAddress b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
      a.awaitNetworkReady(nwid, WAIT);

      NodeStatistics a0 = a.statistics();
      NodeStatistics b0 = b.statistics();
      assertThat(a0.nodeId()).isEqualTo(a.nodeId());
      assertThat(a0.network(nwid)).isNotNull();
      assertThat(a0.packetsOut()).containsKeys(Verb.values());
      assertThat(a0.drops()).containsKeys(Vl1Counters.Drop.values());
      assertThat(a0.datagramsOut()).isPositive(); // HELLOs to the root and the config request at least
      assertThat(a0.packetsOut().get(Verb.NETWORK_CONFIG_REQUEST)).isPositive();

      int size = 1 << 20;
      try (ZeroTierServerSocket server = b.newServerSocket(7100)) {
        CompletableFuture<Long> received = CompletableFuture.supplyAsync(() -> {
          try (ZeroTierSocket s = server.accept(); InputStream in = s.getInputStream()) {
            long n = 0;
            byte[] buf = new byte[65536];
            for (int r; (r = in.read(buf)) > 0;) {
              n += r;
            }
            return n;
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        try (ZeroTierSocket s = a.newSocket()) {
          s.connect(new InetSocketAddress(b4, 7100), 10_000);
          // while the connection is open, both sides report it as established, per node and per network
          NodeStatistics open = a.statistics();
          assertThat(open.tcp().connectionsEstablished()).isEqualTo(1);
          assertThat(open.network(nwid).tcp().connectionsEstablished()).isEqualTo(1);
          OutputStream out = s.getOutputStream();
          byte[] chunk = new byte[64 * 1024];
          for (int sent = 0; sent < size; sent += chunk.length) {
            out.write(chunk);
          }
          s.shutdownOutput();
          assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(size);
        }
      }

      NodeStatistics a1 = a.statistics();
      NodeStatistics b1 = b.statistics();
      TcpStatistics ta = a1.tcp();
      TcpStatistics tb = b1.tcp();
      assertThat(ta.connectionsOpened() - a0.tcp().connectionsOpened()).isEqualTo(1);
      assertThat(tb.connectionsAccepted() - b0.tcp().connectionsAccepted()).isEqualTo(1);
      assertThat(ta.counters().bytesOut() - a0.tcp().counters().bytesOut()).isGreaterThanOrEqualTo(size);
      assertThat(tb.counters().bytesIn() - b0.tcp().counters().bytesIn()).isGreaterThanOrEqualTo(size);
      assertThat(a1.network(nwid).tcp().counters().bytesOut()).isEqualTo(ta.counters().bytesOut());
      assertThat(a1.network(nwid).stack().ipv4().sent()).isGreaterThan(size / 3000);
      // (ZeroTier MTU 2800: at least size/2800 segments)
      // the segments left as VL2 frames in VL1 packets, over UDP
      long framesOut = a1.packetsOut().get(Verb.FRAME) + a1.packetsOut().get(Verb.EXT_FRAME)
          - a0.packetsOut().get(Verb.FRAME) - a0.packetsOut().get(Verb.EXT_FRAME);
      long framesIn = b1.packetsIn().get(Verb.FRAME) + b1.packetsIn().get(Verb.EXT_FRAME)
          - b0.packetsIn().get(Verb.FRAME) - b0.packetsIn().get(Verb.EXT_FRAME);
      assertThat(framesOut).isGreaterThan(size / 3000);
      assertThat(framesIn).isGreaterThan(size / 3000);
      assertThat(a1.datagramBytesOut() - a0.datagramBytesOut()).isGreaterThan(size);
      assertThat(b1.datagramBytesIn() - b0.datagramBytesIn()).isGreaterThan(size);
      assertThat(a1.totalPacketsOut()).isGreaterThan(a0.totalPacketsOut() + size / 3000);
      // the live counters are the same ones
      assertThat(a.vl1Counters().packetsOut(Verb.FRAME)).isGreaterThanOrEqualTo(a1.packetsOut().get(Verb.FRAME));

      // a packet claiming to come from A with a wrong MAC is dropped and counted on B
      long macBefore = b.statistics().macFailures();
      byte[] forged = new byte[64];
      new java.util.Random(7).nextBytes(forged);
      writeAddress(forged, Packet.IDX_DEST, b.nodeId());
      writeAddress(forged, Packet.IDX_SOURCE, a.nodeId());
      forged[Packet.IDX_FLAGS] = (byte) (1 << 3); // Salsa20/Poly1305, no hops
      try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
        udp.send(new DatagramPacket(forged, forged.length,
            new InetSocketAddress(InetAddress.getLoopbackAddress(), b.primaryPort())));
      }
      ZeroTierNodeTest.waitUntil(() -> b.statistics().macFailures() == macBefore + 1);

      // leaving the network keeps its TCP counters in the node total, and drops the per-network entry
      long opened = a.statistics().tcp().connectionsOpened();
      a.leave(nwid);
      NodeStatistics a2 = a.statistics();
      assertThat(a2.network(nwid)).isNull();
      assertThat(a2.tcp().connectionsOpened()).isEqualTo(opened);
      assertThat(a2.tcp().connectionsOpen()).isZero();
    }
  }

  private static void writeAddress(byte[] b, int off, long address) {
    for (int i = 0; i < 5; i++) {
      b[off + i] = (byte) (address >>> (8 * (4 - i)));
    }
  }
}
