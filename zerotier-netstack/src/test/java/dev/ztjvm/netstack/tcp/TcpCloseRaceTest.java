package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * End-of-connection races seen against Linux: the peer in LAST_ACK retransmits its FIN (timeout or tail-loss
 * probe) while our ACK of the first copy is still on its way, and both copies reach us at the same moment (e.g. after
 * the event loop stalled). Our ACK of the first copy closes the peer; a second ACK would then meet a closed port and
 * draw a RST.
 */
class TcpCloseRaceTest {

  /** A connection the client closed first: the client in FIN_WAIT_2, the server in CLOSE_WAIT. */
  private record HalfClosed(Pair pair, TcpConnection client, TcpConnection server) {
    static HalfClosed open(long seed) {
      Pair p = new Pair(seed, TcpConfig.defaults()).listen(7, 4);
      Recorder rec = new Recorder();
      TcpConnection c = p.connect(7, rec);
      p.net.runUntil(() -> !p.accepted.isEmpty() && rec.connected, 5 * S);
      TcpConnection server = p.accepted.get(0);
      c.close();
      p.net.pollAll();
      p.net.runUntil(() -> c.state() == TcpState.FIN_WAIT_2 && server.state() == TcpState.CLOSE_WAIT, 5 * S);
      return new HalfClosed(p, c, server);
    }
  }

  @Test
  void aFinRetransmissionCrossingOurAckIsNotAnsweredTwice() {
    HalfClosed h = HalfClosed.open(41);
    Pair p = h.pair();
    TcpConnection server = h.server();
    // the server's first FIN is held back exactly one server RTO, so it arrives together with the retransmission
    long rto = server.rtoNanos();
    int[] fins = {0};
    p.net.delayRule = (from, seg) -> from == p.server && (seg.flags() & Segment.FIN) != 0 && fins[0]++ == 0 ? rto : 0;
    server.close();
    p.net.pollAll();
    p.net.runFor(10 * S);
    assertThat(fins[0]).as("FIN copies sent by the server").isEqualTo(2);
    assertThat(server.state()).isEqualTo(TcpState.CLOSED);
    assertThat(p.server.tcp.stats().resetsOut()).as("RSTs drawn by a second ACK").isZero();
    assertThat(p.client.tcp.stats().resetsIn()).isZero();
  }

  @Test
  void aFinRetransmittedBecauseOurAckWasLostIsStillAnswered() {
    HalfClosed h = HalfClosed.open(42);
    Pair p = h.pair();
    TcpConnection c = h.client();
    TcpConnection server = h.server();
    // the client's first ACK of the server's FIN is lost
    int[] clientAcks = {0};
    p.net.dropRule = (from, seg) -> from == p.client && c.state() == TcpState.TIME_WAIT && clientAcks[0]++ == 0;
    server.close();
    p.net.pollAll();
    p.net.runFor(10 * S);
    assertThat(clientAcks[0]).as("ACKs the client sent in TIME_WAIT").isEqualTo(2);
    assertThat(p.server.tcp.stats().retransmits()).isPositive();
    assertThat(server.state()).isEqualTo(TcpState.CLOSED);
    assertThat(p.server.tcp.stats().resetsOut()).isZero();
    assertThat(p.client.tcp.stats().resetsIn()).isZero();
  }
}
