package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Loss detection and recovery, observed on the wire in virtual time. */
class TcpRecoveryTest {

  /** A client streaming to a sink on the server; drops chosen first transmissions of client data segments. */
  static final class Scenario {
    final Pair p;
    final Set<Integer> dropOrdinals = new HashSet<>();
    final Set<Integer> seenSeqs = new HashSet<>();
    final List<Integer> droppedSeqs = new ArrayList<>();
    final List<Long> retransmitDupAcks = new ArrayList<>();
    /** Client duplicate-ACK count at each new segment sent between the first loss and its retransmission. */
    final List<Long> newDataDupAcks = new ArrayList<>();
    boolean lossPending;
    int dataSegments;
    final Bulk.Source source;
    final List<Bulk.Sink> sinks = new ArrayList<>();

    Scenario(long seed, TcpConfig cfg, long bytes, long oneWayDelay) {
      p = new Pair(seed, cfg);
      p.net.delay = oneWayDelay;
      p.net.record = true;
      p.net.dropRule = (from, seg) -> {
        if (from != p.client || seg.dataLen() == 0) {
          return false;
        }
        if (!seenSeqs.add(seg.seq())) {
          if (droppedSeqs.contains(seg.seq())) {
            retransmitDupAcks.add(p.client.tcp.stats().dupAcks());
            lossPending = false;
          }
          return false;
        }
        if (lossPending) {
          newDataDupAcks.add(p.client.tcp.stats().dupAcks());
        }
        dataSegments++;
        if (dropOrdinals.contains(dataSegments)) {
          lossPending = droppedSeqs.isEmpty();
          droppedSeqs.add(seg.seq());
          return true;
        }
        return false;
      };
      Bulk.acceptIntoSinks(p.server.tcp, 7, sinks);
      source = new Bulk.Source(bytes, seed);
    }

    TcpConnection run() {
      TcpConnection c = p.client.tcp.connect(p.server.addr, 7, source);
      p.net.runUntil(() -> !sinks.isEmpty() && sinks.get(0).eof, 600 * S);
      assertThat(sinks.get(0).hash()).isEqualTo(source.hash());
      return c;
    }

    /** Virtual times at which the client (re)sent a data segment starting at {@code seq}. */
    List<Long> sendTimes(int seq) {
      List<Long> t = new ArrayList<>();
      for (SimNetwork.Seen s : p.net.seen) {
        if (s.from() == p.client && s.seg().seq() == seq && s.seg().dataLen() > 0) {
          t.add(s.time());
        }
      }
      return t;
    }
  }

  @Test
  void fastRetransmitAfterThreeDuplicateAcksWithoutSack() {
    TcpConfig cfg = TcpConfig.builder().sack(false).build();
    Scenario sc = new Scenario(21, cfg, 400_000, 10 * MS);
    sc.dropOrdinals.add(30);
    sc.run();
    TcpStats st = sc.p.client.tcp.stats();
    assertThat(st.fastRetransmits()).isEqualTo(1);
    assertThat(st.rtoTimeouts()).isZero();
    assertThat(sc.droppedSeqs).hasSize(1);
    // the retransmission carried exactly the lost sequence number, sent on the third duplicate ACK
    assertThat(sc.retransmitDupAcks).containsExactly(3L);
    List<Long> times = sc.sendTimes(sc.droppedSeqs.get(0));
    assertThat(times).hasSize(2);
    // well before any RTO (>= 200 ms): about one RTT (20 ms) after the loss
    assertThat(times.get(1) - times.get(0)).isLessThan(60 * MS);
    assertThat(st.retransmits()).isEqualTo(1);
    // limited transmit (RFC 3042): one new segment on each of the first two duplicate ACKs
    assertThat(sc.newDataDupAcks).containsSubsequence(1L, 2L);
    assertThat(sc.newDataDupAcks.stream().filter(d -> d == 1L).count()).isEqualTo(1);
    assertThat(sc.newDataDupAcks.stream().filter(d -> d == 2L).count()).isEqualTo(1);
  }

  @Test
  void fastRetransmitWithSackTriggersOnTheSameEvidence() {
    Scenario sc = new Scenario(22, TcpConfig.defaults(), 400_000, 10 * MS);
    sc.dropOrdinals.add(30);
    sc.run();
    TcpStats st = sc.p.client.tcp.stats();
    assertThat(st.fastRetransmits()).isEqualTo(1);
    assertThat(st.sackRecoveries()).isEqualTo(1);
    assertThat(st.rtoTimeouts()).isZero();
    // RFC 6675 IsLost: more than two segments SACKed above the hole. The ACK that first reports the hole also
    // advances the cumulative ACK (so it is not a duplicate), hence two or three duplicates.
    assertThat(sc.retransmitDupAcks).hasSize(1);
    assertThat(sc.retransmitDupAcks.get(0)).isBetween(2L, 3L);
    assertThat(st.retransmits()).isEqualTo(1);
  }

