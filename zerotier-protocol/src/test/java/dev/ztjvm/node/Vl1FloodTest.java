package dev.ztjvm.node;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Counters.Drop;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.Fragments;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.world.World;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Issue 16 point 1: a root under a spoofed-source flood (random ZeroTier source addresses, random packet kinds, from
 * two UDP sockets on one address, aiming at 110k packets/s together) for 30 s keeps its heap growth within
 * 64 MB, serves a node that comes up during the flood (online within 5 s, its ECHO answered within 5 s), and
 * accounts for every datagram it received: delivered, relayed, dropped under a reason, or still pending. The figures
 * it prints are the ones in docs/reliability.md.
 *
 * <p>Loopback shares one /24, so the root here has no per-/24 new-identity interval (as every lab root); the flood
 * comes from 127.0.0.3 and the legitimate node from 127.0.0.2, as an attacker and a victim have different addresses.
 */
class Vl1FloodTest {

  private static final long FLOOD_NANOS = TimeUnit.SECONDS.toNanos(30);
  private static final long HEAP_GROWTH_LIMIT = 64L << 20;
  private static final int FLOODERS = 2;
  /** Offered load aimed at (all senders together); they send as fast as they can if the machine is slower. */
  private static final long TARGET_PER_SECOND = 110_000;

