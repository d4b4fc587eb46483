package dev.ztjvm.netstack.tcp;

import dev.ztjvm.netstack.ip.IpSender;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A simulated IP-level network for TCP tests: every node is a {@link TcpStack} whose {@link IpSender} puts
 * payloads on a shared event queue; a virtual clock jumps to the next delivery or timer. Faults (loss, duplication,
 * reordering, delay with jitter, bit corruption, a bandwidth-limited drop-tail queue) are drawn from one seeded
 * {@link Random}, so a run is reproducible from its seed.
 */
final class SimNetwork {
  static final long MS = 1_000_000L;
  static final long S = 1_000_000_000L;

  /** One segment seen on the wire (for sniffing tests). */
  record Seen(long time, Node from, Node to, SegView seg, boolean dropped, byte[] raw) {}

  /** Decides to drop a particular segment deterministically (tests of recovery). */
  @FunctionalInterface
  interface DropRule {
    boolean drop(Node from, SegView seg);
  }

  /** Extra one-way delay for a particular segment (tests of spurious timeouts); 0 for none. */
  @FunctionalInterface
  interface DelayRule {
    long extraDelay(Node from, SegView seg);
  }

  private record Packet(long time, long order, Node from, Node to, byte[] data) {}

  final Random rnd;
  long now = 1_000 * S; // start away from 0 so timer arithmetic is exercised
  double loss;
  double duplicate;
  double reorder;
  double corrupt;
  long delay = MS;
  long jitter;
  long reorderExtra = 3 * MS;
  /** Bytes per second per sending node; 0 = unlimited. */
  long bandwidth;
  /** Tail-drop when a node's queue would hold more than this many nanoseconds of traffic. */
  long maxQueueNanos = 50 * MS;
  @Nullable DropRule dropRule;
  @Nullable DelayRule delayRule;
  boolean record;
  /** When set, nothing is delivered; every sent segment is checked (checksum, header) and counted instead. */
  boolean blackhole;
  long blackholed;
  long invalidSent;
  final List<Seen> seen = new ArrayList<>();
  long delivered;
  long droppedByFault;
  long corrupted;

  private final PriorityQueue<Packet> queue = new PriorityQueue<>((a, b) -> a.time != b.time ? Long.compare(a.time,
      b.time) : Long.compare(a.order, b.order));
  private long order;
  final List<Node> nodes = new ArrayList<>();

  SimNetwork(long seed) {
    this.rnd = new Random(seed);
  }

  /** A host with one address. */
  final class Node implements IpSender, LocalAddresses {
    final byte[] addr;
    final TcpStack tcp;
    int mtu = 2800;
    long linkFreeAt;
    boolean down;

    Node(byte[] addr, TcpConfig config, long seed) {
      this.addr = addr;
      this.tcp = new TcpStack(this, this, config, seed);
    }

    @Override
    public boolean send(byte[] src, byte[] dst, int protocol, byte[] payload, int off, int len) {
      if (blackhole) {
        blackholed++;
        long sum = dev.ztjvm.netstack.ip.InternetChecksum.pseudoHeader(src, dst, protocol, len);
        if (dev.ztjvm.netstack.ip.InternetChecksum.finish(
            dev.ztjvm.netstack.ip.InternetChecksum.add(sum, payload, off, len)) != 0
            || !new Segment().parse(payload, off, len) || len > maxPayload(dst)) {
          invalidSent++;
        }
        return true;
      }
      Node to = nodeFor(dst);
      byte[] data = Arrays.copyOfRange(payload, off, off + len);
      SegView view = record || dropRule != null || delayRule != null ? SegView.parse(data) : null;
      if (to == null || down) {
        return false;
      }
      boolean drop = dropRule != null && dropRule.drop(this, view);
      if (!drop && loss > 0 && rnd.nextDouble() < loss) {
        drop = true;
      }
      long t = now + (delayRule != null ? delayRule.extraDelay(this, view) : 0);
      if (!drop && bandwidth > 0) {
        long start = Math.max(now, linkFreeAt);
        if (start - now > maxQueueNanos) {
          drop = true;
        } else {
          linkFreeAt = start + (len + 40) * S / bandwidth;
          t = linkFreeAt;
        }
      }
      if (record) {
        seen.add(new Seen(now, this, to, view, drop, data.clone()));
      }
      if (drop) {
        droppedByFault++;
        return true;
      }
      // a duplicate is copied before corruption so each copy carries at most one flipped bit (always caught by
      // the checksum; two flips in one packet could cancel out)
      byte[] dup = duplicate > 0 && rnd.nextDouble() < duplicate ? data.clone() : null;
      enqueue(t, to, data);
      if (dup != null) {
        enqueue(t, to, dup);
      }
      return true;
    }

