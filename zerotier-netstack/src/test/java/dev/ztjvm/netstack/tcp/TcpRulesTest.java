package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** RST/SYN acceptance (RFC 9293, RFC 5961), PAWS, ICMP errors, IPv6, ISNs, pluggable congestion control. */
class TcpRulesTest {

  private static final class Established {
    final Pair p;
    final TcpConnection client;
    final TcpConnection server;
    final Recorder serverRecorder;

    Established(long seed) {
      p = new Pair(seed, TcpConfig.defaults()).listen(80, 4);
      client = p.connectAccepted(80, new Recorder());
      server = p.accepted.get(0);
      serverRecorder = p.serverRecorders.get(0);
      p.net.runFor(100 * MS);
    }

    /** Injects a segment "from the client" into the server. */
    void inject(int seq, int ack, int flags, byte[] options, byte[] data) {
      byte[] b = Craft.segment(p.client.addr, p.server.addr, client.localPort(), 80, seq, ack, flags, 1000, options,
          data);
      p.server.tcp.receive(p.client.addr, p.server.addr, b, 0, b.length, p.net.now);
    }
  }

  @Test
  void inWindowRstGetsAChallengeAckExactRstResets() {
    Established e = new Established(51);
    e.p.net.record = true;
    int rcvNxt = e.server.receiveNext();
    e.inject(rcvNxt + 100, 0, Segment.RST, new byte[0], new byte[0]);
    assertThat(e.server.state()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(e.p.server.tcp.stats().challengeAcks()).isEqualTo(1);
    assertThat(e.p.net.seen).hasSize(1);
    assertThat(e.p.net.seen.get(0).seg().isPureAck()).isTrue();
    assertThat(e.p.net.seen.get(0).seg().ack()).isEqualTo(rcvNxt);
    // far outside the window: silently ignored
    e.inject(rcvNxt + 0x4000_0000, 0, Segment.RST, new byte[0], new byte[0]);
    assertThat(e.p.net.seen).hasSize(1);
    assertThat(e.server.state()).isEqualTo(TcpState.ESTABLISHED);
    // exact: reset
    e.inject(rcvNxt, 0, Segment.RST, new byte[0], new byte[0]);
    e.p.server.tcp.poll(e.p.net.now);
    assertThat(e.server.state()).isEqualTo(TcpState.CLOSED);
    assertThat(e.serverRecorder.cause).isEqualTo(TcpError.CONNECTION_RESET);
    assertThat(e.p.server.tcp.stats().resetsIn()).isEqualTo(1);
  }

  @Test
  void challengeAcksAreRateLimited() {
    Established e = new Established(60);
    e.p.net.record = true;
    int rcvNxt = e.server.receiveNext();
    for (int i = 0; i < 1500; i++) {
      e.inject(rcvNxt + 10 + i, 0, Segment.RST, new byte[0], new byte[0]);
      e.p.server.tcp.poll(e.p.net.now);
    }
    assertThat(e.p.server.tcp.stats().challengeAcks()).isEqualTo(TcpStack.CHALLENGE_ACK_LIMIT);
    assertThat(e.p.net.seen.stream().filter(x -> x.from() == e.p.server).count())
        .isEqualTo(TcpStack.CHALLENGE_ACK_LIMIT);
    e.p.net.now += S;
    e.inject(rcvNxt + 10, 0, Segment.RST, new byte[0], new byte[0]);
    assertThat(e.p.server.tcp.stats().challengeAcks()).isEqualTo(TcpStack.CHALLENGE_ACK_LIMIT + 1);
    assertThat(e.server.state()).isEqualTo(TcpState.ESTABLISHED);
  }

  @Test
  void synOnAnEstablishedConnectionGetsAChallengeAck() {
    Established e = new Established(52);
    e.p.net.record = true;
    e.inject(12345, 0, Segment.SYN, new byte[0], new byte[0]);
    e.inject(e.server.receiveNext(), 0, Segment.SYN, new byte[0], new byte[0]);
    assertThat(e.server.state()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(e.p.server.tcp.stats().challengeAcks()).isEqualTo(1);
    // the connection still works
    Pair.writeAll(e.client, Pair.ascii("still here"));
    e.p.net.pollAll();
    e.p.net.runUntil(() -> e.serverRecorder.text().equals("still here"), 5 * S);
  }

  @Test
  void ackForUnsentDataIsAnsweredAndIgnored() {
    Established e = new Established(53);
    e.p.net.record = true;
    int rcvNxt = e.server.receiveNext();
    e.inject(rcvNxt, e.server.sendMax() + 5000, Segment.ACK, new byte[0], Pair.ascii("xyz"));
    e.p.server.tcp.poll(e.p.net.now);
    assertThat(e.server.available()).isZero();
    assertThat(e.p.net.seen).hasSize(1);
    assertThat(e.p.net.seen.get(0).seg().ack()).isEqualTo(rcvNxt);
  }

  @Test
  void pawsDropsASegmentWithAnOldTimestamp() {
    Established e = new Established(54);
    int recent = e.server.timestampRecent();
    int rcvNxt = e.server.receiveNext();
    int ack = e.server.sendMax();
    e.inject(rcvNxt, ack, Segment.ACK | Segment.PSH, Craft.timestamp(recent - 1000, 0), Pair.ascii("old"));
    e.p.server.tcp.poll(e.p.net.now);
    assertThat(e.p.server.tcp.stats().pawsDrops()).isEqualTo(1);
    assertThat(e.serverRecorder.received.size()).isZero();
    e.inject(rcvNxt, ack, Segment.ACK | Segment.PSH, Craft.timestamp(recent + 5, 0), Pair.ascii("new"));
    e.p.server.tcp.poll(e.p.net.now);
    assertThat(e.serverRecorder.text()).isEqualTo("new");
  }

  @Test
  void packetTooBigLowersTheMss() {
    Established e = new Established(55);
    e.p.net.record = true;
    byte[] quoted = new byte[8];
    Segment.put16(quoted, 0, e.client.localPort());
    Segment.put16(quoted, 2, 80);
    e.p.client.tcp.icmpError(IcmpErrorKind.PACKET_TOO_BIG, e.p.client.addr, e.p.server.addr, quoted, 0, 8, 1280,
        e.p.net.now);
    assertThat(e.client.mss()).isEqualTo(1280 - 40 - 12);
    Pair.writeAll(e.client, new byte[100_000]);
    e.p.net.pollAll();
    e.p.net.runUntil(() -> e.serverRecorder.received.size() == 100_000, 10 * S);
    int maxData = e.p.net.seen.stream().filter(x -> x.from() == e.p.client).mapToInt(x -> x.seg().dataLen()).max()
        .orElse(0);
    assertThat(maxData).isEqualTo(1280 - 40 - 12);
  }

  @Test
  void hostUnreachableIsReportedWhenTheHandshakeTimesOut() {
    TcpConfig cfg = TcpConfig.builder().synRetries(2).build();
    SimNetwork net = new SimNetwork(56);
    SimNetwork.Node a = net.addNode(SimNetwork.v4(10, 0, 0, 1), cfg);
    byte[] nowhere = SimNetwork.v4(10, 9, 9, 9);
    Recorder r = new Recorder();
    TcpConnection c = a.tcp.connect(nowhere, 80, r);
    net.pollAll();
    byte[] quoted = new byte[8];
    Segment.put16(quoted, 0, c.localPort());
    Segment.put16(quoted, 2, 80);
    a.tcp.icmpError(IcmpErrorKind.HOST_UNREACHABLE, a.addr, nowhere, quoted, 0, 8, 0, net.now);
    assertThat(c.state()).isEqualTo(TcpState.SYN_SENT); // soft error: keep trying
    long start = net.now;
    net.runUntil(() -> r.closed, 60 * S);
    assertThat(r.cause).isEqualTo(TcpError.HOST_UNREACHABLE);
    assertThat(net.now - start).isEqualTo((1 + 2 + 4) * S); // initial RTO 1 s, backed off twice
    assertThat(a.tcp.stats().connectionsFailed()).isEqualTo(1);
  }

  @Test
  void ipv6ConnectionUsesTheSmallerMss() {
    byte[] a6 = new byte[16];
    byte[] b6 = new byte[16];
    a6[0] = (byte) 0xfd;
    b6[0] = (byte) 0xfd;
    a6[15] = 1;
    b6[15] = 2;
    SimNetwork net = new SimNetwork(57);
    SimNetwork.Node a = net.addNode(a6, TcpConfig.defaults());
    SimNetwork.Node b = net.addNode(b6, TcpConfig.defaults());
    Recorder[] sr = new Recorder[1];
    b.tcp.listen(b6, 8080, 4, l -> {
      TcpConnection c = l.accept();
      sr[0] = new Recorder();
      c.setHandler(sr[0]);
    });
    TcpConnection c = a.tcp.connect(b6, 8080, new Recorder());
    net.runUntil(() -> sr[0] != null, 5 * S);
    assertThat(c.mss()).isEqualTo(2800 - 60 - 12);
    byte[] data = new byte[50_000];
    new java.util.Random(1).nextBytes(data);
    Pair.writeAll(c, data);
    net.pollAll();
    net.runUntil(() -> sr[0].received.size() == data.length, 5 * S);
    assertThat(sr[0].received.toByteArray()).isEqualTo(data);
  }

  @Test
  void isnsAreKeyedPerTupleAndAdvanceWithTheClock() {
    SimNetwork net = new SimNetwork(58);
    SimNetwork.Node a = net.addNode(SimNetwork.v4(10, 0, 0, 1), TcpConfig.defaults());
    ConnKey k1 = new ConnKey().set(a.addr, 40000, SimNetwork.v4(10, 0, 0, 2), 80);
    ConnKey k2 = new ConnKey().set(a.addr, 40001, SimNetwork.v4(10, 0, 0, 2), 80);
    int i1 = a.tcp.isn(k1, 0)[0];
    assertThat(a.tcp.isn(k1, 0)[0]).isEqualTo(i1);
    assertThat(a.tcp.isn(k2, 0)[0]).isNotEqualTo(i1);
    assertThat(a.tcp.isn(k1, S)[0] - i1).isEqualTo(250_000); // 4 microsecond ticks
    // another stack (other secret) picks unrelated numbers for the same tuple
    SimNetwork.Node b = net.addNode(SimNetwork.v4(10, 0, 0, 3), TcpConfig.defaults());
    assertThat(b.tcp.isn(k1, 0)[0]).isNotEqualTo(i1);
    // same seed, same numbers (reproducible tests)
    TcpStack s1 = new TcpStack(a, a, TcpConfig.defaults(), 99);
    TcpStack s2 = new TcpStack(a, a, TcpConfig.defaults(), 99);
    assertThat(Arrays.equals(s1.isn(k1, 5), s2.isn(k1, 5))).isTrue();
  }

  @Test
  void congestionControlIsPluggable() {
    int[] events = new int[3];
    CongestionControl.Factory counting = (mss, iw) -> new CongestionControl() {
      final NewReno d = new NewReno(mss, iw);

      @Override
      public int cwnd() {
        return d.cwnd();
      }
      @Override
      public int ssthresh() {
        return d.ssthresh();
      }
      @Override
      public void setCwnd(int bytes) {
        d.setCwnd(bytes);
      }
      @Override
      public void setMss(int m) {
        d.setMss(m);
      }
      @Override
      public void onAck(int acked, int inFlight, long now) {
        events[0]++;
        d.onAck(acked, inFlight, now);
      }
      @Override
      public void onCongestionEvent(int inFlight, long now) {
        events[1]++;
        d.onCongestionEvent(inFlight, now);
      }
      @Override
      public void onRecoveryExit(int inFlight, long now) {
        d.onRecoveryExit(inFlight, now);
      }
      @Override
      public void onRetransmissionTimeout(int inFlight, boolean first, long now) {
        events[2]++;
        d.onRetransmissionTimeout(inFlight, first, now);
      }
      @Override
      public void onIdleRestart(long now) {
        d.onIdleRestart(now);
      }
    };
    TcpConfig cfg = TcpConfig.builder().congestionControl(counting).build();
    TcpTransferTest.transfer(59, 2 << 20, cfg, n -> {
      n.loss = 0.01;
      n.delay = 5 * MS;
    }, 600 * S);
    assertThat(events[0]).isPositive();
    assertThat(events[1]).isPositive();
  }
}
