package dev.ztjvm.netstack.testing;

import dev.ztjvm.netstack.FrameSink;
import dev.ztjvm.netstack.InterfaceConfig;
import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.jspecify.annotations.Nullable;

/**
 * A simulated Ethernet segment (a learning-free switch) between any number of endpoints, with seeded faults:
 * loss, duplication, reordering, delay and corruption. Frames are copied when sent and delivered by
 * {@link #deliverDue()} when their time on the {@link VirtualClock} has come, never re-entrantly. Unicast frames
 * go to the port with that MAC (or everywhere if none has it), group frames to every other port.
 */
public final class SimulatedLink {

  /** Something attached to the link that takes frames. */
  public interface Endpoint {
    /** The endpoint's MAC (for unicast delivery), or -1 to receive only floods and group frames. */
    long mac();

    void receive(byte[] frame, int off, int len, long nowNanos);
  }

  /** Sees every frame as sent (before faults), e.g. for assertions or a capture. */
  public interface Observer {
    void frameSent(int fromPort, byte[] frame, int len, long nowNanos);
  }

  private record Event(long time, long seq, int port, byte[] frame) implements Comparable<Event> {
    @Override
    public int compareTo(Event o) {
      int c = Long.compare(time, o.time);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }

  private final VirtualClock clock;
  private final Random random;
  private LinkFaults faults;
  private final List<Endpoint> endpoints = new ArrayList<>();
  private final PriorityQueue<Event> inFlight = new PriorityQueue<>();
  private long seq;
  private @Nullable Observer observer;

  private long framesSent;
  private long framesDelivered;
  private long framesLost;
  private long framesDuplicated;
  private long framesReordered;
  private long framesCorrupted;

  public SimulatedLink(VirtualClock clock, long seed, LinkFaults faults) {
    this.clock = clock;
    this.random = new Random(seed);
    this.faults = faults;
  }

  public VirtualClock clock() {
    return clock;
  }

  public void setFaults(LinkFaults faults) {
    this.faults = faults;
  }

  public LinkFaults faults() {
    return faults;
  }

  public void setObserver(@Nullable Observer observer) {
    this.observer = observer;
  }

  /** Attaches a new {@link NetworkInterface} with {@code config}. */
  public NetworkInterface attach(InterfaceConfig config) {
    NetworkInterface[] holder = new NetworkInterface[1];
    int port = endpoints.size();
    long mac = config.mac().value();
    endpoints.add(new Endpoint() {
      @Override
      public long mac() {
        return mac;
      }

      @Override
      public void receive(byte[] frame, int off, int len, long nowNanos) {
        holder[0].receiveFrame(frame, off, len, nowNanos);
      }
    });
    holder[0] = new NetworkInterface(config, sinkFor(port));
    return holder[0];
  }

  /** Attaches any endpoint; returns the sink through which it sends. */
  public FrameSink attach(Endpoint endpoint) {
    int port = endpoints.size();
    endpoints.add(endpoint);
    return sinkFor(port);
  }

  private FrameSink sinkFor(int port) {
    return (frame, off, len) -> send(port, frame, off, len);
  }

  /** Puts a frame on the wire from {@code fromPort}. */
  public void send(int fromPort, byte[] frame, int off, int len) {
    framesSent++;
    byte[] copy = Arrays.copyOfRange(frame, off, off + len);
    Observer o = observer;
    if (o != null) {
      o.frameSent(fromPort, copy, len, clock.now());
    }
    long dst = len >= 6 ? Ethernet.destination(copy, 0) : MacAddress.BROADCAST.value();
    boolean flood = MacAddress.isMulticast(dst);
    int target = -1;
    if (!flood) {
      for (int i = 0; i < endpoints.size(); i++) {
        if (i != fromPort && endpoints.get(i).mac() == dst) {
          target = i;
          break;
        }
      }
    }
    for (int i = 0; i < endpoints.size(); i++) {
      if (i == fromPort || (target >= 0 && i != target)) {
        continue;
      }
      schedule(i, copy);
    }
  }

  private void schedule(int port, byte[] frame) {
    LinkFaults f = faults;
    if (f.loss() > 0 && random.nextDouble() < f.loss()) {
      framesLost++;
      return;
    }
    int copies = 1;
    if (f.duplicate() > 0 && random.nextDouble() < f.duplicate()) {
      copies = 2;
      framesDuplicated++;
    }
    for (int c = 0; c < copies; c++) {
      byte[] data = frame;
      if (f.corrupt() > 0 && random.nextDouble() < f.corrupt() && frame.length > 0) {
        data = frame.clone();
        int pos = random.nextInt(data.length);
        data[pos] ^= (byte) (1 + random.nextInt(255));
        framesCorrupted++;
      }
      long delay = f.delayNanos() + (f.jitterNanos() > 0 ? (long) (random.nextDouble() * f.jitterNanos()) : 0);
      if (f.reorder() > 0 && random.nextDouble() < f.reorder()) {
        delay += f.reorderDelayNanos();
        framesReordered++;
      }
      inFlight.add(new Event(clock.now() + delay, seq++, port, data));
    }
  }

  /** Time of the next delivery, or {@link Long#MAX_VALUE}. */
  public long nextDelivery() {
    Event e = inFlight.peek();
    return e == null ? Long.MAX_VALUE : e.time;
  }

  /** Delivers every frame due at the clock's current time; returns how many. */
  public int deliverDue() {
    int n = 0;
    long now = clock.now();
    while (!inFlight.isEmpty() && inFlight.peek().time <= now) {
      Event e = inFlight.poll();
      framesDelivered++;
      n++;
      endpoints.get(e.port).receive(e.frame, 0, e.frame.length, now);
    }
    return n;
  }

  public int inFlight() {
    return inFlight.size();
  }

  public long framesSent() {
    return framesSent;
  }

  public long framesDelivered() {
    return framesDelivered;
  }

  public long framesLost() {
    return framesLost;
  }

  public long framesDuplicated() {
    return framesDuplicated;
  }

  public long framesReordered() {
    return framesReordered;
  }

  public long framesCorrupted() {
    return framesCorrupted;
  }
}
