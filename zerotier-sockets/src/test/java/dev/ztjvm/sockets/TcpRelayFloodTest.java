package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.underlay.Prefix;
import dev.ztjvm.underlay.TcpRelayServer;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * 5,000 idle TCP connections against a relay (what once ran a relay out of heap at ~566): the relay stays at its cap,
 * holds no buffers for them, and a legitimate relayed node still comes online, joins a network and answers pings.
 */
class TcpRelayFloodTest {

  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final int CONNECTIONS = 5_000;
  private static final int SOURCE_ADDRESSES = 200; // 25 each: under the per-address cap, so the global cap is what holds

  private static long usedHeapAfterGc() {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return m.getHeapMemoryUsage().getUsed();
  }

  @Test
  void idleConnectionsAreCappedWithBoundedHeapAndARelayedNodeKeepsWorking() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    try (LocalZeroTier zt = LocalZeroTier.start();
        TcpRelayServer relay = TcpRelayServer.start(new InetSocketAddress(lo, 0), lo,
            TcpRelayServer.Options.DEFAULTS.allowDestinations(List.of(Prefix.parse("127.0.0.0/8"))))) {
      int cap = relay.options().maxClients();
      assertThat(cap).isEqualTo(1024);
      long heapBefore = usedHeapAfterGc();
      List<Socket> idle = new ArrayList<>(CONNECTIONS);
      try {
        long mostConnected = 0;
        for (int i = 0; i < CONNECTIONS; i++) {
          Socket s = new Socket();
          byte[] from = {127, 1, 0, (byte) (1 + i % SOURCE_ADDRESSES)};
          s.bind(new InetSocketAddress(InetAddress.getByAddress(from), 0));
          s.connect(relay.localAddress(), 30_000);
          idle.add(s);
          mostConnected = Math.max(mostConnected, relay.clientsConnected());
        }
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (relay.clientsAccepted() + relay.clientsRefused() < CONNECTIONS && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
        assertThat(relay.clientsAccepted() + relay.clientsRefused()).isEqualTo(CONNECTIONS);
        assertThat(mostConnected).isLessThanOrEqualTo(cap);
        assertThat(relay.clientsConnected()).isLessThanOrEqualTo(cap);
        // the places went to newcomers: the oldest silent clients made room (or timed out waiting for a hello)
        assertThat(relay.clientsEvicted() + relay.clientsTimedOut() + relay.clientsRefused())
            .isGreaterThanOrEqualTo(CONNECTIONS - cap);
        assertThat(relay.clientBufferBytes()).as("idle clients hold no buffers").isZero();
        long heapGrowth = usedHeapAfterGc() - heapBefore;
        assertThat(heapGrowth).as("heap growth with %d idle connections", CONNECTIONS).isLessThan(32L << 20);
        System.out.printf("relay flood: %d connections, %d connected, %d evicted, %d timed out, %d refused,"
            + " heap growth %d KiB%n", CONNECTIONS, relay.clientsConnected(), relay.clientsEvicted(),
            relay.clientsTimedOut(), relay.clientsRefused(), heapGrowth >> 10); // the figures in docs/reliability.md

        // a legitimate node, forced onto the relay, while the idle connections stay open
        long nwid = zt.createPrivateNetwork("flood", "10.147.64.0/24", "10.147.64.10", "10.147.64.20", false);
        try (ZeroTierNode a = zt.nodeBuilder().tcpRelay(relay.localAddress()).forceTcpRelay(true).build();
            ZeroTierNode b = zt.nodeBuilder().build()) {
          a.start();
          b.start();
          a.awaitOnline(WAIT);
          a.join(nwid);
          b.join(nwid);
          deadline = System.nanoTime() + WAIT.toNanos();
          while (!(zt.members(nwid).contains(a.nodeId()) && zt.members(nwid).contains(b.nodeId()))
              && System.nanoTime() < deadline) {
            Thread.sleep(20);
          }
          zt.authorize(nwid, a.nodeId());
          zt.authorize(nwid, b.nodeId());
          a.awaitNetworkReady(nwid, WAIT);
          InetAddress b4 = b.awaitNetworkReady(nwid, WAIT).ipv4().orElseThrow();
          assertThat(a.ping(b4, Duration.ofSeconds(20))).isPositive();
          assertThat(a.isTcpRelayActive()).isTrue();
          assertThat(relay.clientsConnected()).isLessThanOrEqualTo(cap);
        }
      } finally {
        for (Socket s : idle) {
          s.close();
        }
      }
    }
  }
}
