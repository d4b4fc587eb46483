package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Bulk transfers over faulty simulated links must arrive complete and intact (equal SHA-256). */
class TcpTransferTest {

  record Result(Bulk.Source source, Bulk.Sink sink, TcpStats clientStats, TcpStats serverStats, SimNetwork net) {}

  static Result transfer(long seed, long bytes, TcpConfig cfg, java.util.function.Consumer<SimNetwork> faults,
      long maxVirtual) {
    Pair p = new Pair(seed, cfg);
    faults.accept(p.net);
    List<Bulk.Sink> sinks = new ArrayList<>();
    p.server.tcp.listen(null, 5001, 4, l -> {
      TcpConnection c;
      while ((c = l.accept()) != null) {
        Bulk.Sink s = new Bulk.Sink();
        sinks.add(s);
        c.setHandler(s);
        s.onReadable(c);
      }
    });
    Bulk.Source src = new Bulk.Source(bytes, seed * 31 + 7);
    p.client.tcp.connect(p.server.addr, 5001, src);
    p.net.runUntil(() -> !sinks.isEmpty() && sinks.get(0).eof && src.closed, maxVirtual);
    Bulk.Sink sink = sinks.get(0);
    String msg = "seed " + seed;
    assertThat(sink.received).as(msg).isEqualTo(bytes);
    assertThat(sink.hash()).as(msg).isEqualTo(src.hash());
    assertThat(src.cause).as(msg).isNull();
    return new Result(src, sink, p.client.tcp.stats(), p.server.tcp.stats(), p.net);
  }

  @Test
  void cleanLinkTransfersFourMegabytes() {
    Result r = transfer(11, 4 << 20, TcpConfig.defaults(), n -> {}, 60 * S);
    assertThat(r.clientStats().retransmits()).isZero();
    assertThat(r.serverStats().checksumErrors()).isZero();
  }

  @Test
  void heavyFaultsSeveralMegabytes() {
    for (long seed = 1; seed <= 4; seed++) {
      Result r = transfer(100 + seed, 3 << 20, TcpConfig.defaults(), n -> {
        n.loss = 0.05;
        n.duplicate = 0.03;
        n.reorder = 0.05;
        n.corrupt = 0.02;
        n.delay = 5 * MS;
        n.jitter = 2 * MS;
        n.bandwidth = 50_000_000;
      }, 3600 * S);
      assertThat(r.clientStats().retransmits()).isPositive();
      assertThat(r.serverStats().checksumErrors() + r.clientStats().checksumErrors()).isPositive();
      assertThat(r.serverStats().outOfOrderSegments()).isPositive();
    }
  }

  @Test
  void hundredMegabytesWithModerateFaults() {
    Result r = transfer(7, 100L << 20, TcpConfig.defaults(), n -> {
      n.loss = 0.005;
      n.duplicate = 0.005;
      n.reorder = 0.01;
      n.corrupt = 0.002;
      n.delay = 2 * MS;
      n.jitter = MS;
      n.bandwidth = 500_000_000;
    }, 3600 * S);
    assertThat(r.serverStats().checksumErrors() + r.clientStats().checksumErrors()).isPositive();
    assertThat(r.clientStats().fastRetransmits()).isPositive();
  }
}
