package dev.ztjvm.netstack;

import dev.ztjvm.netstack.ethernet.MacAddress;

/**
 * Settings of one {@link NetworkInterface}. Start from {@link #builder(MacAddress)}; the defaults suit a ZeroTier
 * virtual network (MTU 2800, broadcast allowed).
 *
 * @param mac the interface's Ethernet address (unicast)
 * @param mtu largest IP packet in one frame, 1280..9000 (ZeroTier: 2800)
 * @param broadcastAllowed whether IPv4 broadcast is sent and received (a ZeroTier network may forbid it)
 * @param linkLocalIpv6 whether an fe80::/64 address derived from the MAC is assigned at construction
 * @param defaultHopLimit TTL / hop limit of datagrams the stack originates
 * @param neighborReachableNanos how long a resolved ARP/NDP entry is used before it is refreshed
 * @param neighborRetryNanos interval between ARP requests / neighbour solicitations for one address
 * @param neighborMaxRequests requests sent before resolution gives up (queued packets are then dropped)
 * @param neighborQueuePackets packets queued per unresolved neighbour; more are dropped
 * @param maxNeighbors bound of each neighbour cache (ARP, NDP); the oldest entry is evicted when full
 * @param reassemblyTimeoutNanos how long fragments of an incomplete datagram are kept
 * @param reassemblyMaxDatagrams datagrams reassembled at once (per family)
 * @param reassemblyMaxBytes buffer bytes held by reassembly at once (per family)
 * @param icmpErrorBurst ICMP errors (unreachable) sent back to back before rate limiting
 * @param icmpErrorIntervalNanos one more ICMP error token per this interval
 * @param udpQueueDatagrams receive-queue bound of each UDP socket, in datagrams
 * @param udpQueueBytes receive-queue bound of each UDP socket, in bytes
 * @param loopbackQueuePackets packets to our own addresses waiting for the next poll
 * @param pingIdentifier ICMP echo identifier of this interface's pings
 */
