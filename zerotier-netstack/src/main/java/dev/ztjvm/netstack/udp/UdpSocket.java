package dev.ztjvm.netstack.udp;

import dev.ztjvm.netstack.ip.IpProtocolHandler.IcmpErrorKind;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A UDP socket of one interface. Like everything in the stack it is single-threaded: call it only from the loop
 * that drives the interface. Receiving is non-blocking ({@link #receive()} returns {@code null} when nothing is
 * queued); a {@link Listener} hears about arrivals and ICMP errors.
 */
public final class UdpSocket implements AutoCloseable {

  /** Readiness callbacks, called on the loop thread. */
  public interface Listener {
    /** A datagram was queued; drain with {@link UdpSocket#receive()}. */
    void onReadable(UdpSocket socket);

    /** An ICMP error arrived for a datagram of this connected socket (e.g. port unreachable). */
    default void onError(UdpSocket socket, IcmpErrorKind kind) {}
  }

  private final UdpLayer layer;
  private final ArrayDeque<UdpDatagram> queue = new ArrayDeque<>();
  private int queuedBytes;
  private final int maxDatagrams;
  private final int maxBytes;

  byte @Nullable [] localAddress;
  int localPort;
  byte @Nullable [] remoteAddress;
  int remotePort;
  boolean bound;
  private boolean closed;
  private boolean broadcast;
  private @Nullable Listener listener;
  private @Nullable IcmpErrorKind pendingError;
  private long droppedDatagrams;
  private final java.util.ArrayList<byte[]> groups = new java.util.ArrayList<>(0);
  private int multicastTtl = 1;
  private boolean multicastLoop = true;

  UdpSocket(UdpLayer layer, int maxDatagrams, int maxBytes) {
    this.layer = layer;
    this.maxDatagrams = maxDatagrams;
    this.maxBytes = maxBytes;
  }

  /**
   * Binds to {@code address} (one of the interface's addresses, or {@code null} for any) and {@code port}
   * (0 picks a free ephemeral port).
   *
   * @throws IllegalStateException if already bound or closed, or the port is taken for that address
   * @throws IllegalArgumentException if the address is not the interface's own or the port is out of range
   */
  public UdpSocket bind(@Nullable InetAddress address, int port) {
    checkOpen();
    if (bound) {
      throw new IllegalStateException("socket is already bound to port " + localPort);
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    layer.bind(this, address == null ? null : address.getAddress(), port);
    return this;
  }

  /**
   * Connects to a peer: sends without an explicit destination go there and only datagrams from that peer are
   * received. Binds to an ephemeral port first if needed.
   */
  public UdpSocket connect(InetAddress address, int port) {
    checkOpen();
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    byte[] a = address.getAddress();
    if (localAddress != null && localAddress.length != a.length) {
      throw new IllegalArgumentException("peer " + address + " is of another family than the bound address");
    }
    if (!bound) {
      layer.bind(this, null, 0);
    }
    remoteAddress = a;
    remotePort = port;
    return this;
  }

  /** Forgets the connected peer. */
  public void disconnect() {
    remoteAddress = null;
    remotePort = 0;
  }

  /** Allows sending to broadcast addresses (like SO_BROADCAST). */
  public void setBroadcast(boolean enabled) {
    this.broadcast = enabled;
  }

  public boolean isBroadcast() {
    return broadcast;
  }

  /**
   * Joins a multicast group: datagrams sent to {@code group} and this socket's port are delivered to it (the socket
   * must be bound to the wildcard address or to the group). The interface subscribes to the group's Ethernet
   * address while at least one of its sockets is a member. {@link #close()} leaves every group.
   *
   * @throws IllegalArgumentException if {@code group} is not a multicast address
   * @throws IllegalStateException if the socket is closed or already a member of {@code group}
   */
  public void joinGroup(InetAddress group) {
    checkOpen();
    if (!group.isMulticastAddress()) {
      throw new IllegalArgumentException(group.getHostAddress() + " is not a multicast address");
    }
    byte[] g = group.getAddress();
    if (isMember(g)) {
      throw new IllegalStateException("already a member of " + group.getHostAddress());
    }
    layer.joinGroup(g);
    groups.add(g);
  }

  /** Leaves a group joined with {@link #joinGroup}; returns false if this socket was not a member. */
  public boolean leaveGroup(InetAddress group) {
    byte[] g = group.getAddress();
    for (int i = 0, n = groups.size(); i < n; i++) {
      if (Arrays.equals(groups.get(i), g)) {
        groups.remove(i);
        layer.leaveGroup(g);
        return true;
      }
    }
    return false;
  }

  /** Whether this socket joined {@code group} (4 or 16 bytes). Allocation-free. */
  public boolean isMember(byte[] group) {
    for (int i = 0, n = groups.size(); i < n; i++) {
      if (Arrays.equals(groups.get(i), group)) {
        return true;
      }
    }
    return false;
  }

  /** TTL / hop limit of datagrams this socket sends to multicast groups (IP_MULTICAST_TTL; default 1). */
  public void setMulticastTtl(int ttl) {
    if (ttl < 0 || ttl > 255) {
      throw new IllegalArgumentException("TTL out of range: " + ttl);
    }
    this.multicastTtl = ttl;
  }

  public int multicastTtl() {
    return multicastTtl;
  }

  /**
   * Whether this socket's multicast datagrams are also delivered to member sockets of the same interface, this one
   * included (IP_MULTICAST_LOOP; default true, as in Java).
   */
  public void setMulticastLoop(boolean enabled) {
    this.multicastLoop = enabled;
  }

  public boolean multicastLoop() {
    return multicastLoop;
  }

  public void setListener(@Nullable Listener listener) {
    this.listener = listener;
  }

  /**
   * Sends {@code data[off, off+len)} to {@code address:port}. Binds to an ephemeral port first if needed.
   *
   * @return false if the stack dropped the datagram (no route or source address, neighbour queue full)
   * @throws IllegalArgumentException if the payload is too large, the port invalid or the family does not match
   *     the bound address
   * @throws IllegalStateException if the destination is a broadcast address and {@link #setBroadcast} is off
   */
  public boolean send(byte[] data, int off, int len, InetAddress address, int port) {
    return send(data, off, len, address.getAddress(), port);
  }

  /** Sends to a destination given as a 4- or 16-byte address. */
  public boolean send(byte[] data, int off, int len, byte[] address, int port) {
    checkOpen();
    if (port <= 0 || port > 65535) {
      throw new IllegalArgumentException("destination port out of range: " + port);
    }
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("address must have 4 or 16 bytes, got " + address.length);
    }
    if (!bound) {
      layer.bind(this, null, 0);
    }
    return layer.send(this, address, port, data, off, len);
  }

  /** Sends to the connected peer. */
  public boolean send(byte[] data, int off, int len) {
    byte[] r = remoteAddress;
    if (r == null) {
      throw new IllegalStateException("socket is not connected");
    }
    return send(data, off, len, r, remotePort);
  }

  /** Next queued datagram, or {@code null}. */
  public @Nullable UdpDatagram receive() {
    UdpDatagram d = queue.poll();
    if (d != null) {
      queuedBytes -= d.data().length;
    }
    return d;
  }

  /** Number of queued datagrams. */
  public int queued() {
    return queue.size();
  }

  /** Datagrams dropped because the receive queue was full. */
  public long droppedDatagrams() {
    return droppedDatagrams;
  }

  /** Returns and clears the last ICMP error reported for this (connected) socket. */
  public @Nullable IcmpErrorKind takeError() {
    IcmpErrorKind e = pendingError;
    pendingError = null;
    return e;
  }

  /** Local port, 0 while unbound. */
  public int localPort() {
    return localPort;
  }

  /** Bound local address and port ({@code null} address for "any"). */
  public InetSocketAddress localAddress() {
    byte[] a = localAddress;
    if (a == null) {
      return new InetSocketAddress(localPort);
    }
    try {
      return new InetSocketAddress(InetAddress.getByAddress(a), localPort);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  public boolean isConnected() {
    return remoteAddress != null;
  }

  public boolean isClosed() {
    return closed;
  }

  /** Unbinds; queued datagrams are discarded. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      for (byte[] g : groups) {
        layer.leaveGroup(g);
      }
      groups.clear();
      layer.unbind(this);
      queue.clear();
      queuedBytes = 0;
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("socket is closed");
    }
  }

  boolean acceptsFrom(byte[] src, int srcPort) {
    byte[] r = remoteAddress;
    return r == null || (remotePort == srcPort && Arrays.equals(r, src));
  }

  boolean matchesLocal(byte[] dst) {
    byte[] l = localAddress;
    return l == null ? true : Arrays.equals(l, dst);
  }

  /** Queues a datagram; false if the queue is full. */
  boolean enqueue(UdpDatagram d) {
    if (queue.size() >= maxDatagrams || queuedBytes + d.data().length > maxBytes) {
      droppedDatagrams++;
      return false;
    }
    queue.add(d);
    queuedBytes += d.data().length;
    Listener l = listener;
    if (l != null) {
      l.onReadable(this);
    }
    return true;
  }

  void error(IcmpErrorKind kind) {
    pendingError = kind;
    Listener l = listener;
    if (l != null) {
      l.onError(this, kind);
    }
  }
}
