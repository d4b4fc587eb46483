package dev.ztjvm.netstack;

import dev.ztjvm.netstack.arp.Arp;
import dev.ztjvm.netstack.ethernet.Ethernet;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.netstack.icmp.Icmp;
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
import java.net.InetAddress;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
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
 *
 * <p>This class is the interface core (configuration, the loop entry points, frame dispatch, transports and ICMP
 * errors); the rest is split as smoltcp splits {@code iface/}: {@link Ipv4Layer} (ARP, IPv4, ICMPv4),
 * {@link Ipv6Layer} (IPv6, NDP, ICMPv6), {@link MulticastGroups}, {@link RoutingTable} (addresses, routes, source
 * selection), {@link NeighborResolver} and {@link Pinger}.
 */
public final class NetworkInterface implements IpSender, IpAddressing {

  static final int ICMP_PROTOCOL = 1;
  static final int ICMPV6_PROTOCOL = 58;
  private static final int MAX_LOOPBACK_PER_POLL = 100_000;

  private final InterfaceConfig config;
  final long mac;
  private final FrameSink sink;
  private int mtu;
  /** Frame being built for transmission (one at a time: the loop is single-threaded). */
  byte[] tx;
  /** Source MAC of the frame being received (NDP answers it when a solicitation carries no link-layer option). */
  long currentFrameSource;
  private long now;

  final Counters eth = new Counters();
  final Counters arp = new Counters();
  final Counters ip4 = new Counters();
  final Counters frag4 = new Counters();
  final Counters ip6 = new Counters();
  final Counters frag6 = new Counters();
  final Counters icmp4 = new Counters();
  final Counters icmp6 = new Counters();
  final Counters nd = new Counters();
  private final Counters udpCounters = new Counters();
  private long internalErrors;

  final RoutingTable routing = new RoutingTable();
  final MulticastGroups groups = new MulticastGroups();
  final NeighborResolver neighbors;
  final Ipv4Layer ipv4;
  final Ipv6Layer ipv6;
  final Pinger pings;

  private final IpProtocolHandler[] handlers = new IpProtocolHandler[256];
  private final UdpLayer udp;
  private @Nullable TcpStack tcp;
  private final ArrayList<TimerClient> timerClients = new ArrayList<>();
  private final ArrayDeque<PendingPacket> loopback = new ArrayDeque<>();

  private long icmpTokens;
  private long icmpRefillAt;
  private final byte[] icmpScratch = new byte[1280];

  /** Creates the interface; with {@link InterfaceConfig#linkLocalIpv6()} it gets its fe80::/64 address now. */
  public NetworkInterface(InterfaceConfig config, FrameSink sink) {
    this.config = config;
    this.mac = config.mac().value();
    this.sink = sink;
    this.mtu = config.mtu();
    this.tx = new byte[Ethernet.HEADER_LENGTH + mtu];
    this.neighbors = new NeighborResolver(this, config.maxNeighbors());
    this.ipv4 = new Ipv4Layer(this, config);
    this.ipv6 = new Ipv6Layer(this, config);
    this.pings = new Pinger(this);
    this.udp = new UdpLayer(this, this, udpCounters, config.udpQueueDatagrams(), config.udpQueueBytes());
    this.icmpTokens = config.icmpErrorBurst();
    if (config.linkLocalIpv6()) {
      routing.addIpv6(Ipv6.linkLocalFromMac(mac), 64);
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

  /** The transport of {@code protocol} (UDP built in), or null. */
  @Nullable
  IpProtocolHandler handler(int protocol) {
    return protocol == UdpLayer.PROTOCOL ? udp : handlers[protocol];
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
      if (routing.isOwnV4(a)) {
        return;
      }
      routing.addIpv4(a, prefixLength);
      ipv4.sendArp(Arp.OP_REQUEST, MacAddress.BROADCAST.value(), a, 0, a);
    } else {
      if (prefixLength < 0 || prefixLength > 128) {
        throw new IllegalArgumentException("IPv6 prefix length must be 0..128: " + prefixLength);
      }
      byte[] a = address.getAddress();
      if (Ipv6.isMulticast(a, 0) || Ipv6.isUnspecified(a, 0)) {
        throw new IllegalArgumentException("not a unicast IPv6 address: " + address);
      }
      if (routing.ownV6Index(a, 0) >= 0) {
        return;
      }
      routing.addIpv6(a, prefixLength);
      ipv6.sendNeighborSolicitation(Ipv6.UNSPECIFIED, a, false);
      ipv6.sendNeighborAdvertisement(Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES, 0), a, Ipv6.ALL_NODES, a,
          Icmp.NA_FLAG_OVERRIDE);
    }
  }