public record InterfaceConfig(
    MacAddress mac,
    int mtu,
    boolean broadcastAllowed,
    boolean linkLocalIpv6,
    int defaultHopLimit,
    long neighborReachableNanos,
    long neighborRetryNanos,
    int neighborMaxRequests,
    int neighborQueuePackets,
    int maxNeighbors,
    long reassemblyTimeoutNanos,
    int reassemblyMaxDatagrams,
    int reassemblyMaxBytes,
    int icmpErrorBurst,
    long icmpErrorIntervalNanos,
    int udpQueueDatagrams,
    int udpQueueBytes,
    int loopbackQueuePackets,
    int pingIdentifier) {

  public InterfaceConfig {
    if (mac.isMulticast()) {
      throw new IllegalArgumentException("interface MAC must be unicast: " + mac);
    }
    if (mtu < 1280 || mtu > 9000) {
      throw new IllegalArgumentException("MTU must be within 1280..9000: " + mtu);
    }
    if (defaultHopLimit < 1 || defaultHopLimit > 255) {
      throw new IllegalArgumentException("hop limit must be within 1..255: " + defaultHopLimit);
    }
    positive("neighborReachableNanos", neighborReachableNanos);
    positive("neighborRetryNanos", neighborRetryNanos);
    positive("neighborMaxRequests", neighborMaxRequests);
    positive("neighborQueuePackets", neighborQueuePackets);
    positive("maxNeighbors", maxNeighbors);
    positive("reassemblyTimeoutNanos", reassemblyTimeoutNanos);
    positive("reassemblyMaxDatagrams", reassemblyMaxDatagrams);
    positive("reassemblyMaxBytes", reassemblyMaxBytes);
    positive("icmpErrorIntervalNanos", icmpErrorIntervalNanos);
    positive("udpQueueDatagrams", udpQueueDatagrams);
    positive("udpQueueBytes", udpQueueBytes);
    positive("loopbackQueuePackets", loopbackQueuePackets);
    if (icmpErrorBurst < 0) {
      throw new IllegalArgumentException("icmpErrorBurst must not be negative");
    }
  }

  private static void positive(String name, long v) {
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive: " + v);
    }
  }

  public static Builder builder(MacAddress mac) {
    return new Builder(mac);
  }

  /** Builder with defaults: MTU 2800, ARP/NDP entries 5 min, 3 requests 1 s apart, reassembly 30 s. */
  public static final class Builder {
    private final MacAddress mac;
    private int mtu = 2800;
    private boolean broadcastAllowed = true;
    private boolean linkLocalIpv6 = true;
    private int defaultHopLimit = 64;
    private long neighborReachableNanos = 300_000_000_000L;
    private long neighborRetryNanos = 1_000_000_000L;
    private int neighborMaxRequests = 3;
    private int neighborQueuePackets = 64;
    private int maxNeighbors = 1024;
    private long reassemblyTimeoutNanos = 30_000_000_000L;
    private int reassemblyMaxDatagrams = 16;
    private int reassemblyMaxBytes = 1 << 20;
    private int icmpErrorBurst = 10;
    private long icmpErrorIntervalNanos = 100_000_000L;
    private int udpQueueDatagrams = 256;
    private int udpQueueBytes = 1 << 20;
    private int loopbackQueuePackets = 4096;
    private int pingIdentifier = 0x5a54;

    private Builder(MacAddress mac) {
      this.mac = mac;
    }

    public Builder mtu(int v) {
      mtu = v;
      return this;
    }

    public Builder broadcastAllowed(boolean v) {
      broadcastAllowed = v;
      return this;
    }

    public Builder linkLocalIpv6(boolean v) {
      linkLocalIpv6 = v;
      return this;
    }

    public Builder defaultHopLimit(int v) {
      defaultHopLimit = v;
      return this;
    }

    public Builder neighborReachableNanos(long v) {
      neighborReachableNanos = v;
      return this;
    }

    public Builder neighborRetryNanos(long v) {
      neighborRetryNanos = v;
      return this;
    }

    public Builder neighborMaxRequests(int v) {
      neighborMaxRequests = v;
      return this;
    }

    public Builder neighborQueuePackets(int v) {
      neighborQueuePackets = v;
      return this;
    }

    public Builder maxNeighbors(int v) {
      maxNeighbors = v;
      return this;
    }

    public Builder reassemblyTimeoutNanos(long v) {
      reassemblyTimeoutNanos = v;
      return this;
    }

    public Builder reassemblyMaxDatagrams(int v) {
      reassemblyMaxDatagrams = v;
      return this;
    }

    public Builder reassemblyMaxBytes(int v) {
      reassemblyMaxBytes = v;
      return this;
    }

    public Builder icmpErrorBurst(int v) {
      icmpErrorBurst = v;
      return this;
    }

    public Builder icmpErrorIntervalNanos(long v) {
      icmpErrorIntervalNanos = v;
      return this;
    }

    public Builder udpQueueDatagrams(int v) {
      udpQueueDatagrams = v;
      return this;
    }

    public Builder udpQueueBytes(int v) {
      udpQueueBytes = v;
      return this;
    }

    public Builder loopbackQueuePackets(int v) {
      loopbackQueuePackets = v;
      return this;
    }

    public Builder pingIdentifier(int v) {
      pingIdentifier = v & 0xffff;
      return this;
    }

    public InterfaceConfig build() {
      return new InterfaceConfig(
          mac, mtu, broadcastAllowed, linkLocalIpv6, defaultHopLimit, neighborReachableNanos, neighborRetryNanos,
          neighborMaxRequests, neighborQueuePackets, maxNeighbors, reassemblyTimeoutNanos, reassemblyMaxDatagrams,
          reassemblyMaxBytes, icmpErrorBurst, icmpErrorIntervalNanos, udpQueueDatagrams, udpQueueBytes,
          loopbackQueuePackets, pingIdentifier);
    }
  }
}
