package dev.ztjvm.network;

import dev.ztjvm.netstack.FrameSink;
import dev.ztjvm.vl2.MulticastGroup;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The virtual Ethernet port of one joined network: the seam between ZeroTier and a local network stack (our netstack, a
 * TAP device, a test). Frames that arrive from the network are handed to the {@linkplain #setReceiver receiver}; the
 * local stack sends with {@link #sendFrame(byte[], int, int)}. Frames are complete Ethernet II frames (destination,
 * source, EtherType, payload; no FCS, no VLAN tag).
 *
 * <p>The receiver is called on the node's loop thread. {@link #sendFrame} may be called from any thread: off the loop
 * the frame is copied and handed over to the loop.
 */
public final class VirtualTap implements FrameSink {

  private final NetworkManager manager;
  private final long networkId;
  private final long mac;
  private volatile @Nullable FrameSink receiver;
  private volatile int mtu = dev.ztjvm.vl2.NetworkConfig.DEFAULT_MTU;
  private volatile boolean closed;
  private final Set<MulticastGroup> groups = new CopyOnWriteArraySet<>();
  final AtomicLong framesToStack = new AtomicLong();
  final AtomicLong framesFromStack = new AtomicLong();
  final AtomicLong framesDropped = new AtomicLong();

  VirtualTap(NetworkManager manager, long networkId, long mac) {
    this.manager = manager;
    this.networkId = networkId;
    this.mac = mac;
  }

  /** The network this port belongs to. */
  public long networkId() {
    return networkId;
  }

  /** This node's MAC address on the network (spec 8.1); the local stack must use it as its source MAC. */
  public long mac() {
    return mac;
  }

  /** The network's MTU (IP MTU of the virtual interface; 2800 until a config says otherwise). */
  public int mtu() {
    return mtu;
  }

  void setMtu(int mtu) {
    this.mtu = mtu;
  }

  /**
   * Sets where frames from the network go (the local stack's receive function), or null to discard them. The sink is
   * called on the node's loop; the array is reused after the call returns.
   */
  public void setReceiver(@Nullable FrameSink receiver) {
    this.receiver = receiver;
  }

  /**
   * Sends one Ethernet frame from the local stack into the network (unicast, multicast or broadcast). Frames that
   * cannot go anywhere (no config yet, rules drop them, unknown destination) are dropped and counted.
   */
  @Override
  public void sendFrame(byte[] frame, int off, int len) {
    if (closed || len < 14) {
      framesDropped.incrementAndGet();
      return;
    }
    framesFromStack.incrementAndGet();
    if (manager.loop().inLoop()) {
      manager.outbound(this, frame, off, len);
    } else {
      byte[] copy = Arrays.copyOfRange(frame, off, off + len);
      manager.loop().execute(() -> manager.outbound(this, copy, 0, copy.length));
    }
  }

  /**
   * Subscribes the local stack to a multicast group (what an OS does when a program joins a group); the group is
   * announced with MULTICAST_LIKE. The ARP and IPv6 solicited-node groups of managed addresses are subscribed
   * automatically.
   */
  public void subscribe(MulticastGroup group) {
    if (groups.add(Objects.requireNonNull(group, "group"))) {
      manager.loop().execute(() -> manager.groupsChanged(networkId));
    }
  }

  /** Leaves a multicast group joined with {@link #subscribe}. */
  public void unsubscribe(MulticastGroup group) {
    groups.remove(group);
  }

  /** Groups joined with {@link #subscribe}. */
  public Set<MulticastGroup> subscriptions() {
    return Set.copyOf(groups);
  }

  /** Frames delivered to the local stack so far. */
  public long framesToStack() {
    return framesToStack.get();
  }

  /** Frames the local stack sent so far. */
  public long framesFromStack() {
    return framesFromStack.get();
  }

  /** Frames dropped in either direction (no config, gate, rules, closed). */
  public long framesDropped() {
    return framesDropped.get();
  }

  /** Whether the network was left (the port carries nothing any more). */
  public boolean isClosed() {
    return closed;
  }

  void close() {
    closed = true;
    receiver = null;
  }

  boolean deliver(byte[] frame, int off, int len) {
    FrameSink r = receiver;
    if (closed || r == null) {
      framesDropped.incrementAndGet();
      return false;
    }
    framesToStack.incrementAndGet();
    r.sendFrame(frame, off, len);
    return true;
  }
}
