package dev.ztjvm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.testing.FaultyUdpProxy;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Damaged underlay traffic between a node and its root: every bad datagram is dropped and counted, nothing escapes the
 * loop, and good traffic keeps flowing.
 */
class Vl1FaultInjectionTest {

  @Test
  void badDatagramsAreCountedAndGoodTrafficContinues() throws Exception {
    java.util.List<java.util.logging.LogRecord> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
    java.util.logging.Handler capture =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
              problems.add(r);
            }
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    java.util.logging.Logger.getLogger("dev.ztjvm").addHandler(capture);
    try {
      run(problems);
    } finally {
      java.util.logging.Logger.getLogger("dev.ztjvm").removeHandler(capture);
    }
  }

  private void run(java.util.List<java.util.logging.LogRecord> problems) throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    try (FaultyUdpProxy proxy = new FaultyUdpProxy(new InetSocketAddress(lo, rootPort), 42);
        EventLoop rootLoop = new EventLoop("root").start();
        EventLoop aLoop = new EventLoop("a").start()) {
      World planet = LoopbackPlanet.withRoot(rootId, proxy.clientFacingPort());
      Vl1Node root = new Vl1Node(NodeHarness.rootConfig(rootId, planet, lo, rootPort), rootLoop);
      Vl1Node a = new Vl1Node(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member1"), planet, lo), aLoop);
      Set<Integer> received = ConcurrentHashMap.newKeySet();
      root.addListener(
          new Vl1Listener() {
            @Override
            public void onUserMessage(long source, long typeId, byte[] payload) {
              received.add(ByteBuffer.wrap(payload).getInt());
            }
          });
      root.startOnLoop().get(10, TimeUnit.SECONDS);
      a.startOnLoop().get(10, TimeUnit.SECONDS);
      awaitTrue(a::online);

      long rootDropsBefore = root.counters().totalDrops();
      long aDropsBefore = a.counters().totalDrops();
      proxy.setFaults(new FaultyUdpProxy.Faults(0.05, 0.05, 0.05, 0.08, 0.08, 0.08));
      int messages = 400;
      for (int i = 0; i < messages; i++) {
        int n = i;
        aLoop.call(
            () -> a.sendUserMessage(rootId.address(), 0x10000 + 1, ByteBuffer.allocate(4).putInt(n).array()),
            Duration.ofSeconds(5));
        if (i % 20 == 0) {
          Thread.sleep(5);
        }
      }
      Thread.sleep(500);
      proxy.setFaults(FaultyUdpProxy.Faults.NONE);
      Thread.sleep(300); // let in-flight damaged datagrams land before counting

      // Every damaged datagram was dropped exactly once, on the side it was delivered to.
      assertThat(proxy.badToServer()).isPositive();
      assertThat(root.counters().totalDrops() - rootDropsBefore)
          .as(() -> "drops at root: " + root.counters().drops())
          .isEqualTo(proxy.badToServer());
      assertThat(a.counters().totalDrops() - aDropsBefore)
          .as(() -> "drops at a: " + a.counters().drops())
          .isEqualTo(proxy.badToClient());
      for (Vl1Node n : new Vl1Node[] {root, a}) {
        assertThat(n.counters().drops(Vl1Counters.Drop.INTERNAL_ERROR))
            .as(() -> problems.isEmpty() ? "" : problems.get(0).getMessage() + ": "
                + java.util.Arrays.toString(problems.get(0).getThrown().getStackTrace()).replace(", ", "\n  ")
                + "\n" + problems.get(0).getThrown())
            .isZero();
      }
      assertThat(root.counters().drops(Vl1Counters.Drop.MAC_FAILED)).isPositive();
      assertThat(root.counters().drops(Vl1Counters.Drop.MALFORMED)).isPositive();

      // Most messages got through the damage (about 80 % survive the rates above), none twice-counted as distinct.
      assertThat(received.size()).isGreaterThan(messages * 6 / 10).isLessThanOrEqualTo(messages);

      // Afterwards the path works normally: echoes answered.
      for (int i = 0; i < 5; i++) {
        CompletableFuture<Long> rtt = new CompletableFuture<>();
        aLoop.call(() -> a.echo(rootId.address(), rtt::complete), Duration.ofSeconds(5));
        assertThat(rtt.get(10, TimeUnit.SECONDS)).isPositive();
      }
      assertThat(a.online()).isTrue();
      a.close();
      root.close();
    }
  }

  private static void awaitTrue(java.util.function.BooleanSupplier c) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!c.getAsBoolean()) {
      assertThat(System.nanoTime()).as("timed out").isLessThan(deadline);
      Thread.sleep(20);
    }
  }
}