  /** Removes an address; returns whether it was assigned. */
  public boolean removeAddress(InetAddress address) {
    if (address instanceof Inet4Address a4) {
      return routing.removeIpv4(Ipv4.toInt(a4));
    }
    return routing.removeIpv6(address.getAddress());
  }

  /** The assigned addresses, IPv4 first. */
  public List<AssignedAddress> addresses() {
    return routing.addresses();
  }

  /**
   * The Ethernet group addresses this interface wants to receive (for an overlay that forwards multicast only to
   * subscribers, e.g. ZeroTier's MULTICAST_LIKE): broadcast when IPv4 is configured and broadcast is allowed, the
   * IPv6 all-nodes group, and the solicited-node group of every IPv6 address.
   */
  public List<MacAddress> multicastSubscriptions() {
    ArrayList<MacAddress> list = new ArrayList<>();
    if (routing.hasIpv4()) {
      list.add(MacAddress.BROADCAST);
    }
    List<byte[]> v6Addresses = routing.ipv6Addresses();
    if (!v6Addresses.isEmpty()) {
      list.add(new MacAddress(Ethernet.ipv6MulticastMac(Ipv6.ALL_NODES, 0)));
    }
    for (byte[] a : v6Addresses) {
      MacAddress m = new MacAddress(Ethernet.ipv6MulticastMac(Ipv6.solicitedNode(a, 0), 0));
      if (!list.contains(m)) {
        list.add(m);
      }
    }
    groups.addSubscriptionMacs(list);
    return List.copyOf(list);
  }

  /**
   * Called (on the loop) whenever {@link #multicastSubscriptions()} changes because a group was joined for the first
   * time or left for the last time, so an overlay can announce the change (e.g. ZeroTier's MULTICAST_LIKE).
   */
  public void setSubscriptionListener(@Nullable Runnable listener) {
    groups.setSubscriptionListener(listener);
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
    return groups.leave(group.getAddress());
  }

  /** Whether a socket of this interface has joined {@code group} (4 or 16 bytes). Allocation-free. */
  public boolean isJoinedGroup(byte[] group) {
    return groups.isJoined(group);
  }

  /** References held on {@code group}: 0 when not joined. */
  public int groupReferences(InetAddress group) {
    return groups.references(group.getAddress());
  }

  /** The joined multicast groups. */
  public List<InetAddress> joinedGroups() {
    return groups.joined();
  }

  @Override
  public void joinGroup(byte[] group) {
    groups.join(group);
  }

  @Override
  public void leaveGroup(byte[] group) {
    groups.leave(group);
  }

  /** Adds a route; a gateway must be on-link when used. A {@code 0.0.0.0/0} or {@code ::/0} route is a default. */
  public void addRoute(Route route) {
    routing.addRoute(route);
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
    return routing.removeRoute(route);
  }

  public List<Route> routes() {
    return routing.routes();
  }

