package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 1,000 concurrent connections over a lossy simulated link all complete. */
class TcpManyConnectionsTest {

  /** Server side: hashes what arrives and, at end of stream, answers with the 32-byte digest and closes. */
  static final class DigestEcho implements TcpHandler {
    final Bulk.Sink sink = new Bulk.Sink();

    DigestEcho() {
      sink.closeOnEof = false;
    }

    @Override
    public void onReadable(TcpConnection c) {
      boolean wasEof = sink.eof;
      sink.onReadable(c);
      if (sink.eof && !wasEof) {
        byte[] h = sink.hash();
        Pair.writeAll(c, h);
        c.close();
      }
    }
  }

  @Test
  void thousandConcurrentConnectionsComplete() {
    int n = 1000;
    TcpConfig cfg = TcpConfig.builder().initialBufferSize(4096).sendBufferSize(64 * 1024)
        .receiveBufferSize(64 * 1024).synBacklog(2048).mslNanos(2 * S).build();
    SimNetwork net = new SimNetwork(41);
    net.loss = 0.01;
    net.delay = 2 * MS;
    net.jitter = MS;
    net.bandwidth = 200_000_000;
    SimNetwork.Node server = net.addNode(SimNetwork.v4(10, 1, 0, 1), cfg);
    List<SimNetwork.Node> clientNodes = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      clientNodes.add(net.addNode(SimNetwork.v4(10, 1, 1, 1 + i), cfg));
    }
    List<TcpConnection> serverSide = new ArrayList<>();
    server.tcp.listen(null, 443, 1024, l -> {
      TcpConnection c;
      while ((c = l.accept()) != null) {
        serverSide.add(c);
        DigestEcho h = new DigestEcho();
        c.setHandler(h);
        h.onReadable(c);
      }
    });
    List<Bulk.Source> sources = new ArrayList<>();
    List<TcpConnection> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Bulk.Source src = new Bulk.Source(4096 + 37L * i, 1000 + i);
      src.reverse.kept = new java.io.ByteArrayOutputStream();
      src.reverse.closeOnEof = true;
      sources.add(src);
      SimNetwork.Node from = clientNodes.get(i % clientNodes.size());
      clients.add(from.tcp.connect(server.addr, 443, src));
    }
    net.pollAll();
    int[] maxConcurrent = {0};
    net.runUntil(() -> {
      maxConcurrent[0] = Math.max(maxConcurrent[0], server.tcp.connectionCount());
      for (Bulk.Source s : sources) {
        if (!s.closed) {
          return false;
        }
      }
      return true;
    }, 600 * S);
    for (int i = 0; i < n; i++) {
      Bulk.Source s = sources.get(i);
      assertThat(s.cause).as("connection " + i).isNull();
      assertThat(s.reverse.kept.toByteArray()).as("connection " + i).isEqualTo(s.hash());
    }
    assertThat(serverSide).hasSize(n);
    assertThat(server.tcp.stats().connectionsAccepted()).isEqualTo(n);
    assertThat(maxConcurrent[0]).isGreaterThanOrEqualTo(n / 2);
    // after TIME_WAIT everything is gone
    net.runFor(10 * S);
    assertThat(server.tcp.connectionCount()).isZero();
    for (SimNetwork.Node c : clientNodes) {
      assertThat(c.tcp.connectionCount()).isZero();
    }
  }

}
