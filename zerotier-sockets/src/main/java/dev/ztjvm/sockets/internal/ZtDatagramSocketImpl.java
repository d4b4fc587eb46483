package dev.ztjvm.sockets.internal;

import dev.ztjvm.netstack.udp.UdpDatagram;
import dev.ztjvm.netstack.udp.UdpSocket;
import dev.ztjvm.sockets.NetstackHost;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocketImpl;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The {@link DatagramSocketImpl} of a {@code ZeroTierDatagramSocket}: one stack {@link UdpSocket} per interface
 * (wildcard bind) or on the interface owning the bound address. Arriving datagrams are moved by the loop into this
 * socket's queue (bounded by SO_RCVBUF) and wake receivers; sends post to the loop.
 */
public final class ZtDatagramSocketImpl extends DatagramSocketImpl {

  private record Bound(dev.ztjvm.netstack.NetworkInterface nif, UdpSocket socket) {}

  private final NetstackHost host;
  private final Signal signal = new Signal();
  private final ArrayDeque<UdpDatagram> queue = new ArrayDeque<>();
  private int queuedBytes;
  private final ArrayList<Bound> bound = new ArrayList<>(); // loop only
  private @Nullable InetAddress bindAddress;
  private volatile byte @Nullable [] remoteAddress;
  private volatile int remotePort;
  private volatile boolean closed;
  private volatile int timeout;
  private volatile boolean broadcast;
  private int receiveBuffer = 1 << 20;
  private int sendBuffer = 65507;
  private int trafficClass;
  private volatile int ttl = 1; // IP_MULTICAST_TTL: applies to datagrams sent to multicast groups
  private volatile boolean multicastLoop = true;
  private boolean reuseAddress;

  public ZtDatagramSocketImpl(NetstackHost host) {
    this.host = Objects.requireNonNull(host, "host");
  }

  @Override
  protected void create() throws SocketException {}

  @Override
  protected void bind(int lport, InetAddress laddr) throws SocketException {
    if (closed) {
      throw new SocketException("Socket closed");
    }
    boolean wildcard = laddr == null || laddr.isAnyLocalAddress();
    try {
      int port = host.call(() -> {
        int attempts = lport == 0 ? 64 : 1;
        for (int i = 0; i < attempts; i++) {
          int p = lport != 0 ? lport : 49152 + ThreadLocalRandom.current().nextInt(16384);
          if (bindAll(wildcard ? null : laddr, p)) {
            return p;
          }
        }
        return -1;
      });
      if (port < 0) {
        throw new BindException("Address already in use: port " + lport);
      }
      localPort = port;
      bindAddress = wildcard ? null : laddr;
    } catch (IOException e) {
      throw ImplOptions.asSocketException(e);
    }
  }

  /** Loop only. */
  private boolean bindAll(@Nullable InetAddress address, int port) throws BindException {
    java.util.List<dev.ztjvm.netstack.NetworkInterface> targets;
    if (address != null && !address.isMulticastAddress()) {
      var nif = host.interfaceWithAddress(address);
      if (nif == null) {
        throw ImplOptions.notLocal(address);
      }
      targets = java.util.List.of(nif);
    } else {
      targets = host.interfaces();
    }
    for (var nif : targets) {
      UdpSocket s = nif.udp().open();
      try {
        s.bind(address, port);
      } catch (IllegalStateException | IllegalArgumentException e) {
        s.close();
        for (Bound b : bound) {
          b.socket().close();
        }
        bound.clear();
        return false;
      }
      s.setBroadcast(broadcast);
      s.setListener(this::drain);
      bound.add(new Bound(nif, s));
    }
    return true;
  }

  /** Loop: moves arrived datagrams into the receive queue. */
  private void drain(UdpSocket s) {
    UdpDatagram d;
    boolean any = false;
    while ((d = s.receive()) != null) {
      byte[] r = remoteAddress;
      if (r != null && (d.sourcePort() != remotePort || !Arrays.equals(r, d.source()))) {
        continue; // connected: only the peer's datagrams
      }
      synchronized (queue) {
        if (queuedBytes + d.data().length > receiveBuffer) {
          continue; // full: dropped, like a kernel socket buffer
        }
        queue.add(d);
        queuedBytes += d.data().length;
      }
      any = true;
    }
    if (any) {
      signal.fire();
    }
  }

