package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flow control and timers: zero window and persist, Nagle, delayed ACK, keepalive, listen backlog. */
class TcpFlowTest {

  private static List<SimNetwork.Seen> from(SimNetwork net, SimNetwork.Node n) {
    List<SimNetwork.Seen> l = new ArrayList<>();
    for (SimNetwork.Seen s : net.seen) {
      if (s.from() == n) {
        l.add(s);
      }
    }
    return l;
  }

  @Test
  void zeroWindowIsProbedWithBackoffAndALostWindowUpdateIsRecovered() {
    TcpConfig serverCfg = TcpConfig.builder().receiveBufferSize(64 * 1024).build();
    Pair p = new Pair(31, TcpConfig.defaults(), serverCfg).listen(9, 4);
    p.net.delay = 5 * MS;
    Recorder cr = new Recorder();
    TcpConnection c = p.connectAccepted(9, cr);
    TcpConnection s = p.accepted.get(0);
    Recorder sr = p.serverRecorders.get(0);
    sr.autoRead = false;
    byte[] data = new byte[300_000];
    new java.util.Random(5).nextBytes(data);
    Pair.writeAll(c, data);
    p.net.record = true;
    p.net.pollAll();
    p.net.runFor(20 * S);
    // the whole receive buffer (less the window-scale granule), then the window closed
    assertThat(s.available()).isBetween(64 * 1024 - 2, 64 * 1024);
    assertThat(c.sendWindow()).isZero();
    TcpStats st = p.client.tcp.stats();
    assertThat(st.persistProbes()).isGreaterThanOrEqualTo(4);
    assertThat(st.rtoTimeouts()).isZero();
    // probes: empty segments one below the next sequence number, at doubling intervals
    List<Long> probeTimes = new ArrayList<>();
    for (SimNetwork.Seen x : from(p.net, p.client)) {
      if (x.seg().dataLen() == 0 && !x.seg().syn() && !x.seg().fin() && !x.seg().rst()) {
        probeTimes.add(x.time());
      }
    }
    assertThat(probeTimes.size()).isGreaterThanOrEqualTo(4);
    for (int i = 2; i < 4; i++) {
      assertThat(probeTimes.get(i) - probeTimes.get(i - 1)).isEqualTo(2 * (probeTimes.get(i - 1) - probeTimes.get(i
          - 2)));
    }
    // the application reads; the window update that follows is lost, a later probe learns the open window
    boolean[] dropped = {false};
    p.net.dropRule = (from, seg) -> {
      if (from == p.server && !dropped[0] && seg.window() > 0) {
        dropped[0] = true;
        return true;
      }
      return false;
    };
    sr.autoRead = true;
    sr.drain(s);
    p.net.pollAll();
    p.net.runUntil(() -> sr.received.size() == data.length, 120 * S);
    assertThat(dropped[0]).isTrue();
    assertThat(sr.received.toByteArray()).isEqualTo(data);
    assertThat(p.client.tcp.stats().persistProbes()).isGreaterThan(st.persistProbes());
  }

  /** One small exchange so the receiver's first full-window announcement (after the SYN's 64 KiB) is done. */
  private static void warmUp(Pair p, TcpConnection c) {
    Pair.writeAll(c, new byte[1]);
    p.net.pollAll();
    p.net.runFor(S);
    p.serverRecorders.get(0).received.reset();
  }

  private static int dataSegmentsFor(boolean noDelay, long seed) {
    Pair p = new Pair(seed, TcpConfig.defaults()).listen(9, 4);
    TcpConnection c = p.connectAccepted(9, new Recorder());
    warmUp(p, c);
    c.setNoDelay(noDelay);
    p.net.record = true;
    for (int i = 0; i < 10; i++) {
      Pair.writeAll(c, new byte[] {(byte) i});
      p.net.pollAll();
      p.net.runFor(MS);
    }
    p.net.runUntil(() -> p.serverRecorders.get(0).received.size() == 10, 5 * S);
    assertThat(p.serverRecorders.get(0).received.toByteArray()).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
    return (int) from(p.net, p.client).stream().filter(x -> x.seg().dataLen() > 0).count();
  }

  @Test
  void nagleCoalescesSmallWritesAndNoDelaySendsEachAtOnce() {
    assertThat(dataSegmentsFor(false, 32)).isEqualTo(2); // first byte, then the nine held back while it was unacked
    assertThat(dataSegmentsFor(true, 32)).isEqualTo(10);
  }