  @Test
  void rootSurvivesSpoofedSourceFloodAndKeepsServing() throws Exception {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    InetAddress rootIp = InetAddress.getByName("127.0.0.1");
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    try (NodeHarness nodes = new NodeHarness()) {
      Vl1Node root = nodes.start(NodeHarness.rootConfig(rootId, planet, rootIp, rootPort), "flood-root");
      long heapBefore = usedHeapAfterGc(memory);

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong sent = new AtomicLong();
      AtomicLong peakHeap = new AtomicLong();
      // Two sockets on one spoofing address, paced to 110k datagrams/s together (the rate reached is printed and
      // recorded in docs/reliability.md).
      List<Thread> flooders = new java.util.ArrayList<>();
      for (int i = 0; i < FLOODERS; i++) {
        long seed = 0x9E3779B97F4A7C15L * (i + 1);
        Thread t = new Thread(() -> flood(new InetSocketAddress(rootIp, rootPort), root.address(), seed, stop, sent),
            "flooder-" + i);
        t.setDaemon(true);
        flooders.add(t);
      }
      long start = System.nanoTime();
      flooders.forEach(Thread::start);

      // The legitimate node starts once the flood is in full swing.
      Thread.sleep(10_000);
      long legitStart = System.nanoTime();
      Vl1Node leaf = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member1"), planet,
          InetAddress.getByName("127.0.0.2")), "flood-leaf");
      NodeHarness.await("legitimate node online during the flood", leaf::online, Duration.ofSeconds(5));
      long onlineMillis = (System.nanoTime() - legitStart) / 1_000_000;
      // Like ping: an ECHO every 500 ms until one is answered (a single datagram may be lost in the flood).
      CompletableFuture<Long> rtt = new CompletableFuture<>();
      long pingStart = System.nanoTime();
      int pings = 0;
      while (!rtt.isDone() && System.nanoTime() - pingStart < TimeUnit.SECONDS.toNanos(5)) {
        NodeHarness.on(leaf, () -> leaf.echo(root.address(), rtt::complete));
        pings++;
        try {
          rtt.get(500, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException notYet) {
          // send another
        }
      }
      assertThat(rtt).as("an ECHO answered within 5 s").isDone();
      long rttNanos = rtt.get();

      while (System.nanoTime() - start < FLOOD_NANOS) {
        peakHeap.accumulateAndGet(memory.getHeapMemoryUsage().getUsed() - heapBefore, Math::max);
        Thread.sleep(200);
      }
      stop.set(true);
      for (Thread t : flooders) {
        t.join(10_000);
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      // Measured while the holds and reassembly slots are still full: the worst steady state.
      long heapGrowth = usedHeapAfterGc(memory) - heapBefore;

      // Let the last datagrams drain from the socket, then check the books on the loop.
      long[] last = {-1};
      NodeHarness.await("root's receive queue drained", () -> {
        long now = root.counters().datagramsIn();
        boolean quiet = now == last[0];
        last[0] = now;
        return quiet;
      }, Duration.ofSeconds(30));
      Vl1Counters c = root.counters();
      long[] books = NodeHarness.on(root, () -> new long[] {
          c.datagramsIn(), c.delivered(), c.relayed(), c.undelivered(), root.pendingDatagrams(), c.rejected(),
          c.totalDrops(), root.whoisBacklog().addresses(), root.whoisBacklog().heldBytes(), root.peerCount()});
      Map<Drop, Long> drops = c.drops();

      System.out.printf(
          "FLOOD: sent %,d datagrams in %.1f s (%,.0f/s); root received %,d (%,.0f/s): delivered %,d, relayed %,d,"
              + " dropped %,d, pending %,d; heap growth after GC %,d KiB (peak before GC %,d KiB);"
              + " legitimate node online after %d ms, ECHO RTT %.1f ms (ECHOs sent %d);"
              + " WHOIS table %d addresses / %,d bytes;"
              + " peers %d; drops %s%n",
          sent.get(), seconds, sent.get() / seconds, books[0], books[0] / seconds, books[1], books[2], books[3],
          books[4], heapGrowth >> 10, peakHeap.get() >> 10, onlineMillis, rttNanos / 1e6, pings, books[7], books[8],
          books[9], drops);

      assertThat(books[0]).as("datagrams the root received").isPositive();
      assertThat(books[0])
          .as("every datagram received is delivered, relayed, dropped under a reason, or pending")
          .isEqualTo(books[1] + books[2] + books[3] + books[4]);
      assertThat(books[6]).as("drops by reason add up to the drops counted").isEqualTo(books[3] + books[5]);
      assertThat(drops.get(Drop.HOLD_LIMIT)).as("random sources pushed out of the WHOIS hold").isPositive();
      assertThat(drops.get(Drop.RATE_LIMITED)).as("new-identity HELLOs refused before key agreement").isPositive();
      assertThat(drops.get(Drop.MAC_FAILED))
          .as("key agreements for the flood's HELLOs: at most the per-source budget (8/s) over the run")
          .isLessThanOrEqualTo(8L * ((long) seconds + 2));
      assertThat(drops.get(Drop.INTERNAL_ERROR)).isZero();
      assertThat(books[7]).isLessThanOrEqualTo(Vl1Limits.DEFAULT.maxWhoisPending());
      assertThat(books[8]).isLessThanOrEqualTo(Vl1Limits.DEFAULT.maxHeldBytes());
      assertThat(heapGrowth).as("heap growth after GC, bytes").isLessThanOrEqualTo(HEAP_GROWTH_LIMIT);
      assertThat(root.failure()).isNull();
    }
  }