  @Override
  protected void send(DatagramPacket p) throws IOException {
    if (closed) {
      throw new SocketException("Socket closed");
    }
    InetAddress dst = p.getAddress();
    if (dst == null) {
      throw new IllegalArgumentException("packet has no destination address");
    }
    byte[] data = Arrays.copyOfRange(p.getData(), p.getOffset(), p.getOffset() + p.getLength());
    int port = p.getPort();
    boolean bc = broadcast;
    int mttl = ttl;
    boolean mloop = multicastLoop;
    host.call(() -> {
      var nif = dst.isMulticastAddress() ? multicastInterface(dst) : host.interfaceFor(dst);
      if (nif == null) {
        throw new NoRouteToHostException("No route to host " + dst.getHostAddress());
      }
      UdpSocket s = null;
      for (Bound b : bound) {
        if (b.nif() == nif) {
          s = b.socket();
        }
      }
      if (s == null) {
        throw new NoRouteToHostException("Socket is not bound on the interface towards " + dst.getHostAddress());
      }
      s.setBroadcast(bc);
      s.setMulticastTtl(Math.max(0, Math.min(255, mttl)));
      s.setMulticastLoop(mloop);
      try {
        s.send(data, 0, data.length, dst, port);
      } catch (IllegalStateException e) {
        throw new SocketException("Permission denied (broadcast needs SO_BROADCAST): " + e.getMessage());
      } catch (IllegalArgumentException e) {
        throw new SocketException(e.getMessage());
      }
      host.wakeup();
      return null;
    });
  }

  /**
   * Loop: the interface a datagram to a multicast group leaves on. A ZeroTier network is one link, so there is no
   * route to follow: the socket's own interface when it is bound to an address, else the first interface it is bound
   * on that has an address of the group's family (any bound interface as a last resort).
   */
  private dev.ztjvm.netstack.@Nullable NetworkInterface multicastInterface(InetAddress group) {
    int family = group.getAddress().length;
    for (Bound b : bound) {
      for (var a : b.nif().addresses()) {
        if (a.address().getAddress().length == family) {
          return b.nif();
        }
      }
    }
    return bound.isEmpty() ? null : bound.get(0).nif();
  }

  private UdpDatagram next(boolean remove) throws IOException {
    long deadline = Signal.deadline(timeout);
    while (true) {
      long seen = signal.sequence();
      if (closed) {
        throw new SocketException("Socket closed");
      }
      synchronized (queue) {
        UdpDatagram d = remove ? queue.poll() : queue.peek();
        if (d != null) {
          if (remove) {
            queuedBytes -= d.data().length;
          }
          return d;
        }
      }
      if (!signal.await(seen, deadline)) {
        throw new SocketTimeoutException("Receive timed out");
      }
    }
  }

  private static void fill(DatagramPacket p, UdpDatagram d) throws UnknownHostException {
    int n = Math.min(d.data().length, p.getLength());
    System.arraycopy(d.data(), 0, p.getData(), p.getOffset(), n);
    p.setLength(n);
    p.setAddress(InetAddress.getByAddress(d.source()));
    p.setPort(d.sourcePort());
  }

  @Override
  protected void receive(DatagramPacket p) throws IOException {
    fill(p, next(true));
  }

  @Override
  protected int peek(InetAddress i) throws IOException {
    return next(false).sourcePort();
  }

  @Override
  protected int peekData(DatagramPacket p) throws IOException {
    UdpDatagram d = next(false);
    fill(p, d);
    return d.sourcePort();
  }

  @Override
  protected void connect(InetAddress address, int port) throws SocketException {
    byte[] r = address.getAddress();
    remotePort = port;
    remoteAddress = r;
    synchronized (queue) {
      queue.removeIf(d -> d.sourcePort() != port || !Arrays.equals(r, d.source()));
      queuedBytes = queue.stream().mapToInt(d -> d.data().length).sum();
    }
  }

  @Override
  protected void disconnect() {
    remoteAddress = null;
    remotePort = 0;
  }

  @Override
  protected void setTTL(byte ttl) {
    this.ttl = ttl & 0xff;
  }

  @Override
  protected byte getTTL() {
    return (byte) ttl;
  }

  @Override
  protected void setTimeToLive(int ttl) {
    this.ttl = ttl;
  }

  @Override
  protected int getTimeToLive() {
    return ttl;
  }

  @Override
  protected void join(InetAddress inetaddr) throws IOException {
    joinGroup(new InetSocketAddress(inetaddr, 0), null);
  }

  @Override
  protected void leave(InetAddress inetaddr) throws IOException {
    leaveGroup(new InetSocketAddress(inetaddr, 0), null);
  }

  /**
   * Joins {@code mcastaddr} on every ZeroTier network this socket is bound on (all networks of the node for a
   * wildcard bind, the network holding the bound address otherwise). {@code netIf} is ignored: ZeroTier networks are
   * not {@link java.net.NetworkInterface}s of the JVM.
   */
  @Override
  protected void joinGroup(SocketAddress mcastaddr, java.net.@Nullable NetworkInterface netIf) throws IOException {
    InetAddress group = groupOf(mcastaddr);
    ImplOptions.ensureOpen(closed);
    host.call(() -> {
      if (bound.isEmpty()) {
        throw new SocketException("Socket is not bound");
      }
      byte[] g = group.getAddress();
      for (Bound b : bound) {
        if (b.socket().isMember(g)) {
          throw new SocketException("Already a member of group " + group.getHostAddress());
        }
      }
      for (Bound b : bound) {
        b.socket().joinGroup(group);
      }
      host.wakeup();
      return null;
    });
  }

