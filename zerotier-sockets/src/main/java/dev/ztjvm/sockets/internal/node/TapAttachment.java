package dev.ztjvm.sockets.internal.node;

import dev.ztjvm.network.VirtualTap;
import dev.ztjvm.vl2.IpPrefix;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * What both ways of attaching a joined network share: the network's {@link VirtualTap}, the managed addresses in use
 * on the attached interface (with the events for each one that comes or goes) and which address families have become
 * ready. {@link NetworkAttachment} attaches the in-JVM stack, {@link HostNetworkAttachment} an OS interface. Loop
 * only.
 */
public abstract sealed class TapAttachment permits NetworkAttachment, HostNetworkAttachment {

  /** Address family bit of {@link #newlyReady()}: IPv4. */
  static final int READY_V4 = 1;
  /** Address family bit of {@link #newlyReady()}: IPv6. */
  static final int READY_V6 = 2;

  private final long networkId;
  private final VirtualTap tap;
  private final Set<IpPrefix> applied = new HashSet<>();
  private boolean readyV4;
  private boolean readyV6;
  private boolean closed;

  TapAttachment(long networkId, VirtualTap tap) {
    this.networkId = networkId;
    this.tap = tap;
  }

  public final long networkId() {
    return networkId;
  }

  public final VirtualTap tap() {
    return tap;
  }

  /** Whether the attached interface holds at least one managed address of the network. */
  public final boolean transportReady() {
    return !applied.isEmpty();
  }

  final boolean isClosed() {
    return closed;
  }

  /**
   * Makes the managed addresses in use equal to {@code wanted}: each one that goes is first handed to
   * {@code remove} and then reported to {@code changes}, then each new one (in {@code wanted}'s order) is handed to
   * {@code add} and reported.
   */
  final void adoptAddresses(List<IpPrefix> wanted, Consumer<IpPrefix> remove, Consumer<IpPrefix> add,
      NetworkAttachment.Changes changes) {
    Set<IpPrefix> now = new HashSet<>(wanted);
    for (IpPrefix p : List.copyOf(applied)) {
      if (!now.contains(p)) {
        remove.accept(p);
        applied.remove(p);
        changes.addressRemoved(networkId, p.address(), p.bits());
      }
    }
    for (IpPrefix p : wanted) {
      if (applied.add(p)) {
        add.accept(p);
        changes.addressAdded(networkId, p.address(), p.bits());
      }
    }
  }

  /** Whether an address in use has exactly {@code target}'s prefix length and lies inside it. */
  final boolean coveredByAddress(IpPrefix target) {
    for (IpPrefix a : applied) {
      if (a.bits() == target.bits() && target.contains(a.address())) {
        return true;
      }
    }
    return false;
  }

  /**
   * The address families ({@link #READY_V4}, {@link #READY_V6}) that hold an address now and did not at the last
   * call.
   */
  final int newlyReady() {
    boolean v4 = applied.stream().anyMatch(IpPrefix::isIpv4);
    boolean v6 = applied.stream().anyMatch(p -> !p.isIpv4());
    int ready = (v4 && !readyV4 ? READY_V4 : 0) | (v6 && !readyV6 ? READY_V6 : 0);
    readyV4 = v4;
    readyV6 = v6;
    return ready;
  }

  /** Stops the tap's frame flow to the attached interface; false if that was done before (detach is idempotent). */
  final boolean stopFrames() {
    if (closed) {
      return false;
    }
    closed = true;
    tap.setReceiver(null);
    return true;
  }
}