    private void enqueue(long t, Node to, byte[] data) {
      long d = t + delay + (jitter > 0 ? (long) (rnd.nextDouble() * jitter) : 0);
      if (reorder > 0 && rnd.nextDouble() < reorder) {
        d += (long) (rnd.nextDouble() * reorderExtra);
      }
      if (corrupt > 0 && rnd.nextDouble() < corrupt) {
        int bit = rnd.nextInt(data.length * 8);
        data[bit >>> 3] ^= (byte) (1 << (bit & 7));
        corrupted++;
      }
      queue.add(new Packet(d, order++, this, to, data));
    }

    @Override
    public int maxPayload(byte[] dst) {
      return mtu - (dst.length == 4 ? 20 : 40);
    }

    @Override
    public boolean isLocal(byte[] address) {
      return Arrays.equals(address, addr);
    }

    @Override
    public byte @Nullable [] sourceFor(byte[] remote) {
      return remote.length == addr.length ? addr.clone() : null;
    }

    @Override
    public String toString() {
      return "node" + Arrays.toString(addr);
    }
  }

  Node addNode(byte[] addr, TcpConfig config) {
    Node n = new Node(addr, config, rnd.nextLong());
    nodes.add(n);
    return n;
  }

  static byte[] v4(int a, int b, int c, int d) {
    return new byte[] {(byte) a, (byte) b, (byte) c, (byte) d};
  }

  private @Nullable Node nodeFor(byte[] dst) {
    for (Node n : nodes) {
      if (Arrays.equals(n.addr, dst)) {
        return n;
      }
    }
    return null;
  }

  /** Next event time (packet or timer), or Long.MAX_VALUE. */
  long nextEvent() {
    long t = queue.isEmpty() ? Long.MAX_VALUE : queue.peek().time;
    for (Node n : nodes) {
      t = Math.min(t, n.tcp.nextDeadline());
    }
    return t;
  }

  /** Processes one event; false if nothing is scheduled. */
  boolean step() {
    long t = nextEvent();
    if (t == Long.MAX_VALUE) {
      return false;
    }
    now = Math.max(now, t);
    Packet p = queue.peek();
    if (p != null && p.time <= now) {
      queue.poll();
      delivered++;
      p.to.tcp.receive(p.from.addr, p.to.addr, p.data, 0, p.data.length, now);
    }
    for (Node n : nodes) {
      if (n.tcp.nextDeadline() <= now) {
        n.tcp.poll(now);
      }
    }
    return true;
  }

  /** Runs until {@code done} holds; fails if the network goes idle first or virtual time passes the limit. */
  void runUntil(BooleanSupplier done, long maxVirtualNanos) {
    long limit = now + maxVirtualNanos;
    while (!done.getAsBoolean()) {
      if (nextEvent() > limit) {
        throw new AssertionError("condition not reached within " + maxVirtualNanos / MS + " ms of virtual time");
      }
      if (!step()) {
        throw new AssertionError("network idle before the condition was reached");
      }
    }
  }

  /** Runs all events up to {@code now + nanos}. */
  void runFor(long nanos) {
    long limit = now + nanos;
    while (nextEvent() <= limit) {
      step();
    }
    now = Math.max(now, limit);
  }

  /** Pokes every stack (after user operations outside callbacks). */
  void pollAll() {
    for (Node n : nodes) {
      n.tcp.poll(now);
    }
  }
}
