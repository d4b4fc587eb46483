package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Spurious retransmission timeouts: ACKs are delayed (not lost) for longer than the RTO, so the sender times out,
 * rolls SND.NXT back to SND.UNA and retransmits, and only then receives ACKs for data it sent before the timeout.
 * Those ACKs lie above the rolled-back SND.NXT but not above SND.MAX; treating them as "ACK of unsent data" left the
 * two stacks answering each other's ACKs forever.
 */
class TcpSpuriousTimeoutTest {

  /**
   * Client streams to a sink; once the client sent {@code holdAfterClientSegments} data segments, every server
   * segment is held back by {@code hold} until the client's first timeout and for at least {@code holdWindow}.
   */
  private static final class Scenario {
    final Pair p;
    final Bulk.Source source;
    final List<Bulk.Sink> sinks = new ArrayList<>();
    long holdFrom = Long.MAX_VALUE;
    long holdUntil = Long.MAX_VALUE;
    long hold;
    int heldSegments;
    int clientDataSegments;
    int holdAfterClientSegments;

    Scenario(long seed, TcpConfig cfg, long bytes, long hold, int holdAfterClientSegments, long holdWindow) {
      p = new Pair(seed, cfg);
      p.net.delay = 5 * MS;
      this.hold = hold;
      this.holdAfterClientSegments = holdAfterClientSegments;
      p.net.delayRule = (from, seg) -> {
        if (from == p.client && seg.dataLen() > 0) {
          clientDataSegments++;
          if (clientDataSegments == this.holdAfterClientSegments && holdFrom == Long.MAX_VALUE) {
            holdFrom = p.net.now;
            holdUntil = p.net.now + holdWindow;
          }
          return 0;
        }
        // hold back server segments from the trigger until the client has timed out (and a little longer)
        if (from == p.server && p.net.now >= holdFrom
            && (p.client.tcp.stats().rtoTimeouts() == 0 || p.net.now < holdUntil)) {
          heldSegments++;
          return this.hold;
        }
        return 0;
      };
      Bulk.acceptIntoSinks(p.server.tcp, 7, sinks);
      source = new Bulk.Source(bytes, seed);
    }

    void run() {
      p.client.tcp.connect(p.server.addr, 7, source);
      p.net.runUntil(() -> !sinks.isEmpty() && sinks.get(0).eof, 600 * S);
      assertThat(sinks.get(0).hash()).isEqualTo(source.hash());
    }
  }

  @Test
  void delayedAcksAfterATimeoutAreAcceptedNotAnsweredAsUnsentData() {
    // ACKs for ~20 ms of traffic arrive 1.5 s late: several RTOs (200 ms, 400 ms, 800 ms) fire meanwhile
    Scenario sc = new Scenario(31, TcpConfig.defaults(), 2_000_000, 1500 * MS, 40, 20 * MS);
    sc.run();
    TcpStats client = sc.p.client.tcp.stats();
    TcpStats server = sc.p.server.tcp.stats();
    assertThat(sc.heldSegments).isPositive();
    assertThat(client.rtoTimeouts()).as("the delay must force a timeout").isPositive();
    // the late ACKs acknowledge data above the rolled-back SND.NXT but within SND.MAX: all acceptable
    assertThat(client.unsentDataAcks()).isZero();
    assertThat(server.unsentDataAcks()).isZero();
    assertThat(client.resetsIn() + server.resetsIn()).isZero();
  }

  @Test
  void noAckPingPongAfterASpuriousTimeoutWithoutSackOrTimestamps() {
    TcpConfig cfg = TcpConfig.builder().sack(false).timestamps(false).build();
    Scenario sc = new Scenario(32, cfg, 2_000_000, 1500 * MS, 60, 30 * MS);
    sc.run();
    TcpStats client = sc.p.client.tcp.stats();
    TcpStats server = sc.p.server.tcp.stats();
    assertThat(client.rtoTimeouts()).isPositive();
    assertThat(client.unsentDataAcks()).isZero();
    assertThat(server.unsentDataAcks()).isZero();
    // after the transfer both sides go quiet: no endless exchange of ACKs keeps the network busy
    long before = client.segmentsOut() + server.segmentsOut();
    sc.p.net.runFor(5 * S);
    long after = sc.p.client.tcp.stats().segmentsOut() + sc.p.server.tcp.stats().segmentsOut();
    assertThat(after - before).as("segments sent in 5 s after the transfer").isLessThan(10);
  }

  @Test
  void manySeedsAndHoldTimesCompleteWithoutUnsentDataAcks() {
    for (int seed = 0; seed < 20; seed++) {
      long hold = (250 + 97L * seed) * MS;
      Scenario sc = new Scenario(1000 + seed, TcpConfig.defaults(), 600_000, hold, 10 + 3 * seed, (5 + seed) * MS);
      sc.run();
      assertThat(sc.p.client.tcp.stats().unsentDataAcks()).as("seed " + seed).isZero();
      assertThat(sc.p.server.tcp.stats().unsentDataAcks()).as("seed " + seed).isZero();
    }
  }
}