  /** Leaves a group joined with {@link #joinGroup}; {@code netIf} is ignored. */
  @Override
  protected void leaveGroup(SocketAddress mcastaddr, java.net.@Nullable NetworkInterface netIf) throws IOException {
    InetAddress group = groupOf(mcastaddr);
    ImplOptions.ensureOpen(closed);
    host.call(() -> {
      boolean left = false;
      for (Bound b : bound) {
        left |= b.socket().leaveGroup(group);
      }
      if (!left) {
        throw new SocketException("Not a member of group " + group.getHostAddress());
      }
      host.wakeup();
      return null;
    });
  }

  private static InetAddress groupOf(SocketAddress mcastaddr) throws SocketException {
    if (!(mcastaddr instanceof InetSocketAddress isa) || isa.getAddress() == null) {
      throw new IllegalArgumentException("Unsupported address type: " + mcastaddr);
    }
    InetAddress a = isa.getAddress();
    if (!a.isMulticastAddress()) {
      throw new SocketException("Not a multicast address: " + a.getHostAddress());
    }
    return a;
  }

  @Override
  protected void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (!host.isClosed()) {
      host.post(() -> {
        for (Bound b : bound) {
          b.socket().close();
        }
        bound.clear();
      });
    }
    signal.fire();
  }

  @Override
  public void setOption(int optID, Object value) throws SocketException {
    ImplOptions.ensureOpen(closed);
    switch (optID) {
      case SocketOptions.SO_TIMEOUT -> timeout = (Integer) value;
      case SocketOptions.SO_BROADCAST -> broadcast = (Boolean) value;
      case SocketOptions.SO_RCVBUF -> receiveBuffer = Math.max(1, (Integer) value);
      case SocketOptions.SO_SNDBUF -> sendBuffer = Math.max(1, (Integer) value);
      case SocketOptions.IP_TOS -> trafficClass = ((Integer) value) & 0xff;
      case SocketOptions.SO_REUSEADDR -> reuseAddress = (Boolean) value;
      case SocketOptions.IP_MULTICAST_LOOP -> multicastLoop = !(Boolean) value; // legacy: true disables
      default -> throw ImplOptions.unsupported(optID);
    }
  }

  @Override
  public Object getOption(int optID) throws SocketException {
    ImplOptions.ensureOpen(closed);
    return switch (optID) {
      case SocketOptions.SO_TIMEOUT -> timeout;
      case SocketOptions.SO_BROADCAST -> broadcast;
      case SocketOptions.SO_RCVBUF -> receiveBuffer;
      case SocketOptions.SO_SNDBUF -> sendBuffer;
      case SocketOptions.IP_TOS -> trafficClass;
      case SocketOptions.SO_REUSEADDR -> reuseAddress;
      case SocketOptions.IP_MULTICAST_LOOP -> !multicastLoop; // legacy: true means disabled
      case SocketOptions.SO_BINDADDR -> {
        InetAddress a = bindAddress;
        yield a != null ? a : ImplOptions.ANY_LOCAL;
      }
      default -> throw ImplOptions.unsupported(optID);
    };
  }

  // The JDK's DatagramSocketImpl rejects every SocketOption-typed call (DatagramSocket.setOption/getOption) unless the
  // implementation maps them itself: map the standard names onto the int options above.

  @Override
  protected Set<SocketOption<?>> supportedOptions() {
    return Set.of(StandardSocketOptions.SO_SNDBUF, StandardSocketOptions.SO_RCVBUF,
        StandardSocketOptions.SO_REUSEADDR, StandardSocketOptions.SO_BROADCAST, StandardSocketOptions.IP_TOS,
        StandardSocketOptions.IP_MULTICAST_TTL, StandardSocketOptions.IP_MULTICAST_LOOP);
  }

  @Override
  protected <T> void setOption(SocketOption<T> name, T value) throws IOException {
    Objects.requireNonNull(name, "name");
    if (!supportedOptions().contains(name)) {
      throw new UnsupportedOperationException("'" + name + "' not supported");
    }
    if (!name.type().isInstance(value)) {
      throw new IllegalArgumentException("invalid value for " + name + ": " + value);
    }
    if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
      int ttlValue = (Integer) value;
      if (ttlValue < 0 || ttlValue > 255) {
        throw new IllegalArgumentException("TTL out of range: " + ttlValue);
      }
      setTimeToLive(ttlValue);
    } else if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
      multicastLoop = (Boolean) value;
    } else {
      setOption(ImplOptions.legacyId(name), value);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  protected <T> T getOption(SocketOption<T> name) throws IOException {
    Objects.requireNonNull(name, "name");
    if (!supportedOptions().contains(name)) {
      throw new UnsupportedOperationException("'" + name + "' not supported");
    }
    if (name == StandardSocketOptions.IP_MULTICAST_TTL) {
      return (T) Integer.valueOf(getTimeToLive());
    }
    if (name == StandardSocketOptions.IP_MULTICAST_LOOP) {
      return (T) Boolean.valueOf(multicastLoop);
    }
    return (T) getOption(ImplOptions.legacyId(name));
  }
}
