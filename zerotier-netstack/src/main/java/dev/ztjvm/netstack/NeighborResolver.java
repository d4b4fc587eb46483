package dev.ztjvm.netstack;

import dev.ztjvm.netstack.arp.Arp;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.internal.Counters;
import dev.ztjvm.netstack.ip.IpProtocolHandler;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Neighbour resolution of one {@link NetworkInterface} for both families (smoltcp's {@code iface/neighbor.rs}): the
 * ARP and NDP caches, packets waiting for a next hop, solicitation retries and their timeouts (which fail the waiting
 * packets with a host-unreachable error to their transport). Confined to the loop.
 */
final class NeighborResolver {

  private final NetworkInterface iface;
  private final NeighborCache arpCache;
  private final NeighborCache ndCache;

  NeighborResolver(NetworkInterface iface, int maxNeighbors) {
    this.iface = iface;
    this.arpCache = new NeighborCache(maxNeighbors);
    this.ndCache = new NeighborCache(maxNeighbors);
  }

  NeighborCache.@Nullable Entry ipv4Entry(int address) {
    return arpCache.get(0, address & 0xffffffffL);
  }

  NeighborCache.@Nullable Entry ipv6Entry(byte[] address) {
    return ndCache.get(Bytes.u64(address, 0), Bytes.u64(address, 8));
  }

  /** The cached MAC of a neighbour, or {@code null} if not (yet) resolved. */
  @Nullable
  MacAddress neighbor(InetAddress address) {
    byte[] a = address.getAddress();
    NeighborCache.Entry e = a.length == 4 ? ipv4Entry(Bytes.i32(a, 0)) : ipv6Entry(a);
    return e != null && e.resolved() ? new MacAddress(e.mac) : null;
  }

  /** Holds a packet until {@code hop} is resolved, starting resolution; false if its queue is full. */
  boolean queue(
      boolean v6, NeighborCache.@Nullable Entry e, byte[] hop, byte[] src, byte[] dst, int protocol,
      byte[] payload, int off, int len, int hopLimit) {
    NeighborCache cache = v6 ? ndCache : arpCache;
    Counters ipc = v6 ? iface.ip6 : iface.ip4;
    long now = iface.now();
    if (e == null) {
      e = v6 ? cache.create(Bytes.u64(hop, 0), Bytes.u64(hop, 8), hop, now)
          : cache.create(0, Bytes.i32(hop, 0) & 0xffffffffL, hop, now);
    }
    ArrayDeque<PendingPacket> q = e.pending;
    if (q == null) {
      q = new ArrayDeque<>();
      e.pending = q;
    }
    if (q.size() >= iface.config().neighborQueuePackets()) {
      ipc.dropOverflow();
      return false;
    }
    q.add(new PendingPacket(src, dst, protocol, Arrays.copyOfRange(payload, off, off + len), hopLimit));
    if (!e.resolving) {
      e.resolving = true;
      e.requestsSent = 0;
      cache.resolving.add(e);
      solicit(v6, e);
    }
    return true;
  }

  /** A resolved entry past its reachable time is confirmed again (the packet still goes to the cached MAC). */
  void refreshIfStale(NeighborCache.Entry e, boolean v6) {
    if (!e.resolving && iface.now() - e.reachableUntil >= 0) {
      e.resolving = true;
      e.requestsSent = 0;
      (v6 ? ndCache : arpCache).resolving.add(e);
      solicit(v6, e);
    }
  }

  private void solicit(boolean v6, NeighborCache.Entry e) {
    e.requestsSent++;
    e.nextRequestAt = iface.now() + iface.config().neighborRetryNanos();
    if (v6) {
      byte[] src = iface.routing.sourceV6(e.address);
      if (src != null) {
        iface.ipv6.sendNeighborSolicitation(src, e.address, true);
      }
    } else {
      int target = Bytes.i32(e.address, 0);
      int src = iface.routing.sourceV4(target);
      if (src != 0) {
        iface.ipv4.sendArp(Arp.OP_REQUEST, MacAddress.BROADCAST.value(), src, 0, target);
      }
    }
  }

  /** Retries due solicitations and gives up on neighbours that did not answer. */
  void poll() {
    poll(arpCache, false);
    poll(ndCache, true);
  }

  private void poll(NeighborCache cache, boolean v6) {
    long now = iface.now();
    ArrayList<NeighborCache.Entry> list = cache.resolving;
    for (int i = list.size() - 1; i >= 0; i--) {
      NeighborCache.Entry e = list.get(i);
      if (now - e.nextRequestAt < 0) {
        continue;
      }
      if (e.requestsSent < iface.config().neighborMaxRequests()) {
        solicit(v6, e);
        continue;
      }
      // Resolution failed: the neighbour is gone.
      list.remove(i);
      e.resolving = false;
      cache.remove(e);
      Counters c = v6 ? iface.nd : iface.arp;
      c.timeouts++;
      ArrayDeque<PendingPacket> q = e.pending;
      e.pending = null;
      if (q != null) {
        Counters ipc = v6 ? iface.ip6 : iface.ip4;
        for (PendingPacket p : q) {
          ipc.dropTimeout();
          notifyUnreachable(p);
        }
      }
    }
  }

  private void notifyUnreachable(PendingPacket p) {
    IpProtocolHandler h = iface.handler(p.protocol());
    if (h != null) {
      h.icmpError(IcmpErrorKind.HOST_UNREACHABLE, p.src(), p.dst(), p.payload(), 0, p.payload().length, 0,
          iface.now());
    }
  }

  /** The next solicitation retry, or {@link Long#MAX_VALUE}. */
  long nextDeadline() {
    return Math.min(nextDeadline(arpCache), nextDeadline(ndCache));
  }

  private static long nextDeadline(NeighborCache cache) {
    long next = Long.MAX_VALUE;
    ArrayList<NeighborCache.Entry> list = cache.resolving;
    for (int i = 0, n = list.size(); i < n; i++) {
      next = Math.min(next, list.get(i).nextRequestAt);
    }
    return next;
  }

  /**
   * Records a neighbour's MAC. Creates the entry only if {@code create}; sends what waited for it.
   *
   * @return whether an entry was created or updated
   */
  boolean learn(boolean v6, byte[] address, long neighborMac, boolean create) {
    NeighborCache cache = v6 ? ndCache : arpCache;
    long now = iface.now();
    long hi = v6 ? Bytes.u64(address, 0) : 0;
    long lo = v6 ? Bytes.u64(address, 8) : Bytes.i32(address, 0) & 0xffffffffL;
    NeighborCache.Entry e = cache.get(hi, lo);
    if (e == null) {
      if (!create) {
        return false;
      }
      e = cache.create(hi, lo, address.clone(), now);
    }
    e.mac = neighborMac;
    e.updatedAt = now;
    e.reachableUntil = now + iface.config().neighborReachableNanos();
    if (e.resolving) {
      e.resolving = false;
      cache.resolving.remove(e);
    }
    ArrayDeque<PendingPacket> q = e.pending;
    e.pending = null;
    if (q != null) {
      for (PendingPacket p : q) {
        if (v6) {
          iface.ipv6.transmit(neighborMac, p.src(), p.dst(), p.protocol(), p.hopLimit(), p.payload(), 0,
              p.payload().length);
        } else {
          iface.ipv4.transmit(neighborMac, Bytes.i32(p.src(), 0), Bytes.i32(p.dst(), 0), p.protocol(),
              p.hopLimit(), p.payload(), 0, p.payload().length);
        }
      }
    }
    return true;
  }
}
