package dev.ztjvm.benchmarks.netstack;

import dev.ztjvm.netstack.FrameSink;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.tcp.TcpConfig;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;

/**
 * Two interfaces joined by a lossless in-memory wire, driven in one thread with the real monotonic clock. Frames
 * are copied into recycled buffers (one copy per frame, as a real link would), never delivered re-entrantly.
 */
final class MemoryLink {

  private static final class Frame {
    final byte[] data;
    int len;

    Frame(int size) {
      data = new byte[size];
    }
  }

  private final class Port implements FrameSink {
    final ArrayDeque<Frame> queue = new ArrayDeque<>();
    NetworkInterface target;

    @Override
    public void sendFrame(byte[] frame, int off, int len) {
      Frame f = pool.poll();
      if (f == null || f.data.length < len) {
        f = new Frame(Math.max(len, frameSize));
      }
      System.arraycopy(frame, off, f.data, 0, len);
      f.len = len;
      queue.add(f);
    }
  }

  final NetworkInterface a;
  final NetworkInterface b;
  final InetAddress addressA;
  final InetAddress addressB;
  private final Port toB = new Port();
  private final Port toA = new Port();
  private final ArrayDeque<Frame> pool = new ArrayDeque<>();
  private final int frameSize;

  MemoryLink(int mtu, TcpConfig tcp) {
    frameSize = mtu + 14;
    a = new NetworkInterface(InterfaceConfig.builder(MacAddress.parse("02:00:00:00:00:0a")).mtu(mtu).build(), toB);
    b = new NetworkInterface(InterfaceConfig.builder(MacAddress.parse("02:00:00:00:00:0b")).mtu(mtu).build(), toA);
    toB.target = b;
    toA.target = a;
    try {
      addressA = InetAddress.getByName("10.9.0.1");
      addressB = InetAddress.getByName("10.9.0.2");
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
    a.addAddress(addressA, 24);
    b.addAddress(addressB, 24);
    a.enableTcp(tcp, 1);
    b.enableTcp(tcp, 2);
  }

  /** Delivers queued frames and runs due timers until the wire is idle. */
  void pump() {
    long now = System.nanoTime();
    for (int rounds = 0; rounds < 1_000_000; rounds++) {
      boolean moved = deliver(toB, now);
      if (rounds >= 100_000 && rounds < 100_004 && Boolean.getBoolean("memorylink.debug")) {
        System.out.println("LIVELOCK after delivering to B: toA=" + toA.queue.size());
        dump(toA, "B->A");
      }
      moved |= deliver(toA, now);
      if (a.nextDeadline() <= now) {
        a.poll(now);
        moved = true;
      }
      if (b.nextDeadline() <= now) {
        b.poll(now);
        moved = true;
      }
      if (!moved && toA.queue.isEmpty() && toB.queue.isEmpty()) {
        return;
      }
      if (rounds >= 100_000 && rounds < 100_004 && Boolean.getBoolean("memorylink.debug")) {
        System.out.println("LIVELOCK round " + rounds + " toB=" + toB.queue.size() + " toA=" + toA.queue.size());
        dump(toB, "A->B");
        dump(toA, "B->A");
      }
    }
  }

  private void dump(Port port, String dir) {
    for (Frame f : port.queue) {
      int o = 34;
      if (f.len >= o + 20) {
        System.out.println(dir + " len=" + f.len + " seq=" + Integer.toUnsignedString(dev.ztjvm.netstack.Bytes.i32(
            f.data, o + 4))
            + " ack=" + Integer.toUnsignedString(dev.ztjvm.netstack.Bytes.i32(f.data, o + 8)) + " flags=" + Integer
                .toHexString(f.data[o + 13] & 0xff)
            + " win=" + dev.ztjvm.netstack.Bytes.u16(f.data, o + 14)
            + " opts=" + java.util.HexFormat.of().formatHex(f.data, o + 20, Math.min(f.len, o + ((f.data[o + 12]
                & 0xf0) >>> 2))));
      }
    }
  }

  private boolean deliver(Port port, long now) {
    boolean any = false;
    Frame f;
    while ((f = port.queue.poll()) != null) {
      port.target.receiveFrame(f.data, 0, f.len, now);
      pool.add(f);
      any = true;
    }
    return any;
  }
}