  private static long retransmissionSpread(Scenario sc) {
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (int seq : sc.droppedSeqs) {
      List<Long> t = sc.sendTimes(seq);
      assertThat(t).as("sent twice: " + seq).hasSize(2);
      first = Math.min(first, t.get(1));
      last = Math.max(last, t.get(1));
    }
    return last - first;
  }

  @Test
  void sackRecoversSeveralLossesInOneWindowWithinAboutOneRtt() {
    long rtt = 20 * MS;
    Scenario sack = new Scenario(23, TcpConfig.defaults(), 3_000_000, rtt / 2);
    sack.dropOrdinals.addAll(List.of(300, 303, 306, 309, 312));
    sack.run();
    TcpStats st = sack.p.client.tcp.stats();
    assertThat(st.rtoTimeouts()).isZero();
    assertThat(st.fastRetransmits()).isEqualTo(1); // one recovery episode for all five losses
    assertThat(st.retransmits()).isEqualTo(5);
    long sackSpread = retransmissionSpread(sack);
    assertThat(sackSpread).isLessThanOrEqualTo(rtt + rtt / 2);

    // NewReno without SACK repairs one hole per round trip (partial ACKs)
    Scenario reno = new Scenario(23, TcpConfig.builder().sack(false).build(), 3_000_000, rtt / 2);
    reno.dropOrdinals.addAll(List.of(300, 303, 306, 309, 312));
    reno.run();
    TcpStats rs = reno.p.client.tcp.stats();
    assertThat(rs.rtoTimeouts()).isZero();
    assertThat(rs.fastRetransmits()).isEqualTo(1);
    assertThat(retransmissionSpread(reno)).isGreaterThanOrEqualTo(4 * rtt - rtt / 2);
  }

  @Test
  void rtoBacksOffExponentiallyThenTheConnectionTimesOut() {
    TcpConfig cfg = TcpConfig.builder().maxRetransmits(6).minRtoNanos(200 * MS).build();
    Pair p = new Pair(24, cfg).listen(7, 4);
    p.net.delay = 5 * MS;
    Recorder cr = new Recorder();
    TcpConnection c = p.connectAccepted(7, cr);
    Pair.writeAll(c, new byte[100]);
    p.net.pollAll();
    p.net.runUntil(() -> p.serverRecorders.get(0).received.size() == 100, 5 * S);
    p.net.runFor(500 * MS);
    long rto = c.rtoNanos();
    assertThat(rto).isEqualTo(200 * MS); // srtt 10 ms + 4 * rttvar is below the floor
    // from now on nothing the client sends gets through
    p.net.record = true;
    p.net.dropRule = (from, seg) -> from == p.client;
    Pair.writeAll(c, new byte[1000]);
    p.net.pollAll();
    p.net.runUntil(() -> cr.closed, 600 * S);
    assertThat(cr.cause).isEqualTo(TcpError.TIMED_OUT);
    List<Long> times = new ArrayList<>();
    for (SimNetwork.Seen s : p.net.seen) {
      if (s.from() == p.client && s.seg().dataLen() == 1000) {
        times.add(s.time());
      }
    }
    assertThat(times).hasSize(7); // original + 6 retransmissions
    for (int i = 1; i < times.size(); i++) {
      assertThat(times.get(i) - times.get(i - 1)).as("interval " + i).isEqualTo(rto << (i - 1));
    }
    TcpStats st = p.client.tcp.stats();
    assertThat(st.rtoTimeouts()).isEqualTo(6);
    // the connection gave up one (backed-off) RTO after the last retransmission, with a RST
    SimNetwork.Seen last = p.net.seen.get(p.net.seen.size() - 1);
    assertThat(last.seg().rst()).isTrue();
    assertThat(last.time() - times.get(6)).isEqualTo(rto << 6);
  }

  @Test
  void outOfOrderDataIsKeptOnlyUpToTheConfiguredByteLimit() {
    int limit = 4 * 2748;
    TcpConfig cfg = TcpConfig.builder().maxOutOfOrderBytes(limit).build();
    Scenario sc = new Scenario(25, cfg, 600_000, 10 * MS);
    sc.dropOrdinals.add(60);
    sc.run();
    long maxSpan = 0;
    int sackAcks = 0;
    for (SimNetwork.Seen x : sc.p.net.seen) {
      if (x.from() != sc.p.server) {
        continue;
      }
      Segment s = new Segment();
      assertThat(s.parse(x.raw(), 0, x.raw().length)).isTrue();
      for (int i = 0; i < s.sackBlocks; i++) {
        sackAcks++;
        maxSpan = Math.max(maxSpan, Integer.toUnsignedLong(s.sackEnd[i] - s.ack));
      }
    }
    assertThat(sackAcks).isPositive();
    assertThat(maxSpan).isLessThanOrEqualTo(limit);
    assertThat(sc.p.server.tcp.stats().outOfOrderSegments()).isGreaterThan(limit / 2748);
  }
}