  private static long usedHeapAfterGc(MemoryMXBean memory) throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  /**
   * Sends, as fast as one socket can, packets from random ZeroTier addresses: 70% ordinary packets to the root (each
   * from an address it never heard of, up to 1,400 bytes), 10% fragments of packets that never complete, 10% HELLOs
   * (half with a well-formed identity that fails its key agreement or MAC, half garbage), 10% packets for other
   * addresses that the root has no route to.
   */
  private static void flood(
      InetSocketAddress to, long rootAddress, long seed, AtomicBoolean stop, AtomicLong sent) {
    byte[] buf = new byte[1500];
    long x = seed;
    long count = 0;
    long begin = System.nanoTime();
    long perSecond = TARGET_PER_SECOND / FLOODERS;
    byte[][] hellos = new byte[3][];
    int h = 0;
    for (String name : List.of("controller", "libzt", "member2")) {
      Hello hello = new Hello(Packet.PROTOCOL_VERSION, 1, 14, 1, System.currentTimeMillis(),
          LoopbackPlanet.labIdentity(name), to, 0, 0, List.of());
      int n = hello.write(buf, 0, 1, rootAddress);
      hellos[h++] = java.util.Arrays.copyOf(buf, n);
    }
    try (DatagramChannel ch = DatagramChannel.open()) {
      ch.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
      ch.connect(to);
      ByteBuffer bb = ByteBuffer.wrap(buf);
      while (!stop.get()) {
        x ^= x << 13;
        x ^= x >>> 7;
        x ^= x << 17;
        long source = (x >>> 8) & 0xff_ffff_ffffL | 0x01_0000_0000L;
        int kind = (int) Long.remainderUnsigned(x, 10);
        int len;
        if (kind < 7) {
          len = Packet.HEADER_LENGTH + (int) ((x >>> 40) % 1372);
          Packet.writeHeader(buf, 0, x, rootAddress, source, Verb.FRAME);
          buf[Packet.IDX_FLAGS] = (byte) 0x08; // suite 1, no hops
          buf[Packet.IDX_VERB] = (byte) (x >>> 3 & 0x1f);
        } else if (kind == 7) {
          len = Fragments.HEADER_LENGTH + 200;
          Packet.writeHeader(buf, 0, x, rootAddress, source, Verb.NOP);
          buf[Fragments.IDX_INDICATOR] = (byte) 0xff;
          buf[Fragments.IDX_COUNTS] = (byte) (0x30 | 1 + (int) (x >>> 50 & 1)); // fragment 1 or 2 of 3
          buf[Fragments.IDX_HOPS] = 0;
        } else if (kind == 8 && (x & 2) == 0) {
          // A well-formed HELLO of an identity the root does not know, with a forged MAC: costs a key agreement
          // unless the per-source / global gate refuses it first.
          byte[] hello = hellos[(int) ((x >>> 20) % hellos.length)];
          System.arraycopy(hello, 0, buf, 0, hello.length);
          Packet.setPacketId(buf, 0, x);
          len = hello.length;
        } else if (kind == 8) {
          Packet.writeHeader(buf, 0, x, rootAddress, source, Verb.HELLO);
          buf[Packet.IDX_FLAGS] = 0; // suite 0
          buf[Packet.IDX_PAYLOAD] = (byte) Packet.PROTOCOL_VERSION;
          int p = Hello.IDX_IDENTITY;
          for (int i = 4; i >= 0; i--) {
            buf[p + i] = (byte) (source >>> (8 * (4 - i)));
          }
          buf[p + 5] = 0;
          long k = x;
          for (int i = 0; i < 64; i++) {
            k = k * 6364136223846793005L + 1442695040888963407L;
            buf[p + 6 + i] = (byte) (k >>> 56);
          }
          buf[p + 70] = 0;
          if ((x & 1) == 0) {
            buf[p + 5] = 7; // unknown identity type: malformed
          }
          len = p + 71 + 40;
        } else {
          len = Packet.HEADER_LENGTH + 64;
          Packet.writeHeader(buf, 0, x, source ^ 0x55_5555_5555L, source, Verb.FRAME);
        }
        bb.clear().limit(len);
        ch.write(bb);
        if ((++count & 1023) == 0) {
          sent.addAndGet(1024);
        }
        if ((count & 63) == 0) {
          long due = (System.nanoTime() - begin) * perSecond / 1_000_000_000L;
          while (count > due && !stop.get()) {
            java.util.concurrent.locks.LockSupport.parkNanos(100_000);
            due = (System.nanoTime() - begin) * perSecond / 1_000_000_000L;
          }
        }
      }
      sent.addAndGet(count & 1023);
    } catch (Exception e) {
      if (!stop.get()) {
        throw new AssertionError("flooder failed", e);
      }
    }
  }
}
