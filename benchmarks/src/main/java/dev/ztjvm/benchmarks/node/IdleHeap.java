package dev.ztjvm.benchmarks.node;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Heap retained per idle node: starts a {@link LocalZeroTier}, measures the used heap after full GCs, starts
 * {@code N} nodes (online, one network joined and ready, a listening server socket each), lets them idle, measures
 * again; prints (after - before) / N. Baseline in the same run: N JDK server sockets plus UDP sockets on loopback
 * (what a process holds for the same role without ZeroTier). Run:
 * {@code java -Xmx1g -cp benchmarks/target/benchmarks.jar dev.ztjvm.benchmarks.node.IdleHeap [N]}.
 */
public final class IdleHeap {

  private IdleHeap() {}

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("heap", "10.147.91.0/24", "10.147.91.10", "10.147.91.250", false);
      // warm the code paths once so that class loading and JIT data are not counted per node
      try (ZeroTierNode warm = zt.nodeBuilder().build()) {
        warm.awaitNetworkReady(nwid, Duration.ofSeconds(30));
      }
      long before = usedAfterGc();
      List<AutoCloseable> nodes = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ZeroTierNode node = zt.nodeBuilder().build();
        nodes.add(node);
        node.awaitNetworkReady(nwid, Duration.ofSeconds(30));
        nodes.add(node.newServerSocket(8080));
      }
      Thread.sleep(5000); // idle: keepalives, peer scans
      long after = usedAfterGc();
      System.out.printf("zerotier: %d idle nodes, heap per node %.2f MiB (before %.1f MiB, after %.1f MiB)%n", n,
          (after - before) / (double) n / (1 << 20), before / (double) (1 << 20), after / (double) (1 << 20));
      for (AutoCloseable c : nodes) {
        c.close();
      }
    }
    long before = usedAfterGc();
    List<AutoCloseable> jdk = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      jdk.add(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()));
      jdk.add(new DatagramSocket(0, InetAddress.getLoopbackAddress()));
    }
    long after = usedAfterGc();
    System.out.printf("jdk: %d server + UDP socket pairs, heap per pair %.4f MiB%n", n,
        (after - before) / (double) n / (1 << 20));
    for (AutoCloseable c : jdk) {
      c.close();
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    MemoryMXBean m = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 4; i++) {
      System.gc();
      Thread.sleep(200);
    }
    return m.getHeapMemoryUsage().getUsed();
  }
}
