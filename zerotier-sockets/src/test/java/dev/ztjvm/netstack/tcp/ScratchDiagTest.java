package dev.ztjvm.netstack.tcp;

import static dev.ztjvm.netstack.tcp.SimNetwork.MS;
import static dev.ztjvm.netstack.tcp.SimNetwork.S;

import org.junit.jupiter.api.Test;

class ScratchDiagTest {
  @Test
  void diag() {
    for (long seed = 1; seed <= 3; seed++) {
      long t0 = 1000 * S;
      var r = TcpTransferTest.transfer(100 + seed, 3 << 20, TcpConfig.defaults(), n -> {
        n.loss = 0.05; n.duplicate = 0.03; n.reorder = 0.05; n.corrupt = 0.02; n.delay = 5 * MS; n.jitter = 2 * MS;
        n.bandwidth = 50_000_000;
      }, 3600 * S);
      System.out.println("heavy vt=" + (r.net().now - t0) / MS + "ms " + r.clientStats());
    }
    long t0 = 1000 * S;
    var r = TcpTransferTest.transfer(5, 20 << 20, TcpConfig.defaults(), n -> {
      n.delay = 10 * MS; n.bandwidth = 100_000_000; n.maxQueueNanos = 20 * MS;
    }, 3600 * S);
    System.out.println("congest vt=" + (r.net().now - t0) / MS + "ms " + r.clientStats());
    t0 = 1000 * S;
    r = TcpTransferTest.transfer(5, 20 << 20, TcpConfig.defaults(), n -> { n.delay = 10 * MS; n.loss = 0.01; }, 3600 * S);
    System.out.println("loss1% vt=" + (r.net().now - t0) / MS + "ms " + r.clientStats());
  }
}
