package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Randomised end-to-end runs: option sets, buffer sizes, MSS, Nagle and delayed-ACK settings and link faults are
 * drawn from a seed; both directions carry data at once, and both streams must arrive intact with an orderly close.
 */
class TcpChaosTest {

  @Test
  void shortChaosRun() {
    for (long seed = 1; seed <= 12; seed++) {
      run(seed, 400_000);
    }
  }

  @Test
  @Tag("fuzz")
  void longChaosRun() {
    for (long seed = 1000; seed < 3000; seed++) {
      run(seed, 2_000_000);
    }
  }

  static long DEBUG_SEED = -1;

  static void dump(SimNetwork n) {
    int from = Math.max(0, n.seen.size() - 60);
    for (int i = from; i < n.seen.size(); i++) {
      SimNetwork.Seen x = n.seen.get(i);
      Segment s = new Segment();
      s.parse(x.raw(), 0, x.raw().length);
      System.out.println("TRACE " + x.time() / 1000 + "us " + (x.from() == n.nodes.get(0) ? "C>S" : "S>C") + " seq="
          + Integer.toUnsignedString(s.seq) + " ack=" + Integer.toUnsignedString(s.ack) + " fl=" + s.flags + " len="
          + s.dataLen + " win=" + s.window + " ts=" + s.tsVal + "/" + s.tsEcr + " sack=" + s.sackBlocks
          + (x.dropped() ? " DROP" : ""));
    }
  }

  static void run(long seed, int maxBytes) {
    Random r = new Random(seed);
    int[] bufs = {4096, 16 * 1024, 64 * 1024, 1 << 20};
    int[] msses = {536, 1460, 2760};
    TcpConfig.Builder b = TcpConfig.builder()
        .sack(r.nextInt(4) != 0)
        .timestamps(r.nextInt(4) != 0)
        .windowScaling(r.nextInt(4) != 0)
        .sendBufferSize(bufs[r.nextInt(bufs.length)])
        .receiveBufferSize(bufs[r.nextInt(bufs.length)])
        .initialBufferSize(1024)
        .maxMss(msses[r.nextInt(msses.length)])
        .noDelay(r.nextBoolean())
        .delayedAckNanos(r.nextBoolean() ? 40 * MS : 200 * MS)
        .maxOutOfOrderRanges(1 + r.nextInt(32));
    TcpConfig a = b.build();
    TcpConfig c = b.sack(r.nextInt(4) != 0).receiveBufferSize(bufs[r.nextInt(bufs.length)]).build();
    Pair p = new Pair(seed, a, c);
    SimNetwork n = p.net;
    n.loss = r.nextDouble() * 0.08;
    n.duplicate = r.nextDouble() * 0.04;
    n.reorder = r.nextDouble() * 0.1;
    n.corrupt = r.nextDouble() * 0.03;
    n.delay = (long) (r.nextDouble() * 20 * MS) + 50_000;
    n.jitter = (long) (r.nextDouble() * 5 * MS);
    n.bandwidth = r.nextBoolean() ? 0 : 5_000_000 + r.nextInt(100_000_000);
    String desc = "seed " + seed + " cfgA=" + a + " cfgB=" + c + " loss=" + n.loss + " dup=" + n.duplicate
        + " reorder=" + n.reorder + " corrupt=" + n.corrupt + " delay=" + n.delay + " bw=" + n.bandwidth;
    long up = r.nextInt(maxBytes);
    long down = r.nextInt(maxBytes);
    List<Bulk.Source> serverSources = new ArrayList<>();
    p.server.tcp.listen(null, 99, 4, l -> {
      TcpConnection x;
      while ((x = l.accept()) != null) {
        Bulk.Source s = new Bulk.Source(down, seed * 7);
        s.reverse.closeOnEof = false;
        serverSources.add(s);
        x.setHandler(s);
        s.onConnected(x);
        s.onReadable(x);
      }
    });
    Bulk.Source client = new Bulk.Source(up, seed * 3);
    client.reverse.closeOnEof = false;
    p.client.tcp.connect(p.server.addr, 99, client);
    n.record = Boolean.getBoolean("chaos.trace") || DEBUG_SEED == seed;
    try {
      n.runUntil(() -> client.closed && !serverSources.isEmpty() && serverSources.get(0).closed, 24 * 3600 * S);
    } catch (AssertionError e) {
      dump(n);
      throw new AssertionError(desc + ": " + e.getMessage() + " client=" + p.client.tcp.stats(), e);
    }
    Bulk.Source server = serverSources.get(0);
    if (client.cause != null || server.cause != null) {
      dump(n);
    }
    assertThat(client.cause).as(desc).isNull();
    assertThat(server.cause).as(desc).isNull();
    assertThat(server.reverse.received).as(desc).isEqualTo(up);
    assertThat(client.reverse.received).as(desc).isEqualTo(down);
    assertThat(server.reverse.hash()).as(desc).isEqualTo(client.hash());
    assertThat(client.reverse.hash()).as(desc).isEqualTo(server.hash());
  }
}