  @Test
  void delayedAckWaitsForTheTimerButAcksEverySecondFullSegmentAtOnce() {
    TcpConfig cfg = TcpConfig.builder().delayedAckNanos(40 * MS).noDelay(true).build();
    Pair p = new Pair(33, cfg).listen(9, 4);
    p.net.delay = 2 * MS;
    TcpConnection c = p.connectAccepted(9, new Recorder());
    warmUp(p, c);
    p.net.record = true;
    Pair.writeAll(c, new byte[100]);
    p.net.pollAll();
    p.net.runFor(S);
    List<SimNetwork.Seen> srv = from(p.net, p.server);
    List<SimNetwork.Seen> cli = from(p.net, p.client);
    assertThat(cli).hasSize(1);
    assertThat(srv).hasSize(1);
    long arrival = cli.get(0).time() + 2 * MS;
    assertThat(srv.get(0).time() - arrival).isEqualTo(40 * MS);
    assertThat(p.server.tcp.stats().delayedAcks()).isEqualTo(1); // the warm-up was a window update (immediate)
    long delayedBefore = p.server.tcp.stats().delayedAcks();

    p.net.seen.clear();
    Pair.writeAll(c, new byte[2 * c.mss()]);
    p.net.pollAll();
    p.net.runFor(S);
    cli = from(p.net, p.client);
    srv = from(p.net, p.server);
    assertThat(cli).hasSize(2);
    assertThat(cli.get(0).seg().dataLen()).isEqualTo(c.mss());
    assertThat(srv).hasSize(1);
    assertThat(srv.get(0).time()).isEqualTo(cli.get(1).time() + 2 * MS); // sent as the second segment arrived
    assertThat(p.server.tcp.stats().delayedAcks()).isEqualTo(delayedBefore);
  }

  @Test
  void keepaliveProbesAnIdlePeerAndGivesUpWhenItVanishes() {
    TcpConfig clientCfg = TcpConfig.builder().keepAlive(true).keepAliveIdleNanos(10 * S)
        .keepAliveIntervalNanos(2 * S).keepAliveCount(3).build();
    Pair p = new Pair(34, clientCfg, TcpConfig.defaults()).listen(9, 4);
    Recorder cr = new Recorder();
    TcpConnection c = p.connectAccepted(9, cr);
    p.net.runFor(35 * S);
    assertThat(p.client.tcp.stats().keepaliveProbes()).isEqualTo(3); // at 10, 20 and 30 s of idleness
    assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(p.accepted.get(0).state()).isEqualTo(TcpState.ESTABLISHED);

    p.net.record = true;
    p.net.dropRule = (from, seg) -> from == p.server; // the peer goes silent
    long lastHeard = p.net.now - 5 * S; // the third probe's answer arrived at ~30 s
    p.net.runUntil(() -> cr.closed, 60 * S);
    assertThat(cr.cause).isEqualTo(TcpError.KEEPALIVE_TIMED_OUT);
    assertThat(p.client.tcp.stats().keepaliveProbes()).isEqualTo(3 + 3);
    List<SimNetwork.Seen> cli = from(p.net, p.client);
    assertThat(cli.get(cli.size() - 1).seg().rst()).isTrue();
    // idle 10 s, then three probes 2 s apart, then one more interval
    assertThat(p.net.now - lastHeard).isBetween(16 * S - 10 * MS, 16 * S + 10 * MS);
  }

  @Test
  void listenBacklogOverflowDropsThenCompletesOnceTheApplicationAccepts() {
    Pair p = new Pair(35, TcpConfig.defaults());
    boolean[] accepting = {false};
    List<TcpConnection> accepted = new ArrayList<>();
    int[] maxPending = {0};
    TcpListener l = p.server.tcp.listen(null, 9, 2, lst -> {
      maxPending[0] = Math.max(maxPending[0], lst.pendingAccepts());
      if (accepting[0]) {
        TcpConnection x;
        while ((x = lst.accept()) != null) {
          accepted.add(x);
        }
      }
    });
    List<TcpConnection> clients = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      clients.add(p.connect(9, new Recorder()));
    }
    p.net.pollAll();
    p.net.runFor(2 * S);
    assertThat(l.pendingAccepts()).isEqualTo(2);
    assertThat(maxPending[0]).isEqualTo(2);
    assertThat(p.server.tcp.stats().listenDrops()).isPositive();
    assertThat(p.server.tcp.stats().connectionsAccepted()).isEqualTo(2);
    accepting[0] = true;
    TcpConnection x;
    while ((x = l.accept()) != null) {
      accepted.add(x);
    }
    p.net.pollAll();
    p.net.runUntil(() -> accepted.size() == 5, 30 * S);
    p.net.runFor(S);
    for (TcpConnection c : clients) {
      assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    }
    assertThat(p.server.tcp.stats().connectionsAccepted()).isEqualTo(5);
  }
}
