package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Packet economy of a bulk receiver (issue 18): over ZeroTier every ACK is a packet the sender must decrypt. The
 * counters of {@link TcpStats} (data segments, pure ACKs, window updates) are checked against the segments seen on
 * the wire, and a window update of a slow reader is sent only when the window had fallen to half the buffer or less
 * and reopening at least doubles it. Deterministic: virtual clock, no faults.
 */
class TcpAckEconomyTest {

  private static final int MSS_BYTES = 2748; // MTU 2800 - 40 (IP + TCP) - 12 (timestamps)

  record Run(Pair pair, TcpStats sender, TcpStats receiver, List<SimNetwork.Seen> fromReceiver) {}

  /** 8 MiB from client to server over a 100 MB/s link with 1 ms delay; the server's sink reads in its callback. */
  private static Run bulk(TcpConfig receiverConfig, long bytes) {
    Pair p = new Pair(18, TcpConfig.defaults(), receiverConfig);
    p.net.bandwidth = 100_000_000;
    p.net.record = true;
    List<Bulk.Sink> sinks = new ArrayList<>();
    Bulk.acceptIntoSinks(p.server.tcp, 5001, sinks);
    Bulk.Source src = new Bulk.Source(bytes, 99);
    p.client.tcp.connect(p.server.addr, 5001, src);
    p.net.runUntil(() -> !sinks.isEmpty() && sinks.get(0).eof && src.closed, 120 * S);
    assertThat(sinks.get(0).received).isEqualTo(bytes);
    assertThat(sinks.get(0).hash()).isEqualTo(src.hash());
    List<SimNetwork.Seen> fromReceiver = new ArrayList<>();
    for (SimNetwork.Seen s : p.net.seen) {
      if (s.from() == p.server) {
        fromReceiver.add(s);
      }
    }
    return new Run(p, p.client.tcp.stats(), p.server.tcp.stats(), fromReceiver);
  }

  private static List<SimNetwork.Seen> senderSegments(Run r) {
    List<SimNetwork.Seen> l = new ArrayList<>();
    for (SimNetwork.Seen s : r.pair().net.seen) {
      if (s.from() == r.pair().client) {
        l.add(s);
      }
    }
    return l;
  }

  private static long pureAcksOnWire(List<SimNetwork.Seen> segs) {
    return segs.stream().filter(s -> s.seg().isPureAck()).count();
  }

  @Test
  void packetEconomyCountersMatchTheSegmentsOnTheWire() {
    Run r = bulk(TcpConfig.defaults(), 8L << 20);
    TcpStats rx = r.receiver();
    long fullSegments = (8L << 20) / MSS_BYTES;
    // every data segment the sender sent arrived (clean link) and was counted on both sides
    assertThat(rx.dataSegmentsIn()).isEqualTo(r.sender().dataSegmentsOut()).isGreaterThanOrEqualTo(fullSegments);
    assertThat(rx.retransmits()).isZero();
    // the counters match what was seen on the wire
    assertThat(rx.pureAcksOut()).isEqualTo(pureAcksOnWire(r.fromReceiver()));
    // every pure ACK on the wire is one of: delayed/immediate ACKs, window updates (counted apart)
    assertThat(rx.windowUpdatesOut()).isLessThanOrEqualTo(rx.pureAcksOut());
    assertThat(r.sender().pureAcksOut()).isEqualTo(pureAcksOnWire(senderSegments(r)));
  }

  record SlowRead(Pair pair, TcpStats receiver, int reads, long elapsedNanos) {}

  /**
   * 4 MiB over a link of {@code bandwidth} bytes/s with 1 ms delay into a 256 KiB receive buffer whose application
   * reads at most {@code chunk} bytes every {@code periodNanos}.
   */
  private static SlowRead slowReader(long bandwidth, int chunk, long periodNanos) {
    Pair p = new Pair(19, TcpConfig.defaults(), TcpConfig.builder().receiveBufferSize(RECEIVE_BUFFER).build());
    p.net.bandwidth = bandwidth;
    p.net.record = true;
    List<TcpConnection> accepted = new ArrayList<>();
    p.server.tcp.listen(null, 5001, 4, l -> {
      TcpConnection c;
      while ((c = l.accept()) != null) {
        accepted.add(c);
      }
    });
    long total = 4L << 20;
    Bulk.Source src = new Bulk.Source(total, 5);
    p.client.tcp.connect(p.server.addr, 5001, src);
    p.net.runUntil(() -> !accepted.isEmpty(), 5 * S);
    TcpConnection server = accepted.get(0);
    long start = p.net.now;
    MessageDigest digest = Bulk.sha256();
    byte[] buf = new byte[chunk];
    long got = 0;
    int reads = 0;
    long limit = p.net.now + 60 * S;
    while (got < total) {
      assertThat(p.net.now).as("transfer stalled at " + got).isLessThan(limit);
      p.net.runFor(periodNanos);
      int n = server.read(buf, 0, buf.length);
      if (n > 0) {
        digest.update(buf, 0, n);
        got += n;
        reads++;
      }
      p.net.pollAll();
    }
    assertThat(digest.digest()).isEqualTo(src.hash());
    TcpStats rx = p.server.tcp.stats();
    assertThat(rx.retransmits()).isZero();
    return new SlowRead(p, rx, reads, p.net.now - start);
  }

  private static final int RECEIVE_BUFFER = 256 * 1024;

  @Test
  void readerSlowerThanTheLinkGetsWindowUpdatesOnlyWhenTheWindowHalvedAndReopensAtLeastTwofold() {
    // 32 KiB every 5 ms (6.5 MB/s) from a 100 MB/s link: the window closes and every read reopens it
    SlowRead r = slowReader(100_000_000, 32 * 1024, 5 * MS);
    TcpStats rx = r.receiver();
    assertThat(rx.windowUpdatesOut()).isPositive().isLessThanOrEqualTo(r.reads());
    assertThat(rx.pureAcksOut()).isLessThanOrEqualTo(rx.dataSegmentsIn() / 2 + rx.windowUpdatesOut() + 2);
    // on the wire: an ACK that acknowledges nothing new and opens the window is sent only when the window had
    // fallen to half the buffer or less, and it at least doubles the window (raw window fields, same scale)
    long maxRaw = RECEIVE_BUFFER >>> 3; // 256 KiB needs window scale 3
    Integer lastAck = null;
    int lastWindow = 0;
    int updatesSeen = 0;
    for (SimNetwork.Seen s : r.pair().net.seen) {
      if (s.from() != r.pair().server || s.seg().syn() || !s.seg().ackFlag()) {
        continue;
      }
      if (lastAck != null && s.seg().isPureAck() && s.seg().ack() == lastAck && s.seg().window() > lastWindow) {
        updatesSeen++;
        assertThat(2L * lastWindow).as("window before the update").isLessThanOrEqualTo(maxRaw);
        assertThat(s.seg().window()).as("window after the update").isGreaterThanOrEqualTo(2 * lastWindow);
      }
      lastAck = s.seg().ack();
      lastWindow = s.seg().window();
    }
    assertThat(updatesSeen).isPositive();
  }
}
