package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TcpBasicTest {

  private static final TcpConfig CFG = TcpConfig.defaults();

  @Test
  void handshakeNegotiatesOptionsAndDataFlowsBothWays() {
    Pair p = new Pair(1, CFG).listen(80, 8);
    p.net.record = true;
    Recorder cr = new Recorder();
    TcpConnection c = p.connect(80, cr);
    assertThat(c.state()).isEqualTo(TcpState.SYN_SENT);
    p.net.runUntil(() -> cr.connected && p.accepted.size() == 1, 5 * S);
    TcpConnection s = p.accepted.get(0);
    assertThat(c.state()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(s.state()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(c.negotiatedOptions()).isEqualTo(7);
    assertThat(s.negotiatedOptions()).isEqualTo(7);
    assertThat(c.mss()).isEqualTo(2760 - 12); // MTU 2800 - 40, minus the timestamp option
    // SYN carries MSS, WS, SACK-permitted, TS
    SegView syn = p.net.seen.get(0).seg();
    assertThat(syn.syn()).isTrue();
    assertThat(syn.ackFlag()).isFalse();
    assertThat(syn.headerLen()).isEqualTo(40);
    SegView synAck = p.net.seen.get(1).seg();
    assertThat(synAck.syn() && synAck.ackFlag()).isTrue();
    assertThat(synAck.ack()).isEqualTo(syn.seq() + 1);

    Pair.writeAll(c, Pair.ascii("hello server"));
    Pair.writeAll(s, Pair.ascii("hello client"));
    p.net.pollAll();
    Recorder sr = p.serverRecorders.get(0);
    p.net.runUntil(() -> sr.text().equals("hello server") && cr.text().equals("hello client"), 5 * S);
    assertThat(p.client.tcp.stats().connectionsOpened()).isEqualTo(1);
    assertThat(p.server.tcp.stats().connectionsAccepted()).isEqualTo(1);
  }

  @Test
  void halfCloseKeepsTheOtherDirectionOpen() {
    Pair p = new Pair(2, CFG).listen(80, 8);
    Recorder cr = new Recorder();
    TcpConnection c = p.connectAccepted(80, cr);
    TcpConnection s = p.accepted.get(0);
    Recorder sr = p.serverRecorders.get(0);
    Pair.writeAll(c, Pair.ascii("request"));
    c.shutdownOutput();
    p.net.pollAll();
    p.net.runUntil(() -> sr.eof && c.state() == TcpState.FIN_WAIT_2, 5 * S);
    assertThat(sr.text()).isEqualTo("request");
    assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_2);
    assertThat(s.state()).isEqualTo(TcpState.CLOSE_WAIT);
    assertThatThrownBy(() -> c.write(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
    // the server still answers after the client's half-close
    Pair.writeAll(s, Pair.ascii("response after half-close"));
    s.close();
    p.net.pollAll();
    p.net.runUntil(() -> cr.eof, 5 * S);
    assertThat(cr.text()).isEqualTo("response after half-close");
    p.net.runUntil(() -> s.state() == TcpState.CLOSED, 5 * S);
    assertThat(c.state()).isEqualTo(TcpState.TIME_WAIT);
    assertThat(cr.closed).isTrue();
    assertThat(cr.cause).isNull();
  }

  @Test
  void simultaneousOpen() {
    SimNetwork net = new SimNetwork(3);
    SimNetwork.Node a = net.addNode(SimNetwork.v4(10, 0, 0, 1), CFG);
    SimNetwork.Node b = net.addNode(SimNetwork.v4(10, 0, 0, 2), CFG);
    net.record = true;
    Recorder ra = new Recorder();
    Recorder rb = new Recorder();
    TcpConnection ca = a.tcp.connect(a.addr, 5000, b.addr, 6000, ra);
    TcpConnection cb = b.tcp.connect(b.addr, 6000, a.addr, 5000, rb);
    net.pollAll(); // both SYNs leave before either arrives
    net.runUntil(() -> ra.connected && rb.connected, 5 * S);
    assertThat(ca.state()).isEqualTo(TcpState.ESTABLISHED);
    assertThat(cb.state()).isEqualTo(TcpState.ESTABLISHED);
    // both sides sent a bare SYN, then a SYN-ACK
    long bareSyns = net.seen.stream().filter(x -> x.seg().syn() && !x.seg().ackFlag()).count();
    long synAcks = net.seen.stream().filter(x -> x.seg().syn() && x.seg().ackFlag()).count();
    assertThat(bareSyns).isEqualTo(2);
    assertThat(synAcks).isEqualTo(2);
    Pair.writeAll(ca, Pair.ascii("ping"));
    Pair.writeAll(cb, Pair.ascii("pong"));
    net.pollAll();
    net.runUntil(() -> ra.text().equals("pong") && rb.text().equals("ping"), 5 * S);
  }

  @Test
  void simultaneousCloseGoesThroughClosing() {
    Pair p = new Pair(4, CFG).listen(80, 8);
    Recorder cr = new Recorder();
    TcpConnection c = p.connectAccepted(80, cr);
    TcpConnection s = p.accepted.get(0);
    p.net.runFor(100 * MS);
    c.close();
    s.close();
    p.net.pollAll(); // both FINs are on the wire before either arrives
    assertThat(c.state()).isEqualTo(TcpState.FIN_WAIT_1);
    assertThat(s.state()).isEqualTo(TcpState.FIN_WAIT_1);
    java.util.Set<TcpState> seenStates = new java.util.HashSet<>();
    p.net.runUntil(() -> {
      seenStates.add(c.state());
      return c.state() == TcpState.TIME_WAIT && s.state() == TcpState.TIME_WAIT;
    }, 5 * S);
    assertThat(seenStates).contains(TcpState.CLOSING);
    assertThat(cr.closed).isTrue();
    assertThat(cr.cause).isNull();
  }

  @Test
  void timeWaitLastsTwoMslThenTheConnectionIsGone() {
    TcpConfig cfg = CFG.toBuilder().mslNanos(5 * S).build();
    Pair p = new Pair(5, cfg).listen(80, 8);
    TcpConnection c = p.connectAccepted(80, new Recorder());
    TcpConnection s = p.accepted.get(0);
    c.close();
    p.net.pollAll();
    p.net.runUntil(() -> s.state() == TcpState.CLOSE_WAIT, 5 * S);
    s.close();
    p.net.pollAll();
    p.net.runUntil(() -> c.state() == TcpState.TIME_WAIT, 5 * S);
    long enteredAt = p.net.now;
    assertThat(p.client.tcp.connectionCount()).isEqualTo(1);
    p.net.runUntil(() -> c.state() == TcpState.CLOSED, 60 * S);
    long waited = p.net.now - enteredAt;
    assertThat(waited).isBetween(10 * S - 10 * MS, 10 * S + 10 * MS);
    assertThat(p.client.tcp.connectionCount()).isZero();
  }

  @Test
  void segmentToClosedPortIsAnsweredWithRstAndConnectFails() {
    Pair p = new Pair(6, CFG); // nobody listens
    p.net.record = true;
    Recorder cr = new Recorder();
    TcpConnection c = p.connect(81, cr);
    p.net.runUntil(() -> cr.closed, 5 * S);
    assertThat(cr.cause).isEqualTo(TcpError.CONNECTION_REFUSED);
    assertThat(c.state()).isEqualTo(TcpState.CLOSED);
    assertThat(c.error()).isEqualTo(TcpError.CONNECTION_REFUSED);
    SimNetwork.Seen rst = p.net.seen.get(1);
    assertThat(rst.seg().rst()).isTrue();
    assertThat(rst.seg().ackFlag()).isTrue();
    assertThat(rst.seg().ack()).isEqualTo(p.net.seen.get(0).seg().seq() + 1);
    assertThat(p.server.tcp.stats().noListener()).isEqualTo(1);
    assertThat(p.server.tcp.stats().resetsOut()).isEqualTo(1);
    assertThat(p.client.tcp.stats().connectionsFailed()).isEqualTo(1);
  }

  @Test
  void abortSendsRstAndThePeerSeesReset() {
    Pair p = new Pair(7, CFG).listen(80, 8);
    Recorder cr = new Recorder();
    TcpConnection c = p.connectAccepted(80, cr);
    Recorder sr = p.serverRecorders.get(0);
    c.abort();
    p.net.runUntil(() -> sr.closed, 5 * S);
    assertThat(sr.cause).isEqualTo(TcpError.CONNECTION_RESET);
    assertThat(p.accepted.get(0).read(new byte[10], 0, 10)).isEqualTo(-1);
  }

  @Test
  void closeWithUnreadDataResets() {
    Pair p = new Pair(8, CFG).listen(80, 8);
    Recorder cr = new Recorder();
    cr.autoRead = false;
    TcpConnection c = p.connectAccepted(80, cr);
    Pair.writeAll(p.accepted.get(0), Pair.ascii("unread"));
    p.net.pollAll();
    p.net.runUntil(() -> c.available() == 6, 5 * S);
    c.close();
    Recorder sr = p.serverRecorders.get(0);
    p.net.runUntil(() -> sr.closed, 5 * S);
    assertThat(sr.cause).isEqualTo(TcpError.CONNECTION_RESET);
  }
}
