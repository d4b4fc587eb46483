package dev.ztjvm.netstack;

import dev.ztjvm.netstack.arp.Arp;
import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.icmp.Icmp;
import dev.ztjvm.netstack.internal.Bytes;
import dev.ztjvm.netstack.internal.Counters;
import dev.ztjvm.netstack.ip.InternetChecksum;
import dev.ztjvm.netstack.ip.IpAddressing;
import dev.ztjvm.netstack.ip.IpProtocolHandler;
import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import dev.ztjvm.netstack.ip.IpSender;
import dev.ztjvm.netstack.ipv4.Ipv4;
import dev.ztjvm.netstack.ipv6.Ipv6;
import dev.ztjvm.netstack.tcp.LocalAddresses;
import dev.ztjvm.netstack.tcp.TcpConfig;
import dev.ztjvm.netstack.tcp.TcpStack;
import dev.ztjvm.netstack.udp.UdpLayer;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * One virtual NIC of the userspace stack: Ethernet frames in ({@link #receiveFrame}), Ethernet frames out (the
 * {@link FrameSink} given at construction), with ARP, IPv4, IPv6 and neighbour discovery, ICMP/ICMPv6, UDP, and
 * further transports (TCP) plugged in through {@link #register(IpProtocolHandler)}.
 *
 * <p>Single-threaded and poll-driven: every method must be called from the one loop that owns the interface.
 * Time is passed in; the interface remembers the latest time it was given (by {@link #receiveFrame},
 * {@link #poll} or {@link #ping}) and uses it for work started by transports ({@link #send}). The loop calls
 * {@link #poll(long)} no later than {@link #nextDeadline()}, and again after application calls that may have sent
 * (packets to our own addresses are delivered on the next poll, never re-entrantly).
 */
public final class NetworkInterface implements IpSender, IpAddressing {

  private static final int ICMP_PROTOCOL = 1;
  private static final int ICMPV6_PROTOCOL = 58;
  private static final int MAX_LOOPBACK_PER_POLL = 100_000;

  private final InterfaceConfig config;
  private final long mac;
  private final FrameSink sink;
  private int mtu;

  // Addresses (small arrays: an interface has a handful).
  private int[] v4Addresses = new int[0];
  private int[] v4Prefixes = new int[0];
  private final ArrayList<byte[]> v6Addresses = new ArrayList<>();
  private final ArrayList<Integer> v6Prefixes = new ArrayList<>();
  private final ArrayList<Route> routes = new ArrayList<>();

  private final Counters eth = new Counters();
  private final Counters arp = new Counters();
  private final Counters ip4 = new Counters();
  private final Counters frag4 = new Counters();
  private final Counters ip6 = new Counters();
  private final Counters frag6 = new Counters();
  private final Counters icmp4 = new Counters();
  private final Counters icmp6 = new Counters();
  private final Counters nd = new Counters();
  private final Counters udpCounters = new Counters();
  private long internalErrors;

  private final IpProtocolHandler[] handlers = new IpProtocolHandler[256];
  private final UdpLayer udp;
  private @Nullable TcpStack tcp;
  private final ArrayList<TimerClient> timerClients = new ArrayList<>();
  private final NeighborCache arpCache;
  private final NeighborCache ndCache;
  private final Reassembler reassembly4;
  private final Reassembler reassembly6;
  private final ArrayDeque<PendingPacket> loopback = new ArrayDeque<>();
  /** Joined multicast groups (4- or 16-byte addresses) and their reference counts, index-aligned. */
  private final ArrayList<byte[]> groups = new ArrayList<>();
  private final ArrayList<int[]> groupRefs = new ArrayList<>();
  private @Nullable Runnable subscriptionListener;

  private final HashMap<Integer, Ping> pings = new HashMap<>();
  private int nextPingSequence;

  private long now;
  private int depth;
  private int ipv4Id;
  private int ipv6FragmentId;
  private long icmpTokens;
  private long icmpRefillAt;

  private byte[] tx;
  private final byte[] rxSrc4 = new byte[4];
  private final byte[] rxDst4 = new byte[4];
  private final byte[] rxSrc6 = new byte[16];
  private final byte[] rxDst6 = new byte[16];
  private final byte[] icmpScratch = new byte[1280];
  private long currentFrameSource;

  private record Ping(CompletableFuture<Long> result, long sentAt, long deadline, byte[] destination) {}

  /** Creates the interface; with {@link InterfaceConfig#linkLocalIpv6()} it gets its fe80::/64 address now. */
  public NetworkInterface(InterfaceConfig config, FrameSink sink) {
    this.config = config;
    this.mac = config.mac().value();
    this.sink = sink;
    this.mtu = config.mtu();
    this.tx = new byte[Ethernet.HEADER_LENGTH + mtu];
    this.arpCache = new NeighborCache(config.maxNeighbors());
    this.ndCache = new NeighborCache(config.maxNeighbors());
    this.reassembly4 = new Reassembler(
        frag4, config.reassemblyMaxDatagrams(), config.reassemblyMaxBytes(), 65535 - 20,
        config.reassemblyTimeoutNanos());
    this.reassembly6 = new Reassembler(
        frag6, config.reassemblyMaxDatagrams(), config.reassemblyMaxBytes(), 65535,
        config.reassemblyTimeoutNanos());
    this.udp = new UdpLayer(this, this, udpCounters, config.udpQueueDatagrams(), config.udpQueueBytes());
    this.icmpTokens = config.icmpErrorBurst();
    if (config.linkLocalIpv6()) {
      v6Addresses.add(Ipv6.linkLocalFromMac(mac));
      v6Prefixes.add(64);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Configuration

  public InterfaceConfig config() {
    return config;
  }

  public MacAddress mac() {
    return config.mac();
  }

  public int mtu() {
    return mtu;
  }

  /**
   * Changes the MTU (a network's config changed it): packets sent from now on use it, TCP connections lower their
   * MSS if their segments no longer fit. {@link #config()} keeps the MTU the interface was created with.
   *
   * @throws IllegalArgumentException if {@code newMtu} is outside 1280..9000
   */
  public void setMtu(int newMtu, long nowNanos) {
    if (newMtu < 1280 || newMtu > 9000) {
      throw new IllegalArgumentException("MTU must be within 1280..9000: " + newMtu);
    }
    if (newMtu == mtu) {
      return;
    }
    mtu = newMtu;
    if (tx.length < Ethernet.HEADER_LENGTH + newMtu) {
      tx = new byte[Ethernet.HEADER_LENGTH + newMtu];
    }
    TcpStack t = tcp;
    if (t != null) {
      t.interfaceMtuChanged(newMtu, nowNanos);
    }
  }

  /** The UDP layer: {@code udp().open()} makes a socket. */
  public UdpLayer udp() {
    return udp;
  }

  /**
   * Creates the interface's TCP (protocol 6) over this IP layer: it receives TCP segments and ICMP errors, sends
   * through {@link #send}, takes local addresses and source selection from this interface, and its timers run in
   * {@link #poll}.
   *
   * @param seed seeds the ISN secret and ephemeral ports (deterministic simulations); see
   *     {@link #enableTcp(TcpConfig)} for production
   * @throws IllegalStateException if TCP is already enabled
   */
  public TcpStack enableTcp(TcpConfig tcpConfig, long seed) {
    return installTcp(new TcpStack(this, tcpAddresses(), tcpConfig, seed));
  }

  /** {@link #enableTcp(TcpConfig, long)} with a secret from {@link java.security.SecureRandom}. */
  public TcpStack enableTcp(TcpConfig tcpConfig) {
    return installTcp(new TcpStack(this, tcpAddresses(), tcpConfig));
  }

  /** The TCP of this interface, or {@code null} before {@link #enableTcp}. */
  public @Nullable TcpStack tcp() {
    return tcp;
  }

  private LocalAddresses tcpAddresses() {
    if (tcp != null) {
      throw new IllegalStateException("TCP is already enabled on this interface");
    }
    return new LocalAddresses() {
      @Override
      public boolean isLocal(byte[] address) {
        return isLocalAddress(address);
      }

      @Override
      public byte @Nullable [] sourceFor(byte[] remote) {
        return sourceAddressFor(remote);
      }
    };
  }

  private TcpStack installTcp(TcpStack stack) {
    register(stack);
    addTimerClient(new TimerClient() {
      @Override
      public void poll(long nowNanos) {
        stack.poll(nowNanos);
      }

      @Override
      public long nextDeadline() {
        return stack.nextDeadline();
      }
    });
    tcp = stack;
    return stack;
  }

  /**
   * Plugs a transport in (e.g. TCP, protocol 6) for both IPv4 and IPv6. It receives datagrams addressed to us and
   * ICMP errors about datagrams it sent.
   *
   * @throws IllegalArgumentException for ICMP, ICMPv6 and UDP (built in) or if the protocol is taken
   */
  public void register(IpProtocolHandler handler) {
    int p = handler.protocol();
    if (p == ICMP_PROTOCOL || p == ICMPV6_PROTOCOL || p == UdpLayer.PROTOCOL || p < 0 || p > 255) {
      throw new IllegalArgumentException("protocol " + p + " cannot be registered");
    }
    if (handlers[p] != null) {
      throw new IllegalArgumentException("protocol " + p + " is already registered");
    }
    handlers[p] = handler;
  }

  /** Adds a protocol whose timers run in {@link #poll} and count in {@link #nextDeadline()}. */
  public void addTimerClient(TimerClient client) {
    timerClients.add(client);
  }

  /**
   * Assigns an address with its on-link prefix and announces it: a gratuitous ARP for IPv4; for IPv6 a
   * duplicate-address-detection solicitation and an unsolicited neighbour advertisement (the address is usable
   * at once: DAD is optimistic, a conflict is only counted).
   */
  public void addAddress(InetAddress address, int prefixLength) {
    if (address instanceof Inet4Address a4) {
      if (prefixLength < 0 || prefixLength > 32) {
        throw new IllegalArgumentException("IPv4 prefix length must be 0..32: " + prefixLength);
      }
      int a = Ipv4.toInt(a4);
      if (Ipv4.isMulticast(a) || a == 0 || a == -1) {
        throw new IllegalArgumentException("not a unicast IPv4 address: " + address);
      }
      if (isOwnV4(a)) {
        return;
      }
      v4Addresses = Arrays.copyOf(v4Addresses, v4Addresses.length + 1);
      v4Prefixes = Arrays.copyOf(v4Prefixes, v4Prefixes.length + 1);
      v4Addresses[v4Addresses.length - 1] = a;
      v4Prefixes[v4Prefixes.length - 1] = prefixLength;
      sendArp(Arp.OP_REQUEST, MacAddress.BROADCAST.value(), a, 0, a);
    } else {
      if (prefixLength < 0 || prefixLength > 128) {
        throw new IllegalArgumentException("IPv6 prefix length must be 0..128: " + prefixLength);
      }
      byte[] a = address.getAddress();
      if (Ipv6.isMulticast(a, 0) || Ipv6.isUnspecified(a, 0)) {
        throw new IllegalArgumentException("not a unicast IPv6 address: " + address);
      }
      if (ownV6Index(a, 0) >= 0) {
        return;
      }
      v6Addresses.add(a);
      v6Prefixes.add(prefixLength);
      sendNeighborSolicitation(Ipv6.UNSPECIFIED, a, false);
      sendNeighborAdvertisement(Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES, 0), a, Ipv6.ALL_NODES, a,
          Icmp.NA_FLAG_OVERRIDE);
    }
  }

  /** Removes an address; returns whether it was assigned. */
  public boolean removeAddress(InetAddress address) {
    if (address instanceof Inet4Address a4) {
      int a = Ipv4.toInt(a4);
      for (int i = 0; i < v4Addresses.length; i++) {
        if (v4Addresses[i] == a) {
          int[] na = new int[v4Addresses.length - 1];
          int[] np = new int[na.length];
          for (int j = 0, k = 0; j < v4Addresses.length; j++) {
            if (j != i) {
              na[k] = v4Addresses[j];
              np[k++] = v4Prefixes[j];
            }
          }
          v4Addresses = na;
          v4Prefixes = np;
          return true;
        }
      }
      return false;
    }
    int i = ownV6Index(address.getAddress(), 0);
    if (i < 0) {
      return false;
    }
    v6Addresses.remove(i);
    v6Prefixes.remove(i);
    return true;
  }

  /** The assigned addresses, IPv4 first. */
  public List<AssignedAddress> addresses() {
    ArrayList<AssignedAddress> list = new ArrayList<>();
    for (int i = 0; i < v4Addresses.length; i++) {
      list.add(new AssignedAddress(Ipv4.toInetAddress(v4Addresses[i]), v4Prefixes[i]));
    }
    for (int i = 0; i < v6Addresses.size(); i++) {
      list.add(new AssignedAddress(Ipv6.toInetAddress(v6Addresses.get(i)), v6Prefixes.get(i)));
    }
    return List.copyOf(list);
  }

  /**
   * The Ethernet group addresses this interface wants to receive (for an overlay that forwards multicast only to
   * subscribers, e.g. ZeroTier's MULTICAST_LIKE): broadcast when IPv4 is configured and broadcast is allowed, the
   * IPv6 all-nodes group, and the solicited-node group of every IPv6 address.
   */
  public List<MacAddress> multicastSubscriptions() {
    ArrayList<MacAddress> list = new ArrayList<>();
    if (v4Addresses.length > 0) {
      list.add(MacAddress.BROADCAST);
    }
    if (!v6Addresses.isEmpty()) {
      list.add(new MacAddress(Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES, 0)));
    }
    for (byte[] a : v6Addresses) {
      MacAddress m = new MacAddress(Ethernet.ipv6MulticastMac(Ipv6.solicitedNode(a, 0), 0));
      if (!list.contains(m)) {
        list.add(m);
      }
    }
    for (byte[] g : groups) {
      MacAddress m = new MacAddress(g.length == 4 ? Ethernet.ipv4MulticastMac(Bytes.i32(g, 0))
          : Ethernet.ipv6MulticastMac(g, 0));
      if (!list.contains(m)) {
        list.add(m);
      }
    }
    return List.copyOf(list);
  }

  /**
   * Called (on the loop) whenever {@link #multicastSubscriptions()} changes because a group was joined for the first
   * time or left for the last time, so an overlay can announce the change (e.g. ZeroTier's MULTICAST_LIKE).
   */
  public void setSubscriptionListener(@Nullable Runnable listener) {
    this.subscriptionListener = listener;
  }

  /**
   * Adds a reference to this interface's membership of a multicast group (normally done by
   * {@link dev.ztjvm.netstack.udp.UdpSocket#joinGroup}). Memberships are counted: the group stays joined until
   * every join has been matched by a {@link #leaveGroup}.
   *
   * @throws IllegalArgumentException if {@code group} is not an IPv4 or IPv6 multicast address
   */
  public void joinGroup(InetAddress group) {
    joinGroup(group.getAddress());
  }

  /** Drops one reference added by {@link #joinGroup(InetAddress)}; returns false if the group was not joined. */
  public boolean leaveGroup(InetAddress group) {
    return leaveGroupAddress(group.getAddress());
  }

  /** Whether a socket of this interface has joined {@code group} (4 or 16 bytes). Allocation-free. */
  public boolean isJoinedGroup(byte[] group) {
    return groupIndex(group) >= 0;
  }

  /** References held on {@code group}: 0 when not joined. */
  public int groupReferences(InetAddress group) {
    int i = groupIndex(group.getAddress());
    return i < 0 ? 0 : groupRefs.get(i)[0];
  }

  /** The joined multicast groups. */
  public List<InetAddress> joinedGroups() {
    ArrayList<InetAddress> list = new ArrayList<>(groups.size());
    for (byte[] g : groups) {
      try {
        list.add(InetAddress.getByAddress(g));
      } catch (java.net.UnknownHostException e) {
        throw new AssertionError(e);
      }
    }
    return List.copyOf(list);
  }

  @Override
  public void joinGroup(byte[] group) {
    if (!isGroupAddress(group)) {
      throw new IllegalArgumentException("not a multicast group address");
    }
    int i = groupIndex(group);
    if (i >= 0) {
      groupRefs.get(i)[0]++;
      return;
    }
    groups.add(group.clone());
    groupRefs.add(new int[] {1});
    Runnable l = subscriptionListener;
    if (l != null) {
      l.run();
    }
  }

  @Override
  public void leaveGroup(byte[] group) {
    leaveGroupAddress(group);
  }

  private boolean leaveGroupAddress(byte[] group) {
    int i = groupIndex(group);
    if (i < 0) {
      return false;
    }
    if (--groupRefs.get(i)[0] == 0) {
      groups.remove(i);
      groupRefs.remove(i);
      Runnable l = subscriptionListener;
      if (l != null) {
        l.run();
      }
    }
    return true;
  }

  private int groupIndex(byte[] group) {
    for (int i = 0, n = groups.size(); i < n; i++) {
      if (Arrays.equals(groups.get(i), group)) {
        return i;
      }
    }
    return -1;
  }

  /** IPv4 multicast we listen to: all-hosts (224.0.0.1) and the joined groups. Allocation-free. */
  private boolean acceptsGroupV4(int dst) {
    if (dst == 0xe0000001) {
      return true;
    }
    for (int i = 0, n = groups.size(); i < n; i++) {
      byte[] g = groups.get(i);
      if (g.length == 4 && Bytes.i32(g, 0) == dst) {
        return true;
      }
    }
    return false;
  }

  /**
   * IPv6 multicast we listen to: link-local all-nodes, solicited-node groups (neighbour discovery) and the joined
   * groups. Allocation-free.
   */
  private boolean acceptsGroupV6(byte[] b, int off) {
    if (Arrays.equals(b, off, off + 16, Ipv6.ALL_NODES, 0, 16)) {
      return true;
    }
    if (b[off + 1] == 2 && b[off + 11] == 1 && b[off + 12] == (byte) 0xff
        && Arrays.equals(b, off + 2, off + 11, SOLICITED_NODE_PREFIX, 2, 11)) {
      return true;
    }
    for (int i = 0, n = groups.size(); i < n; i++) {
      byte[] g = groups.get(i);
      if (g.length == 16 && Arrays.equals(g, 0, 16, b, off, off + 16)) {
        return true;
      }
    }
    return false;
  }

  private static final byte[] SOLICITED_NODE_PREFIX =
      {(byte) 0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, (byte) 0xff, 0, 0, 0};

  private static boolean isGroupAddress(byte[] a) {
    return a.length == 4 ? Ipv4.isMulticast(Bytes.i32(a, 0)) : a.length == 16 && Ipv6.isMulticast(a, 0);
  }

  /** Adds a route; a gateway must be on-link when used. A {@code 0.0.0.0/0} or {@code ::/0} route is a default. */
  public void addRoute(Route route) {
    int max = route.network() instanceof Inet4Address ? 32 : 128;
    if (route.prefixLength() < 0 || route.prefixLength() > max) {
      throw new IllegalArgumentException("prefix length must be 0.." + max + ": " + route.prefixLength());
    }
    InetAddress gw = route.gateway();
    if (gw != null && gw.getAddress().length != route.network().getAddress().length) {
      throw new IllegalArgumentException("gateway " + gw + " is of another family than " + route.network());
    }
    routes.add(route);
  }

  /** Adds a default route via {@code gateway} (IPv4 or IPv6). */
  public void setDefaultGateway(InetAddress gateway) {
    try {
      InetAddress any = gateway instanceof Inet4Address
          ? InetAddress.getByAddress(new byte[4])
          : InetAddress.getByAddress(new byte[16]);
      addRoute(new Route(any, 0, gateway));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  public boolean removeRoute(Route route) {
    return routes.remove(route);
  }

  public List<Route> routes() {
    return List.copyOf(routes);
  }

  /** The cached MAC of a neighbour, or {@code null} if not (yet) resolved. For diagnostics and tests. */
  public @Nullable MacAddress neighbor(InetAddress address) {
    byte[] a = address.getAddress();
    NeighborCache.Entry e = a.length == 4 ? arpCache.get(0, Bytes.i32(a, 0) & 0xffffffffL)
        : ndCache.get(Bytes.i64(a, 0), Bytes.i64(a, 8));
    return e != null && e.resolved() ? new MacAddress(e.mac) : null;
  }

  /** A snapshot of the counters. */
  public NetstackStatistics statistics() {
    return new NetstackStatistics(
        eth.snapshot(), arp.snapshot(), ip4.snapshot(), frag4.snapshot(), ip6.snapshot(), frag6.snapshot(),
        icmp4.snapshot(), icmp6.snapshot(), nd.snapshot(), udpCounters.snapshot(), internalErrors);
  }

  // ---------------------------------------------------------------------------------------------------------
  // Loop entry points

  /**
   * Processes one received Ethernet frame, parsed in place; the array may be reused once this returns. Never
   * throws: malformed frames are dropped and counted.
   */
  public void receiveFrame(byte[] frame, int off, int len, long nowNanos) {
    advance(nowNanos);
    depth++;
    try {
      handleFrame(frame, off, len);
    } catch (RuntimeException e) {
      internalErrors++;
    } finally {
      depth--;
    }
  }

  /**
   * Runs what is due: packets to our own addresses, neighbour resolution retries, reassembly and ping timeouts,
   * and the timers of registered {@link TimerClient}s.
   *
   * @return the next deadline, as {@link #nextDeadline()}
   */
  public long poll(long nowNanos) {
    advance(nowNanos);
    depth++;
    try {
      drainLoopback();
      pollNeighbors(arpCache, false);
      pollNeighbors(ndCache, true);
      reassembly4.expire(now);
      reassembly6.expire(now);
      expirePings();
      for (int i = 0; i < timerClients.size(); i++) {
        timerClients.get(i).poll(now);
      }
      drainLoopback();
    } catch (RuntimeException e) {
      internalErrors++;
    } finally {
      depth--;
    }
    return nextDeadline();
  }

  /**
   * The earliest time {@link #poll} has work: {@code now} if packets to ourselves are waiting, else the next
   * timer, or {@link Long#MAX_VALUE} if nothing is scheduled.
   */
  public long nextDeadline() {
    if (!loopback.isEmpty()) {
      return now;
    }
    long next = Math.min(reassembly4.nextDeadline(), reassembly6.nextDeadline());
    next = Math.min(next, neighborDeadline(arpCache));
    next = Math.min(next, neighborDeadline(ndCache));
    for (Ping p : pings.values()) {
      next = Math.min(next, p.deadline);
    }
    for (int i = 0; i < timerClients.size(); i++) {
      next = Math.min(next, timerClients.get(i).nextDeadline());
    }
    return next;
  }

  /** The latest time the interface was given. */
  public long now() {
    return now;
  }

  private void advance(long nowNanos) {
    if (nowNanos - now > 0) {
      now = nowNanos;
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Ping

  /**
   * Sends an ICMP/ICMPv6 echo request and completes the future with the round-trip time in nanoseconds when the
   * reply arrives (measured with the times given to {@link #receiveFrame}). The future fails with a
   * {@link TimeoutException} when no reply came by {@code nowNanos + timeoutNanos} (noticed by {@link #poll}),
   * with {@link NoRouteToHostException} if it could not be sent, or with an {@link java.io.IOException} on an
   * ICMP unreachable answer. Completion happens on the loop thread.
   */
  public CompletableFuture<Long> ping(InetAddress destination, int payloadLength, long nowNanos, long timeoutNanos) {
    advance(nowNanos);
    CompletableFuture<Long> f = new CompletableFuture<>();
    byte[] dst = destination.getAddress();
    boolean v6 = dst.length == 16;
    int max = (v6 ? 65535 : 65535 - 20) - 8;
    if (payloadLength < 0 || payloadLength > max) {
      throw new IllegalArgumentException("ping payload must be 0.." + max + " bytes: " + payloadLength);
    }
    byte[] src = sourceAddressFor(dst);
    if (src == null) {
      f.completeExceptionally(new NoRouteToHostException("no " + (v6 ? "IPv6" : "IPv4") + " address"));
      return f;
    }
    int seq = nextPingSequence++ & 0xffff;
    int key = (v6 ? 0x10000 : 0) | seq;
    Ping old = pings.remove(key);
    if (old != null) {
      old.result.completeExceptionally(new TimeoutException("ping sequence number reused"));
    }
    byte[] m = new byte[8 + payloadLength];
    m[0] = (byte) (v6 ? Icmp.V6_ECHO_REQUEST : Icmp.V4_ECHO_REQUEST);
    Bytes.put16(m, 4, config.pingIdentifier());
    Bytes.put16(m, 6, seq);
    for (int i = 0; i < payloadLength; i++) {
      m[8 + i] = (byte) i;
    }
    fillIcmpChecksum(v6, src, dst, m, 0, m.length);
    pings.put(key, new Ping(f, now, now + timeoutNanos, dst.clone()));
    if (v6) {
      icmp6.sent++;
    } else {
      icmp4.sent++;
    }
    if (!send(src, dst, v6 ? ICMPV6_PROTOCOL : ICMP_PROTOCOL, m, 0, m.length)) {
      pings.remove(key);
      f.completeExceptionally(new NoRouteToHostException("no route to " + destination.getHostAddress()));
    }
    return f;
  }

  private void expirePings() {
    if (pings.isEmpty()) {
      return;
    }
    Iterator<Ping> it = pings.values().iterator();
    while (it.hasNext()) {
      Ping p = it.next();
      if (now - p.deadline >= 0) {
        it.remove();
        p.result.completeExceptionally(new TimeoutException("no echo reply within the timeout"));
      }
    }
  }

  private void fillIcmpChecksum(boolean v6, byte[] src, byte[] dst, byte[] m, int off, int len) {
    m[off + 2] = 0;
    m[off + 3] = 0;
    long sum = v6 ? InternetChecksum.pseudoHeader(src, dst, ICMPV6_PROTOCOL, len) : 0;
    Bytes.put16(m, off + 2, InternetChecksum.finish(InternetChecksum.add(sum, m, off, len)));
  }

  // ---------------------------------------------------------------------------------------------------------
  // IpAddressing

  @Override
  public boolean isLocalAddress(byte[] address) {
    if (address.length == 4) {
      return isOwnV4(Bytes.i32(address, 0));
    }
    return address.length == 16 && ownV6Index(address, 0) >= 0;
  }

  @Override
  public byte @Nullable [] sourceAddressFor(byte[] destination) {
    if (destination.length == 4) {
      int s = sourceV4(Bytes.i32(destination, 0));
      return s == 0 ? null : Bytes.ipv4(s);
    }
    byte[] s = sourceV6(destination);
    return s == null ? null : s.clone();
  }

  @Override
  public boolean isBroadcast(byte[] address) {
    return address.length == 4 && isBroadcastV4(Bytes.i32(address, 0));
  }

  private boolean isOwnV4(int a) {
    int[] as = v4Addresses;
    for (int i = 0; i < as.length; i++) {
      if (as[i] == a) {
        return true;
      }
    }
    return false;
  }

  private boolean isBroadcastV4(int a) {
    if (a == Ipv4.LIMITED_BROADCAST) {
      return true;
    }
    for (int i = 0; i < v4Addresses.length; i++) {
      int p = v4Prefixes[i];
      if (p <= 30 && a == (v4Addresses[i] | ~Ipv4.mask(p))) {
        return true;
      }
    }
    return false;
  }

  private int ownV6Index(byte[] a, int off) {
    for (int i = 0, n = v6Addresses.size(); i < n; i++) {
      if (Bytes.equal(v6Addresses.get(i), 0, a, off, 16)) {
        return i;
      }
    }
    return -1;
  }

  private int sourceV4(int dst) {
    int[] as = v4Addresses;
    if (as.length == 0) {
      return 0;
    }
    for (int i = 0; i < as.length; i++) {
      int m = Ipv4.mask(v4Prefixes[i]);
      if ((as[i] & m) == (dst & m)) {
        return as[i];
      }
    }
    int gw = gatewayV4(dst);
    if (gw != 0) {
      for (int i = 0; i < as.length; i++) {
        int m = Ipv4.mask(v4Prefixes[i]);
        if ((as[i] & m) == (gw & m)) {
          return as[i];
        }
      }
    }
    return as[0];
  }

  private byte @Nullable [] sourceV6(byte[] dst) {
    byte[] best = null;
    int bestLen = -1;
    boolean dstLinkLocal = Ipv6.isLinkLocal(dst, 0) || Ipv6.isMulticast(dst, 0) && (dst[1] & 0x0f) <= 2;
    for (int i = 0, n = v6Addresses.size(); i < n; i++) {
      byte[] a = v6Addresses.get(i);
      boolean ll = Ipv6.isLinkLocal(a, 0);
      // Prefer scope match: link-local for link-local destinations, global otherwise.
      int score = (ll == dstLinkLocal ? 256 : 0) + Ipv6.commonPrefixLength(a, dst);
      if (score > bestLen) {
        best = a;
        bestLen = score;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Routing

  /** Next hop of an IPv4 unicast destination: the destination itself when on-link, a gateway, or 0 (none). */
  private int nextHopV4(int dst) {
    for (int i = 0; i < v4Addresses.length; i++) {
      int m = Ipv4.mask(v4Prefixes[i]);
      if ((v4Addresses[i] & m) == (dst & m)) {
        return dst;
      }
    }
    Route r = bestRoute(Bytes.ipv4(dst));
    if (r == null) {
      return 0;
    }
    InetAddress gw = r.gateway();
    return gw == null ? dst : Bytes.i32(gw.getAddress(), 0);
  }

  private int gatewayV4(int dst) {
    Route r = bestRoute(Bytes.ipv4(dst));
    InetAddress gw = r == null ? null : r.gateway();
    return gw == null ? 0 : Bytes.i32(gw.getAddress(), 0);
  }

  private byte @Nullable [] nextHopV6(byte[] dst) {
    if (Ipv6.isLinkLocal(dst, 0)) {
      return dst;
    }
    for (int i = 0, n = v6Addresses.size(); i < n; i++) {
      if (Ipv6.samePrefix(v6Addresses.get(i), 0, dst, 0, v6Prefixes.get(i))) {
        return dst;
      }
    }
    Route r = bestRoute(dst);
    if (r == null) {
      return null;
    }
    InetAddress gw = r.gateway();
    return gw == null ? dst : gw.getAddress();
  }

  private @Nullable Route bestRoute(byte[] dst) {
    Route best = null;
    for (int i = 0, n = routes.size(); i < n; i++) {
      Route r = routes.get(i);
      byte[] net = r.network().getAddress();
      if (net.length != dst.length || (best != null && r.prefixLength() <= best.prefixLength())) {
        continue;
      }
      if (Ipv6.samePrefix(net, 0, dst, 0, r.prefixLength())) {
        best = r;
      }
    }
    return best;
  }

  // ---------------------------------------------------------------------------------------------------------
  // IpSender

  @Override
  public int maxPayload(byte[] dst) {
    return dst.length == 16 ? mtu - Ipv6.HEADER_LENGTH : mtu - Ipv4.MIN_HEADER_LENGTH;
  }

  @Override
  public boolean send(byte[] src, byte[] dst, int protocol, byte[] payload, int off, int len) {
    if (dst.length == 4 && src.length == 4) {
      int d = Bytes.i32(dst, 0);
      // Multicast stays on the link (TTL 1, like IPv6 below) unless a transport asks otherwise.
      return sendV4(Bytes.i32(src, 0), d, protocol, Ipv4.isMulticast(d) ? 1 : config.defaultHopLimit(), payload,
          off, len);
    }
    if (dst.length == 16 && src.length == 16) {
      return sendV6(src, dst, protocol, Ipv6.isMulticast(dst, 0) ? 1 : config.defaultHopLimit(), payload, off,
          len);
    }
    throw new IllegalArgumentException("address lengths " + src.length + "/" + dst.length);
  }

  @Override
  public boolean sendMulticast(
      byte[] src, byte[] dst, int protocol, int ttl, boolean loop, byte[] payload, int off, int len) {
    if (!isGroupAddress(dst) || src.length != dst.length) {
      return send(src, dst, protocol, payload, off, len);
    }
    int hops = Math.max(0, Math.min(255, ttl));
    if (loop && isJoinedGroup(dst)) {
      // Our own member sockets get a copy through the loopback queue (next poll), like IP_MULTICAST_LOOP.
      enqueueLoopback(src.clone(), dst.clone(), protocol, payload, off, len, hops, dst.length == 4 ? ip4 : ip6);
    }
    if (dst.length == 4) {
      return sendV4(Bytes.i32(src, 0), Bytes.i32(dst, 0), protocol, hops, payload, off, len);
    }
    return sendV6(src, dst, protocol, hops, payload, off, len);
  }

  private boolean sendV4(int src, int dst, int protocol, int ttl, byte[] payload, int off, int len) {
    if (len > 65535 - Ipv4.MIN_HEADER_LENGTH) {
      ip4.dropLength();
      return false;
    }
    if (isOwnV4(dst)) {
      return enqueueLoopback(Bytes.ipv4(src), Bytes.ipv4(dst), protocol, payload, off, len, ttl, ip4);
    }
    long dstMac;
    if (isBroadcastV4(dst)) {
      if (!config.broadcastAllowed()) {
        ip4.dropNoRoute();
        return false;
      }
      dstMac = MacAddress.BROADCAST.value();
    } else if (Ipv4.isMulticast(dst)) {
      dstMac = Ethernet.ipv4MulticastMac(dst);
    } else {
      int hop = nextHopV4(dst);
      if (hop == 0) {
        ip4.dropNoRoute();
        return false;
      }
      NeighborCache.Entry e = arpCache.get(0, hop & 0xffffffffL);
      if (e == null || !e.resolved()) {
        return queueForNeighbor(false, e, Bytes.ipv4(hop), Bytes.ipv4(src), Bytes.ipv4(dst), protocol, payload,
            off, len, ttl);
      }
      dstMac = e.mac;
      refreshIfStale(e, false);
    }
    transmitV4(dstMac, src, dst, protocol, ttl, payload, off, len);
    return true;
  }

  private void transmitV4(long dstMac, int src, int dst, int protocol, int ttl, byte[] payload, int off, int len) {
    byte[] f = tx;
    int id = (ipv4Id++) & 0xffff;
    int maxData = mtu - Ipv4.MIN_HEADER_LENGTH;
    if (len <= maxData) {
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV4);
      Ipv4.writeHeader(f, 14, 20 + len, id, 0, ttl, protocol, src, dst);
      System.arraycopy(payload, off, f, 34, len);
      emit(f, 34 + len);
      ip4.sent++;
      return;
    }
    int chunk = maxData & ~7;
    for (int pos = 0; pos < len; pos += chunk) {
      int n = Math.min(chunk, len - pos);
      boolean more = pos + n < len;
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV4);
      Ipv4.writeHeader(f, 14, 20 + n, id, (more ? Ipv4.FLAG_MORE_FRAGMENTS : 0) | (pos >>> 3), ttl, protocol, src,
          dst);
      System.arraycopy(payload, off + pos, f, 34, n);
      emit(f, 34 + n);
      ip4.sent++;
      frag4.sent++;
    }
  }

  private boolean sendV6(byte[] src, byte[] dst, int protocol, int hopLimit, byte[] payload, int off, int len) {
    if (len > 65535) {
      ip6.dropLength();
      return false;
    }
    if (ownV6Index(dst, 0) >= 0) {
      return enqueueLoopback(src.clone(), dst.clone(), protocol, payload, off, len, hopLimit, ip6);
    }
    long dstMac;
    if (Ipv6.isMulticast(dst, 0)) {
      dstMac = Ethernet.ipv6MulticastMac(dst, 0);
    } else {
      byte[] hop = nextHopV6(dst);
      if (hop == null) {
        ip6.dropNoRoute();
        return false;
      }
      NeighborCache.Entry e = ndCache.get(Bytes.i64(hop, 0), Bytes.i64(hop, 8));
      if (e == null || !e.resolved()) {
        return queueForNeighbor(true, e, hop.clone(), src.clone(), dst.clone(), protocol, payload, off, len,
            hopLimit);
      }
      dstMac = e.mac;
      refreshIfStale(e, true);
    }
    transmitV6(dstMac, src, dst, protocol, hopLimit, payload, off, len);
    return true;
  }

  private void transmitV6(
      long dstMac, byte[] src, byte[] dst, int protocol, int hopLimit, byte[] payload, int off, int len) {
    byte[] f = tx;
    int maxData = mtu - Ipv6.HEADER_LENGTH;
    if (len <= maxData) {
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV6);
      Ipv6.writeHeader(f, 14, len, protocol, hopLimit, src, dst);
      System.arraycopy(payload, off, f, 54, len);
      emit(f, 54 + len);
      ip6.sent++;
      return;
    }
    int id = ++ipv6FragmentId;
    int chunk = (maxData - Ipv6.FRAGMENT_HEADER_LENGTH) & ~7;
    for (int pos = 0; pos < len; pos += chunk) {
      int n = Math.min(chunk, len - pos);
      boolean more = pos + n < len;
      Ethernet.writeHeader(f, 0, dstMac, mac, Ethernet.TYPE_IPV6);
      Ipv6.writeHeader(f, 14, 8 + n, Ipv6.NEXT_FRAGMENT, hopLimit, src, dst);
      f[54] = (byte) protocol;
      f[55] = 0;
      Bytes.put16(f, 56, pos | (more ? 1 : 0));
      Bytes.put32(f, 58, id);
      System.arraycopy(payload, off + pos, f, 62, n);
      emit(f, 62 + n);
      ip6.sent++;
      frag6.sent++;
    }
  }

  private void emit(byte[] frame, int len) {
    eth.sent++;
    sink.sendFrame(frame, 0, len);
  }

  private boolean enqueueLoopback(
      byte[] src, byte[] dst, int protocol, byte[] payload, int off, int len, int hop, Counters c) {
    if (loopback.size() >= config.loopbackQueuePackets()) {
      c.dropOverflow();
      return false;
    }
    loopback.add(new PendingPacket(src, dst, protocol, Arrays.copyOfRange(payload, off, off + len), hop));
    c.sent++;
    return true;
  }

  private void drainLoopback() {
    int n = 0;
    while (!loopback.isEmpty() && n++ < MAX_LOOPBACK_PER_POLL) {
      PendingPacket p = loopback.poll();
      boolean v6 = p.dst().length == 16;
      Counters c = v6 ? ip6 : ip4;
      c.received++;
      deliverTransport(v6, p.src(), p.dst(), p.protocol(), p.payload(), 0, p.payload().length,
          isGroupAddress(p.dst()), p.hopLimit(), c);
    }
  }

  // ---------------------------------------------------------------------------------------------------------
  // Neighbour resolution

  private boolean queueForNeighbor(
      boolean v6, NeighborCache.@Nullable Entry e, byte[] hop, byte[] src, byte[] dst, int protocol,
      byte[] payload, int off, int len, int hopLimit) {
    NeighborCache cache = v6 ? ndCache : arpCache;
    Counters ipc = v6 ? ip6 : ip4;
    if (e == null) {
      e = v6 ? cache.create(Bytes.i64(hop, 0), Bytes.i64(hop, 8), hop, now)
          : cache.create(0, Bytes.i32(hop, 0) & 0xffffffffL, hop, now);
    }
    ArrayDeque<PendingPacket> q = e.pending;
    if (q == null) {
      q = new ArrayDeque<>();
      e.pending = q;
    }
    if (q.size() >= config.neighborQueuePackets()) {
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

  private void refreshIfStale(NeighborCache.Entry e, boolean v6) {
    if (!e.resolving && now - e.reachableUntil >= 0) {
      e.resolving = true;
      e.requestsSent = 0;
      (v6 ? ndCache : arpCache).resolving.add(e);
      solicit(v6, e);
    }
  }

  private void solicit(boolean v6, NeighborCache.Entry e) {
    e.requestsSent++;
    e.nextRequestAt = now + config.neighborRetryNanos();
    if (v6) {
      byte[] src = sourceV6(e.address);
      if (src != null) {
        sendNeighborSolicitation(src, e.address, true);
      }
    } else {
      int target = Bytes.i32(e.address, 0);
      int src = sourceV4(target);
      if (src != 0) {
        sendArp(Arp.OP_REQUEST, MacAddress.BROADCAST.value(), src, 0, target);
      }
    }
  }

  private void pollNeighbors(NeighborCache cache, boolean v6) {
    ArrayList<NeighborCache.Entry> list = cache.resolving;
    for (int i = list.size() - 1; i >= 0; i--) {
      NeighborCache.Entry e = list.get(i);
      if (now - e.nextRequestAt < 0) {
        continue;
      }
      if (e.requestsSent < config.neighborMaxRequests()) {
        solicit(v6, e);
        continue;
      }
      // Resolution failed: the neighbour is gone.
      list.remove(i);
      e.resolving = false;
      cache.remove(e);
      Counters c = v6 ? nd : arp;
      c.timeouts++;
      ArrayDeque<PendingPacket> q = e.pending;
      e.pending = null;
      if (q != null) {
        Counters ipc = v6 ? ip6 : ip4;
        for (PendingPacket p : q) {
          ipc.dropTimeout();
          notifyUnreachable(p);
        }
      }
    }
  }

  private void notifyUnreachable(PendingPacket p) {
    IpProtocolHandler h = p.protocol() == UdpLayer.PROTOCOL ? udp : handlers[p.protocol()];
    if (h != null) {
      h.icmpError(IcmpErrorKind.HOST_UNREACHABLE, p.src(), p.dst(), p.payload(), 0, p.payload().length, 0, now);
    }
  }

  private long neighborDeadline(NeighborCache cache) {
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
  private boolean learnNeighbor(boolean v6, byte[] address, long neighborMac, boolean create) {
    NeighborCache cache = v6 ? ndCache : arpCache;
    long hi = v6 ? Bytes.i64(address, 0) : 0;
    long lo = v6 ? Bytes.i64(address, 8) : Bytes.i32(address, 0) & 0xffffffffL;
    NeighborCache.Entry e = cache.get(hi, lo);
    if (e == null) {
      if (!create) {
        return false;
      }
      e = cache.create(hi, lo, address.clone(), now);
    }
    e.mac = neighborMac;
    e.updatedAt = now;
    e.reachableUntil = now + config.neighborReachableNanos();
    if (e.resolving) {
      e.resolving = false;
      cache.resolving.remove(e);
    }
    ArrayDeque<PendingPacket> q = e.pending;
    e.pending = null;
    if (q != null) {
      for (PendingPacket p : q) {
        if (v6) {
          transmitV6(neighborMac, p.src(), p.dst(), p.protocol(), p.hopLimit(), p.payload(), 0,
              p.payload().length);
        } else {
          transmitV4(neighborMac, Bytes.i32(p.src(), 0), Bytes.i32(p.dst(), 0), p.protocol(), p.hopLimit(),
              p.payload(), 0, p.payload().length);
        }
      }
    }
    return true;
  }

  // ---------------------------------------------------------------------------------------------------------
  // Receive path

  private void handleFrame(byte[] f, int off, int len) {
    eth.received++;
    if (len < Ethernet.HEADER_LENGTH || off < 0 || off + len > f.length) {
      eth.dropLength();
      return;
    }
    long dstMac = Ethernet.destination(f, off);
    long srcMac = Ethernet.source(f, off);
    if (dstMac != mac && !MacAddress.isMulticast(dstMac)) {
      eth.dropNotForUs();
      return;
    }
    if (MacAddress.isMulticast(srcMac) || srcMac == mac) {
      // A group source is invalid; our own source is a frame of ours reflected back.
      eth.dropProtocol();
      return;
    }
    currentFrameSource = srcMac;
    int type = Ethernet.etherType(f, off);
    int p = off + Ethernet.HEADER_LENGTH;
    int n = len - Ethernet.HEADER_LENGTH;
    switch (type) {
      case Ethernet.TYPE_IPV4 -> {
        eth.delivered++;
        handleIpv4(f, p, n);
      }
      case Ethernet.TYPE_ARP -> {
        eth.delivered++;
        handleArp(f, p, n);
      }
      case Ethernet.TYPE_IPV6 -> {
        eth.delivered++;
        handleIpv6(f, p, n);
      }
      default -> eth.dropProtocol();
    }
  }

  private void handleArp(byte[] b, int o, int len) {
    arp.received++;
    if (len < Arp.LENGTH) {
      arp.dropLength();
      return;
    }
    if (Arp.hardwareType(b, o) != Arp.HTYPE_ETHERNET || Arp.protocolType(b, o) != Ethernet.TYPE_IPV4
        || Arp.hardwareLength(b, o) != 6 || Arp.protocolLength(b, o) != 4) {
      arp.dropProtocol();
      return;
    }
    int op = Arp.operation(b, o);
    long senderMac = Arp.senderMac(b, o);
    int senderIp = Arp.senderIp(b, o);
    int targetIp = Arp.targetIp(b, o);
    if ((op != Arp.OP_REQUEST && op != Arp.OP_REPLY) || MacAddress.isMulticast(senderMac) || senderMac == mac
        || Ipv4.isMulticast(senderIp) || senderIp == Ipv4.LIMITED_BROADCAST) {
      arp.dropProtocol();
      return;
    }
    if (isOwnV4(senderIp)) {
      // Someone else claims one of our addresses: an address conflict. Do not learn it.
      arp.dropProtocol();
      return;
    }
    boolean forUs = isOwnV4(targetIp);
    boolean learned = senderIp != 0 && learnNeighbor(false, Bytes.ipv4(senderIp), senderMac, forUs);
    if (op == Arp.OP_REQUEST && forUs) {
      sendArp(Arp.OP_REPLY, senderMac, targetIp, senderMac, senderIp);
      arp.delivered++;
    } else if (learned) {
      arp.delivered++;
    } else {
      arp.dropNotForUs();
    }
  }

  private void sendArp(int op, long ethDst, int senderIp, long targetMac, int targetIp) {
    byte[] f = tx;
    Ethernet.writeHeader(f, 0, ethDst, mac, Ethernet.TYPE_ARP);
    Arp.write(f, 14, op, mac, senderIp, targetMac, targetIp);
    arp.sent++;
    emit(f, 14 + Arp.LENGTH);
  }

  private void handleIpv4(byte[] b, int o, int len) {
    ip4.received++;
    if (len < Ipv4.MIN_HEADER_LENGTH) {
      ip4.dropLength();
      return;
    }
    if (Ipv4.version(b, o) != 4) {
      ip4.dropProtocol();
      return;
    }
    int ihl = Ipv4.headerLength(b, o);
    int total = Ipv4.totalLength(b, o);
    if (ihl < Ipv4.MIN_HEADER_LENGTH || ihl > len || total < ihl || total > len) {
      ip4.dropLength();
      return;
    }
    if (InternetChecksum.of(b, o, ihl) != 0) {
      ip4.dropChecksum();
      return;
    }
    int src = Ipv4.source(b, o);
    int dst = Ipv4.destination(b, o);
    if (Ipv4.isMulticast(src) || src == Ipv4.LIMITED_BROADCAST || isBroadcastV4(src)) {
      ip4.dropProtocol();
      return;
    }
    boolean group;
    if (isOwnV4(dst)) {
      group = false;
    } else if ((Ipv4.isMulticast(dst) && acceptsGroupV4(dst)) || (isBroadcastV4(dst) && config.broadcastAllowed())) {
      group = true;
    } else {
      ip4.dropNotForUs();
      return;
    }
    int protocol = Ipv4.protocol(b, o);
    int fo = Ipv4.flagsAndOffset(b, o);
    byte[] s = rxSrc4;
    byte[] d = rxDst4;
    Bytes.put32(s, 0, src);
    Bytes.put32(d, 0, dst);
    if ((fo & (Ipv4.FLAG_MORE_FRAGMENTS | Ipv4.OFFSET_MASK)) != 0) {
      ip4.delivered++;
      frag4.received++;
      Reassembler.Datagram dg = reassembly4.add(s, d, Ipv4.identification(b, o), protocol,
          (fo & Ipv4.OFFSET_MASK) << 3, (fo & Ipv4.FLAG_MORE_FRAGMENTS) != 0, protocol, b, o + ihl, total - ihl, now);
      if (dg != null) {
        deliverTransport(false, s, d, protocol, dg.data, 0, dg.total, group, Ipv4.ttl(b, o), frag4);
      }
      return;
    }
    deliverTransport(false, s, d, protocol, b, o + ihl, total - ihl, group, Ipv4.ttl(b, o), ip4);
  }

  /**
   * Hands a datagram's payload to its transport. {@code c} is the counter set of the layer handing it up (IP, or
   * reassembly for reassembled datagrams).
   */
  private void deliverTransport(
      boolean v6, byte[] src, byte[] dst, int protocol, byte[] b, int off, int len, boolean group, int hopLimit,
      Counters c) {
    if (!v6 && protocol == ICMP_PROTOCOL) {
      c.delivered++;
      handleIcmp4(src, dst, b, off, len, group);
    } else if (v6 && protocol == ICMPV6_PROTOCOL) {
      c.delivered++;
      handleIcmp6(src, dst, b, off, len, group, hopLimit);
    } else if (protocol == UdpLayer.PROTOCOL) {
      c.delivered++;
      if (udp.deliver(src, dst, b, off, len, group) == UdpLayer.NO_SOCKET && !group) {
        sendUnreachable(v6, src, dst, protocol, hopLimit, b, off, len,
            v6 ? Icmp.V6_DEST_UNREACHABLE : Icmp.V4_DEST_UNREACHABLE,
            v6 ? Icmp.V6_CODE_PORT_UNREACHABLE : Icmp.V4_CODE_PORT_UNREACHABLE);
      }
    } else {
      IpProtocolHandler h = handlers[protocol];
      if (h != null && !group) {
        c.delivered++;
        h.receive(src, dst, b, off, len, now);
      } else {
        c.dropProtocol();
        if (!group) {
          if (v6) {
            sendUnreachable(true, src, dst, protocol, hopLimit, b, off, len, Icmp.V6_PARAMETER_PROBLEM,
                Icmp.V6_PARAM_UNRECOGNIZED_NEXT_HEADER);
          } else {
            sendUnreachable(false, src, dst, protocol, hopLimit, b, off, len, Icmp.V4_DEST_UNREACHABLE,
                Icmp.V4_CODE_PROTOCOL_UNREACHABLE);
          }
        }
      }
    }
  }

  /**
   * Sends an ICMP error about a datagram we received (rate limited). The quote is rebuilt from the datagram's
   * addresses and payload: an IP header without options or extension headers, then as much payload as fits.
   */
  private void sendUnreachable(
      boolean v6, byte[] origSrc, byte[] origDst, int protocol, int hopLimit, byte[] b, int off, int len, int type,
      int code) {
    Counters c = v6 ? icmp6 : icmp4;
    if (!takeIcmpToken()) {
      c.rateLimited++;
      return;
    }
    byte[] m = icmpScratch;
    int headerLen = v6 ? Ipv6.HEADER_LENGTH : Ipv4.MIN_HEADER_LENGTH;
    int maxQuote = v6 ? 1280 - 40 - 8 : 576 - 20 - 8;
    int quoted = Math.min(len, maxQuote - headerLen);
    Arrays.fill(m, 0, 8, (byte) 0);
    m[0] = (byte) type;
    m[1] = (byte) code;
    if (v6 && type == Icmp.V6_PARAMETER_PROBLEM) {
      Bytes.put32(m, 4, 6); // pointer to the next-header field of the quoted header
    }
    if (v6) {
      Ipv6.writeHeader(m, 8, len, protocol, hopLimit, origSrc, origDst);
    } else {
      Ipv4.writeHeader(m, 8, headerLen + len, 0, 0, hopLimit, protocol, Bytes.i32(origSrc, 0),
          Bytes.i32(origDst, 0));
    }
    System.arraycopy(b, off, m, 8 + headerLen, quoted);
    int total = 8 + headerLen + quoted;
    // We answer from the address the datagram was sent to, back to its sender.
    fillIcmpChecksum(v6, origDst, origSrc, m, 0, total);
    c.sent++;
    send(origDst, origSrc, v6 ? ICMPV6_PROTOCOL : ICMP_PROTOCOL, m, 0, total);
  }

  private boolean takeIcmpToken() {
    long interval = config.icmpErrorIntervalNanos();
    long burst = config.icmpErrorBurst();
    if (icmpTokens < burst) {
      long elapsed = now - icmpRefillAt;
      if (elapsed >= interval) {
        long add = elapsed / interval;
        icmpTokens = Math.min(burst, icmpTokens + add);
        icmpRefillAt += add * interval;
      }
    } else {
      icmpRefillAt = now;
    }
    if (icmpTokens <= 0) {
      return false;
    }
    icmpTokens--;
    return true;
  }

  private void handleIcmp4(byte[] src, byte[] dst, byte[] b, int off, int len, boolean group) {
    icmp4.received++;
    if (len < 8) {
      icmp4.dropLength();
      return;
    }
    if (InternetChecksum.of(b, off, len) != 0) {
      icmp4.dropChecksum();
      return;
    }
    int type = b[off] & 0xff;
    switch (type) {
      case Icmp.V4_ECHO_REQUEST -> {
        if (group) {
          icmp4.dropNotForUs();
          return;
        }
        byte[] reply = Arrays.copyOfRange(b, off, off + len);
        reply[0] = Icmp.V4_ECHO_REPLY;
        fillIcmpChecksum(false, dst, src, reply, 0, len);
        icmp4.delivered++;
        icmp4.sent++;
        send(dst.clone(), src.clone(), ICMP_PROTOCOL, reply, 0, len);
      }
      case Icmp.V4_ECHO_REPLY -> echoReply(false, src, b, off, len, icmp4);
      case Icmp.V4_DEST_UNREACHABLE, Icmp.V4_TIME_EXCEEDED -> icmp4Error(b, off, len, type);
      default -> icmp4.dropProtocol();
    }
  }

  private void echoReply(boolean v6, byte[] src, byte[] b, int off, int len, Counters c) {
    int id = Bytes.u16(b, off + 4);
    int seq = Bytes.u16(b, off + 6);
    int key = (v6 ? 0x10000 : 0) | seq;
    Ping p = pings.get(key);
    if (id != config.pingIdentifier() || p == null || !Arrays.equals(p.destination, src)) {
      c.dropNotForUs();
      return;
    }
    pings.remove(key);
    c.delivered++;
    p.result.complete(now - p.sentAt);
  }

  private void icmp4Error(byte[] b, int off, int len, int type) {
    // 8 bytes ICMP header, then the offending IPv4 header and at least 8 bytes of its payload.
    if (len < 8 + Ipv4.MIN_HEADER_LENGTH + 8) {
      icmp4.dropLength();
      return;
    }
    int q = off + 8;
    int ihl = Ipv4.headerLength(b, q);
    if (Ipv4.version(b, q) != 4 || ihl < Ipv4.MIN_HEADER_LENGTH || 8 + ihl + 8 > len) {
      icmp4.dropLength();
      return;
    }
    int origSrc = Ipv4.source(b, q);
    if (!isOwnV4(origSrc)) {
      icmp4.dropNotForUs();
      return;
    }
    int code = b[off + 1] & 0xff;
    IcmpErrorKind kind;
    int mtuHint = 0;
    if (type == Icmp.V4_TIME_EXCEEDED) {
      kind = IcmpErrorKind.TIME_EXCEEDED;
    } else if (code == Icmp.V4_CODE_PORT_UNREACHABLE) {
      kind = IcmpErrorKind.PORT_UNREACHABLE;
    } else if (code == Icmp.V4_CODE_FRAGMENTATION_NEEDED) {
      kind = IcmpErrorKind.PACKET_TOO_BIG;
      mtuHint = Bytes.u16(b, off + 6);
    } else {
      kind = IcmpErrorKind.HOST_UNREACHABLE;
    }
    byte[] s = Bytes.ipv4(origSrc);
    byte[] d = Bytes.ipv4(Ipv4.destination(b, q));
    icmp4.delivered++;
    dispatchIcmpError(false, Ipv4.protocol(b, q), kind, s, d, b, q + ihl, len - 8 - ihl, mtuHint);
  }

  private void dispatchIcmpError(
      boolean v6, int protocol, IcmpErrorKind kind, byte[] src, byte[] dst, byte[] b, int off, int len, int mtuHint) {
    if ((!v6 && protocol == ICMP_PROTOCOL) || (v6 && protocol == ICMPV6_PROTOCOL)) {
      // One of our echo requests could not be delivered: fail that ping.
      int seq = Bytes.u16(b, off + 6);
      int key = (v6 ? 0x10000 : 0) | seq;
      Ping p = pings.get(key);
      if (p != null && Bytes.u16(b, off + 4) == config.pingIdentifier() && Arrays.equals(p.destination, dst)) {
        pings.remove(key);
        p.result.completeExceptionally(new java.io.IOException("destination unreachable: " + kind));
      }
      return;
    }
    IpProtocolHandler h = protocol == UdpLayer.PROTOCOL ? udp : handlers[protocol];
    if (h != null) {
      h.icmpError(kind, src, dst, b, off, len, mtuHint, now);
    }
  }

  private void handleIpv6(byte[] b, int o, int len) {
    ip6.received++;
    if (len < Ipv6.HEADER_LENGTH) {
      ip6.dropLength();
      return;
    }
    if (Ipv6.version(b, o) != 6) {
      ip6.dropProtocol();
      return;
    }
    int payloadLen = Ipv6.payloadLength(b, o);
    if (payloadLen > len - Ipv6.HEADER_LENGTH) {
      ip6.dropLength();
      return;
    }
    if (Ipv6.isMulticast(b, o + 8)) {
      ip6.dropProtocol();
      return;
    }
    boolean group;
    if (ownV6Index(b, o + 24) >= 0) {
      group = false;
    } else if (Ipv6.isMulticast(b, o + 24) && acceptsGroupV6(b, o + 24)) {
      group = true;
    } else {
      ip6.dropNotForUs();
      return;
    }
    byte[] s = rxSrc6;
    byte[] d = rxDst6;
    System.arraycopy(b, o + 8, s, 0, 16);
    System.arraycopy(b, o + 24, d, 0, 16);
    processIpv6Payload(Ipv6.nextHeader(b, o), s, d, b, o + Ipv6.HEADER_LENGTH, payloadLen, group,
        Ipv6.hopLimit(b, o), true, ip6);
  }

  /** Walks extension headers from {@code nextHeader} at {@code p} and hands the upper layer on. */
  private void processIpv6Payload(
      int nextHeader, byte[] s, byte[] d, byte[] b, int p, int remaining, boolean group, int hopLimit,
      boolean first, Counters c) {
    int nh = nextHeader;
    boolean atFirst = first;
    while (true) {
      switch (nh) {
        case Ipv6.NEXT_HOP_BY_HOP, Ipv6.NEXT_DESTINATION_OPTIONS, Ipv6.NEXT_ROUTING -> {
          if (nh == Ipv6.NEXT_HOP_BY_HOP && !atFirst) {
            c.dropProtocol();
            return;
          }
          if (remaining < 8) {
            c.dropLength();
            return;
          }
          int extLen = ((b[p + 1] & 0xff) + 1) * 8;
          if (extLen > remaining) {
            c.dropLength();
            return;
          }
          if (nh == Ipv6.NEXT_ROUTING) {
            if ((b[p + 3] & 0xff) != 0) {
              // Segments left: we are not a router.
              c.dropProtocol();
              return;
            }
          } else if (!optionsAcceptable(b, p + 2, p + extLen)) {
            c.dropProtocol();
            return;
          }
          nh = b[p] & 0xff;
          p += extLen;
          remaining -= extLen;
        }
        case Ipv6.NEXT_FRAGMENT -> {
          if (remaining < Ipv6.FRAGMENT_HEADER_LENGTH) {
            c.dropLength();
            return;
          }
          int fragNext = b[p] & 0xff;
          int fo = Bytes.u16(b, p + 2);
          int offset = fo & 0xfff8;
          boolean more = (fo & 1) != 0;
          int id = Bytes.i32(b, p + 4);
          int dataOff = p + Ipv6.FRAGMENT_HEADER_LENGTH;
          int dataLen = remaining - Ipv6.FRAGMENT_HEADER_LENGTH;
          if (offset == 0 && !more) {
            // Atomic fragment (RFC 6946): process as if unfragmented.
            nh = fragNext;
            p = dataOff;
            remaining = dataLen;
            break;
          }
          c.delivered++;
          frag6.received++;
          Reassembler.Datagram dg = reassembly6.add(s, d, id, 0, offset, more, fragNext, b, dataOff, dataLen, now);
          if (dg != null) {
            processIpv6Payload(dg.firstNextHeader, s, d, dg.data, 0, dg.total, group, hopLimit, false, frag6);
          }
          return;
        }
        case Ipv6.NEXT_NONE -> {
          // Nothing follows: nothing to deliver (counted as a drop without a reason).
          c.drop();
          return;
        }
        default -> {
          deliverTransport(true, s, d, nh, b, p, remaining, group, hopLimit, c);
          return;
        }
      }
      atFirst = false;
    }
  }

  /** Hop-by-hop / destination options: only padding and router alert are known; others by their action bits. */
  private static boolean optionsAcceptable(byte[] b, int p, int end) {
    while (p < end) {
      int type = b[p] & 0xff;
      if (type == 0) {
        p++;
        continue;
      }
      if (p + 2 > end) {
        return false;
      }
      int optLen = b[p + 1] & 0xff;
      if (p + 2 + optLen > end) {
        return false;
      }
      if (type != 1 && type != 5 && (type >>> 6) != 0) {
        return false;
      }
      p += 2 + optLen;
    }
    return true;
  }

  private void handleIcmp6(byte[] src, byte[] dst, byte[] b, int off, int len, boolean group, int hopLimit) {
    if (len < 8) {
      icmp6.received++;
      icmp6.dropLength();
      return;
    }
    long sum = InternetChecksum.pseudoHeader(src, dst, ICMPV6_PROTOCOL, len);
    int type = b[off] & 0xff;
    boolean isNd = type >= Icmp.V6_ROUTER_SOLICITATION && type <= Icmp.V6_REDIRECT;
    Counters c = isNd ? nd : icmp6;
    c.received++;
    if (InternetChecksum.finish(InternetChecksum.add(sum, b, off, len)) != 0) {
      c.dropChecksum();
      return;
    }
    switch (type) {
      case Icmp.V6_ECHO_REQUEST -> {
        if (group) {
          icmp6.dropNotForUs();
          return;
        }
        byte[] reply = Arrays.copyOfRange(b, off, off + len);
        reply[0] = (byte) Icmp.V6_ECHO_REPLY;
        fillIcmpChecksum(true, dst, src, reply, 0, len);
        icmp6.delivered++;
        icmp6.sent++;
        send(dst.clone(), src.clone(), ICMPV6_PROTOCOL, reply, 0, len);
      }
      case Icmp.V6_ECHO_REPLY -> echoReply(true, src, b, off, len, icmp6);
      case Icmp.V6_DEST_UNREACHABLE, Icmp.V6_PACKET_TOO_BIG, Icmp.V6_TIME_EXCEEDED, Icmp.V6_PARAMETER_PROBLEM ->
          icmp6Error(b, off, len, type);
      case Icmp.V6_NEIGHBOR_SOLICITATION -> neighborSolicitation(src, dst, b, off, len, hopLimit);
      case Icmp.V6_NEIGHBOR_ADVERTISEMENT -> neighborAdvertisement(dst, b, off, len, group, hopLimit);
      case Icmp.V6_ROUTER_SOLICITATION, Icmp.V6_ROUTER_ADVERTISEMENT, Icmp.V6_REDIRECT ->
          // Addresses and routes are configured statically (ZeroTier assigns them): nothing to learn here.
          nd.ignored++;
      case Icmp.V6_MLD_QUERY, Icmp.V6_MLD_REPORT, Icmp.V6_MLD_DONE, Icmp.V6_MLD2_REPORT ->
          // Multicast listener discovery is routine chatter of Linux hosts; group membership on a ZeroTier network
          // is announced by the node (MULTICAST_LIKE), not by MLD, so the messages are accepted and ignored.
          icmp6.ignored++;
      default -> {
        if (type >= 128) {
          // unknown informational message: silently discarded (RFC 4443 section 2.4 (b))
          icmp6.ignored++;
        } else {
          icmp6.dropProtocol();
        }
      }
    }
  }

  private void icmp6Error(byte[] b, int off, int len, int type) {
    if (len < 8 + Ipv6.HEADER_LENGTH) {
      icmp6.dropLength();
      return;
    }
    int q = off + 8;
    if (Ipv6.version(b, q) != 6 || ownV6Index(b, q + 8) < 0) {
      icmp6.dropNotForUs();
      return;
    }
    // Skip the quoted extension headers to find the transport header.
    int nh = Ipv6.nextHeader(b, q);
    int p = q + Ipv6.HEADER_LENGTH;
    int end = off + len;
    while (nh == Ipv6.NEXT_HOP_BY_HOP || nh == Ipv6.NEXT_ROUTING || nh == Ipv6.NEXT_DESTINATION_OPTIONS
        || nh == Ipv6.NEXT_FRAGMENT) {
      if (p + 8 > end) {
        icmp6.dropLength();
        return;
      }
      int extLen = nh == Ipv6.NEXT_FRAGMENT ? 8 : ((b[p + 1] & 0xff) + 1) * 8;
      if (nh == Ipv6.NEXT_FRAGMENT && (Bytes.u16(b, p + 2) & 0xfff8) != 0) {
        icmp6.dropProtocol();
        return;
      }
      nh = b[p] & 0xff;
      p += extLen;
    }
    if (p + 8 > end) {
      icmp6.dropLength();
      return;
    }
    int code = b[off + 1] & 0xff;
    IcmpErrorKind kind;
    int mtuHint = 0;
    switch (type) {
      case Icmp.V6_PACKET_TOO_BIG -> {
        kind = IcmpErrorKind.PACKET_TOO_BIG;
        mtuHint = Bytes.i32(b, off + 4);
      }
      case Icmp.V6_TIME_EXCEEDED -> kind = IcmpErrorKind.TIME_EXCEEDED;
      case Icmp.V6_DEST_UNREACHABLE ->
          kind = code == Icmp.V6_CODE_PORT_UNREACHABLE ? IcmpErrorKind.PORT_UNREACHABLE : IcmpErrorKind.HOST_UNREACHABLE;
      default -> kind = IcmpErrorKind.HOST_UNREACHABLE;
    }
    byte[] s = Arrays.copyOfRange(b, q + 8, q + 24);
    byte[] d = Arrays.copyOfRange(b, q + 24, q + 40);
    icmp6.delivered++;
    dispatchIcmpError(true, nh, kind, s, d, b, p, end - p, mtuHint);
  }

  /** Link-layer address option of type {@code want} in NDP options {@code [p, end)}; -1 if absent, -2 if bad. */
  private static long ndLinkLayerOption(byte[] b, int p, int end, int want) {
    long found = -1;
    while (p < end) {
      if (p + 2 > end) {
        return -2;
      }
      int optLen = (b[p + 1] & 0xff) * 8;
      if (optLen == 0 || p + optLen > end) {
        return -2;
      }
      if ((b[p] & 0xff) == want && optLen >= 8) {
        found = Bytes.u48(b, p + 2);
      }
      p += optLen;
    }
    return found;
  }

  private void neighborSolicitation(byte[] src, byte[] dst, byte[] b, int off, int len, int hopLimit) {
    if (hopLimit != 255 || b[off + 1] != 0 || len < 24 || Ipv6.isMulticast(b, off + 8)) {
      nd.dropProtocol();
      return;
    }
    long slla = ndLinkLayerOption(b, off + 24, off + len, Icmp.ND_OPT_SOURCE_LL);
    boolean fromUnspecified = Ipv6.isUnspecified(src, 0);
    if (slla == -2 || (fromUnspecified && (slla >= 0 || !Ipv6.isMulticast(dst, 0)))) {
      nd.dropProtocol();
      return;
    }
    if (slla >= 0 && MacAddress.isMulticast(slla)) {
      nd.dropProtocol();
      return;
    }
    int idx = ownV6Index(b, off + 8);
    if (idx < 0) {
      nd.dropNotForUs();
      return;
    }
    byte[] target = v6Addresses.get(idx);
    nd.delivered++;
    if (fromUnspecified) {
      // Someone runs duplicate address detection for our address: defend it.
      sendNeighborAdvertisement(Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES, 0), target, Ipv6.ALL_NODES, target,
          Icmp.NA_FLAG_OVERRIDE);
      return;
    }
    long replyMac = slla >= 0 ? slla : currentFrameSource;
    if (slla >= 0) {
      learnNeighbor(true, src, slla, true);
    }
    sendNeighborAdvertisement(replyMac, target, src.clone(), target,
        Icmp.NA_FLAG_SOLICITED | Icmp.NA_FLAG_OVERRIDE);
  }

  private void neighborAdvertisement(byte[] dst, byte[] b, int off, int len, boolean group, int hopLimit) {
    if (hopLimit != 255 || b[off + 1] != 0 || len < 24 || Ipv6.isMulticast(b, off + 8)) {
      nd.dropProtocol();
      return;
    }
    int flags = b[off + 4] & 0xff;
    if (group && (flags & Icmp.NA_FLAG_SOLICITED) != 0) {
      nd.dropProtocol();
      return;
    }
    long tlla = ndLinkLayerOption(b, off + 24, off + len, Icmp.ND_OPT_TARGET_LL);
    if (tlla == -2 || (tlla >= 0 && MacAddress.isMulticast(tlla))) {
      nd.dropProtocol();
      return;
    }
    if (ownV6Index(b, off + 8) >= 0) {
      // Another node advertises one of our addresses: a duplicate. Counted, the address is kept.
      nd.dropProtocol();
      return;
    }
    byte[] target = Arrays.copyOfRange(b, off + 8, off + 24);
    long neighborMac = tlla >= 0 ? tlla : currentFrameSource;
    if (learnNeighbor(true, target, neighborMac, false)) {
      nd.delivered++;
    } else {
      nd.dropNotForUs();
    }
  }

  /** Sends a neighbour solicitation for {@code target} to its solicited-node group. */
  private void sendNeighborSolicitation(byte[] src, byte[] target, boolean withSourceLinkLayer) {
    byte[] m = new byte[withSourceLinkLayer ? 32 : 24];
    m[0] = (byte) Icmp.V6_NEIGHBOR_SOLICITATION;
    System.arraycopy(target, 0, m, 8, 16);
    if (withSourceLinkLayer) {
      m[24] = Icmp.ND_OPT_SOURCE_LL;
      m[25] = 1;
      Bytes.put48(m, 26, mac);
    }
    byte[] group = Ipv6.solicitedNode(target, 0);
    fillIcmpChecksum(true, src, group, m, 0, m.length);
    nd.sent++;
    transmitV6(Ethernet.ipv6MulticastMac(group, 0), src, group, ICMPV6_PROTOCOL, 255, m, 0, m.length);
  }

  private void sendNeighborAdvertisement(long ethDst, byte[] src, byte[] dst, byte[] target, int flags) {
    byte[] m = new byte[32];
    m[0] = (byte) Icmp.V6_NEIGHBOR_ADVERTISEMENT;
    m[4] = (byte) flags;
    System.arraycopy(target, 0, m, 8, 16);
    m[24] = Icmp.ND_OPT_TARGET_LL;
    m[25] = 1;
    Bytes.put48(m, 26, mac);
    fillIcmpChecksum(true, src, dst, m, 0, m.length);
    nd.sent++;
    transmitV6(ethDst, src, dst, ICMPV6_PROTOCOL, 255, m, 0, m.length);
  }
}