  /** The cached MAC of a neighbour, or {@code null} if not (yet) resolved. For diagnostics and tests. */
  public @Nullable MacAddress neighbor(InetAddress address) {
    return neighbors.neighbor(address);
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
    try {
      handleFrame(frame, off, len);
    } catch (RuntimeException e) {
      internalErrors++;
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
    try {
      drainLoopback();
      neighbors.poll();
      ipv4.reassembly().expire(now);
      ipv6.reassembly().expire(now);
      pings.expire();
      for (int i = 0; i < timerClients.size(); i++) {
        timerClients.get(i).poll(now);
      }
      drainLoopback();
    } catch (RuntimeException e) {
      internalErrors++;
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
    long next = Math.min(ipv4.reassembly().nextDeadline(), ipv6.reassembly().nextDeadline());
    next = Math.min(next, neighbors.nextDeadline());
    next = Math.min(next, pings.nextDeadline());
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

  /**
   * Sends an ICMP/ICMPv6 echo request and completes the future with the round-trip time in nanoseconds when the
   * reply arrives (measured with the times given to {@link #receiveFrame}). The future fails with a
   * {@link TimeoutException} when no reply came by {@code nowNanos + timeoutNanos} (noticed by {@link #poll}),
   * with {@link NoRouteToHostException} if it could not be sent, or with an {@link java.io.IOException} on an
   * ICMP unreachable answer. Completion happens on the loop thread.
   */
  public CompletableFuture<Long> ping(InetAddress destination, int payloadLength, long nowNanos, long timeoutNanos) {
    advance(nowNanos);
    return pings.ping(destination, payloadLength, timeoutNanos);
  }

  static void fillIcmpChecksum(boolean v6, byte[] src, byte[] dst, byte[] m, int off, int len) {
    m[off + 2] = 0;
    m[off + 3] = 0;
    long sum = v6 ? InternetChecksum.pseudoHeader(src, dst, ICMPV6_PROTOCOL, len) : 0;
    Bytes.put16(m, off + 2, InternetChecksum.finish(InternetChecksum.add(sum, m, off, len)));
  }

  // ---------------------------------------------------------------------------------------------------------
  // IpAddressing

  @Override
  public boolean isLocalAddress(byte[] address) {
    return routing.isLocalAddress(address);
  }

  @Override
  public byte @Nullable [] sourceAddressFor(byte[] destination) {
    return routing.sourceAddressFor(destination);
  }

  @Override
  public boolean isBroadcast(byte[] address) {
    return routing.isBroadcast(address);
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
      return ipv4.send(Bytes.i32(src, 0), d, protocol, Ipv4.isMulticast(d) ? 1 : config.defaultHopLimit(), payload,
          off, len);
    }
    if (dst.length == 16 && src.length == 16) {
      return ipv6.send(src, dst, protocol, Ipv6.isMulticast(dst, 0) ? 1 : config.defaultHopLimit(), payload, off,
          len);
    }
    throw new IllegalArgumentException("address lengths " + src.length + "/" + dst.length);
  }

  @Override
  public boolean sendMulticast(
      byte[] src, byte[] dst, int protocol, int ttl, boolean loop, byte[] payload, int off, int len) {
    if (!MulticastGroups.isGroupAddress(dst) || src.length != dst.length) {
      return send(src, dst, protocol, payload, off, len);
    }
    int hops = Math.max(0, Math.min(255, ttl));
    if (loop && isJoinedGroup(dst)) {
      // Our own member sockets get a copy through the loopback queue (next poll), like IP_MULTICAST_LOOP.
      enqueueLoopback(src.clone(), dst.clone(), protocol, payload, off, len, hops, dst.length == 4 ? ip4 : ip6);
    }
    if (dst.length == 4) {
      return ipv4.send(Bytes.i32(src, 0), Bytes.i32(dst, 0), protocol, hops, payload, off, len);
    }
    return ipv6.send(src, dst, protocol, hops, payload, off, len);
  }

  void emit(byte[] frame, int len) {
    eth.sent++;
    sink.sendFrame(frame, 0, len);
  }

  /** Queues a datagram to one of our own addresses for the next poll; false if the queue is full. */
  boolean enqueueLoopback(
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
          MulticastGroups.isGroupAddress(p.dst()), p.hopLimit(), c);
    }
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
        ipv4.receive(f, p, n);
      }
      case Ethernet.TYPE_ARP -> {
        eth.delivered++;
        ipv4.receiveArp(f, p, n);
      }
      case Ethernet.TYPE_IPV6 -> {
        eth.delivered++;
        ipv6.receive(f, p, n);
      }
      default -> eth.dropProtocol();
    }
  }

  /**
   * Hands a datagram's payload to its transport. {@code c} is the counter set of the layer handing it up (IP, or
   * reassembly for reassembled datagrams).
   */
  void deliverTransport(
      boolean v6, byte[] src, byte[] dst, int protocol, byte[] b, int off, int len, boolean group, int hopLimit,
      Counters c) {
    if (!v6 && protocol == ICMP_PROTOCOL) {
      c.delivered++;
      ipv4.receiveIcmp(src, dst, b, off, len, group);
    } else if (v6 && protocol == ICMPV6_PROTOCOL) {
      c.delivered++;
      ipv6.receiveIcmp(src, dst, b, off, len, group, hopLimit);
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

  /** An ICMP error about a datagram we sent: to the ping it failed, or to the transport that sent it. */
  void dispatchIcmpError(
      boolean v6, int protocol, IcmpErrorKind kind, byte[] src, byte[] dst, byte[] b, int off, int len, int mtuHint) {
    if ((!v6 && protocol == ICMP_PROTOCOL) || (v6 && protocol == ICMPV6_PROTOCOL)) {
      pings.requestFailed(v6, kind, dst, b, off);
      return;
    }
    IpProtocolHandler h = handler(protocol);
    if (h != null) {
      h.icmpError(kind, src, dst, b, off, len, mtuHint, now);
    }
  }
}
