package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sending to a peer with a small window (issue 18): a receiver like libzt's lwIP advertises at most 64 KiB, without
 * window scaling, SACK or timestamps. Our sender must keep that window full, every round trip: no wait for the whole
 * window to be acknowledged, no runt held back by Nagle or sender-side SWS avoidance while data is queued. The rate
 * is bounded by window / round trip; the test measures virtual time, so the bound is exact and deterministic.
 */
class TcpSmallWindowPeerTest {

  private static final int WINDOW = 65535;

  private static TcpConfig lwipLike() {
    return TcpConfig.builder().receiveBufferSize(WINDOW).windowScaling(false).sack(false).timestamps(false).build();
  }

  record Run(long elapsedNanos, TcpStats sender, TcpStats receiver, int mss) {}

  private static Run send(long bytes, long oneWayDelay) {
    Pair p = new Pair(64, TcpConfig.defaults(), lwipLike());
    p.net.delay = oneWayDelay;
    p.net.bandwidth = 1_000_000_000;
    List<Bulk.Sink> sinks = new ArrayList<>();
    Bulk.acceptIntoSinks(p.server.tcp, 5001, sinks);
    Bulk.Source src = new Bulk.Source(bytes, 3);
    TcpConnection c = p.client.tcp.connect(p.server.addr, 5001, src);
    p.net.runUntil(() -> src.connected, 5 * S);
    assertThat(c.negotiatedOptions()).as("no window scaling, timestamps or SACK").isZero();
    assertThat(c.sendWindow()).isLessThanOrEqualTo(WINDOW);
    long start = p.net.now;
    p.net.runUntil(() -> !sinks.isEmpty() && sinks.get(0).received == bytes, 600 * S);
    assertThat(sinks.get(0).hash()).isEqualTo(src.hash());
    return new Run(p.net.now - start, p.client.tcp.stats(), p.server.tcp.stats(), c.mss());
  }

  @Test
  void senderKeepsASixtyFourKilobyteWindowFullEveryRoundTrip() {
    long bytes = 16L << 20;
    long delay = 2 * MS; // 4 ms round trip: the window, not the 1 GB/s link, limits the rate
    Run r = send(bytes, delay);
    assertThat(r.sender().retransmits()).isZero();
    assertThat(r.sender().persistProbes()).isZero();
    // the most a sender can have in flight: whole segments that fit in the window
    long inFlight = (WINDOW / r.mss()) * (long) r.mss();
    double roundTripsNeeded = (double) bytes / inFlight;
    double roundTrips = (double) r.elapsedNanos() / (2 * delay);
    System.out.println("small window: " + bytes / (r.elapsedNanos() / 1e9) / 1e6 + " MB/s, " + roundTrips
        + " round trips for " + roundTripsNeeded + " windows");
    // slow start costs a few round trips at the beginning; after that one window per round trip (5 % slack)
    assertThat(roundTrips).isLessThan(roundTripsNeeded * 1.05 + 8);
  }
}
