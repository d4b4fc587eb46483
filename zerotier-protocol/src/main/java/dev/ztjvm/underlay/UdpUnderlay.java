package dev.ztjvm.underlay;

import dev.ztjvm.runtime.EventLoop;
import java.io.IOException;
import java.net.BindException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The UDP sockets of one node, driven by the node's {@link EventLoop}.
 *
 * <p>Every socket has a small integer id, which the protocol layer keeps with each path so replies leave through the
 * socket the peer knows. Received datagrams are copied into one reused buffer and handed to the {@link Receiver} on the
 * loop thread; the buffer is only valid during the call.
 */
public final class UdpUnderlay implements AutoCloseable {

  /** Maximum datagram accepted; larger ones are truncated by the OS and then rejected by the protocol layer. */
  public static final int MAX_DATAGRAM = 16384;

  private static final int READS_PER_WAKEUP = 64;

  /** Where received datagrams go. */
  @FunctionalInterface
  public interface Receiver {
    /** One datagram from {@code from}, arrived on socket {@code socketId}; {@code buf} valid only during the call. */
    void onDatagram(int socketId, InetSocketAddress from, byte[] buf, int off, int len);
  }

  /**
   * A bound socket: id, local address and role.
   *
   * @param dualStack an IPv6 wildcard socket that also carries IPv4 (as the JDK opens them)
   */
  public record LocalSocket(int id, InetSocketAddress localAddress, boolean secondary, boolean dualStack) {

    /** Whether this socket can send to {@code remote}. */
    public boolean canReach(InetAddress remote) {
      return dualStack || (localAddress.getAddress() instanceof Inet4Address) == (remote instanceof Inet4Address);
    }
  }

  private final EventLoop loop;
  private final Receiver receiver;
  private final List<DatagramChannel> channels = new ArrayList<>();
  private final List<LocalSocket> sockets = new ArrayList<>();
  private final byte[] receiveBuffer = new byte[MAX_DATAGRAM];
  private final ByteBuffer receiveView = ByteBuffer.wrap(receiveBuffer);
  // The JDK copies heap buffers into a temporary direct buffer anyway; one reused direct buffer avoids the garbage.
  private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(MAX_DATAGRAM);
  private final AtomicLong datagramsIn = new AtomicLong();
  private final AtomicLong datagramsOut = new AtomicLong();
  private final AtomicLong sendErrors = new AtomicLong();
  private int primaryPort;
  private boolean dualStackWildcard;
  private int secondaryPort;
  private @Nullable TcpRelayClient relay;

  private UdpUnderlay(EventLoop loop, Receiver receiver) {
    this.loop = loop;
    this.receiver = receiver;
  }

  /**
   * Binds the sockets {@code config} describes and registers them with {@code loop}. Call on the loop thread.
   *
   * @throws IOException when a fixed port cannot be bound (the message names the port and address) or no random
   *     port is free
   */
  public static UdpUnderlay open(EventLoop loop, UnderlayConfig config, Receiver receiver) throws IOException {
    return open(loop, config, receiver, new SecureRandom());
  }

  /**
   * Like {@link #open(EventLoop, UnderlayConfig, Receiver)}, with a TCP relay: when {@code relay} is forced no UDP
   * socket is bound and every datagram goes through the relay; otherwise the relay is used as a fallback (see {@link
   * TcpRelayPolicy}). Paths through the relay carry the socket id {@link TcpRelayClient#SOCKET_ID}.
   */
  public static UdpUnderlay open(EventLoop loop, UnderlayConfig config, TcpRelayConfig relay, Receiver receiver)
      throws IOException {
    UdpUnderlay u = relay.force() ? new UdpUnderlay(loop, receiver) : open(loop, config, receiver);
    if (relay.enabled()) {
      u.relay = new TcpRelayClient(loop, relay, receiver, u.nowMillis());
    }
    return u;
  }

  private long nowMillis() {
    return loop.nanoTime() / 1_000_000;
  }

  static UdpUnderlay open(EventLoop loop, UnderlayConfig config, Receiver receiver, Random random)
      throws IOException {
    UdpUnderlay u = new UdpUnderlay(loop, receiver);
    try {
      List<InetAddress> addresses = new ArrayList<>(config.bindAddresses());
      if (addresses.isEmpty()) {
        if (config.ipv6() && ipv6Available()) {
          // One dual-stack socket: binding 0.0.0.0 and :: to the same port conflicts where IPv6 sockets accept
          // IPv4 too (Linux's default, and how the JDK opens them).
          u.dualStackWildcard = config.ipv4();
          addresses.add(InetAddress.getByName("::"));
        } else if (config.ipv4()) {
          addresses.add(InetAddress.getByName("0.0.0.0"));
        }
      }
      u.primaryPort =
          config.port() != 0
              ? u.bindAll(addresses, config.port(), false)
              : u.bindRandom(addresses, config.randomPortMin(), config.randomPortMax(), random, false);
      if (config.secondaryPort()) {
        u.secondaryPort = u.bindRandom(addresses, config.randomPortMin(), config.randomPortMax(), random, true);
      }
      return u;
    } catch (IOException | RuntimeException e) {
      u.close();
      throw e;
    }
  }

  private static boolean ipv6Available() {
    try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET6)) {
      ch.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
      return true;
    } catch (IOException | UnsupportedOperationException e) {
      return false;
    }
  }

  private int bindRandom(List<InetAddress> addresses, int min, int max, Random random, boolean secondary)
      throws IOException {
    int span = max - min + 1;
    int start = random.nextInt(span);
    for (int i = 0; i < Math.min(span, 1000); i++) {
      int port = min + (start + i) % span;
      if (port == primaryPort) {
        continue;
      }
      try {
        return bindAll(addresses, port, secondary);
      } catch (BindException e) {
        // taken on one of the families: try the next port
      }
    }
    throw new BindException("No free UDP port in " + min + ".." + max);
  }

  /** Binds {@code port} on every address or none (a partly bound port is released before the exception). */
  private int bindAll(List<InetAddress> addresses, int port, boolean secondary) throws IOException {
    List<DatagramChannel> bound = new ArrayList<>();
    try {
      for (InetAddress a : addresses) {
        ProtocolFamily family = a instanceof Inet6Address ? StandardProtocolFamily.INET6 : StandardProtocolFamily.INET;
        DatagramChannel ch = DatagramChannel.open(family);
        bound.add(ch);
        ch.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
        ch.setOption(StandardSocketOptions.SO_SNDBUF, 4 << 20);
        try {
          ch.bind(new InetSocketAddress(a, port));
        } catch (BindException e) {
          BindException be =
              new BindException("UDP port " + port + " on " + a.getHostAddress() + " is in use or not bindable");
          be.initCause(e);
          throw be;
        }
        ch.configureBlocking(false);
      }
    } catch (IOException | RuntimeException e) {
      for (DatagramChannel ch : bound) {
        ch.close();
      }
      throw e;
    }
    for (DatagramChannel ch : bound) {
      int id = channels.size();
      channels.add(ch);
      InetSocketAddress local = (InetSocketAddress) ch.getLocalAddress();
      boolean dual = dualStackWildcard && local.getAddress() instanceof Inet6Address
          && local.getAddress().isAnyLocalAddress();
      sockets.add(new LocalSocket(id, local, secondary, dual));
      loop.register(ch, SelectionKey.OP_READ, key -> drain(id, ch));
    }
    return port;
  }

  private void drain(int id, DatagramChannel ch) {
    for (int i = 0; i < READS_PER_WAKEUP; i++) {
      SocketAddress from;
      receiveView.clear();
      try {
        from = ch.receive(receiveView);
      } catch (IOException e) {
        // ICMP errors surface here on some platforms (port unreachable); nothing to do for an unconnected socket.
        continue;
      }
      if (from == null) {
        return;
      }
      datagramsIn.incrementAndGet();
      TcpRelayClient r = relay;
      if (r != null) {
        r.udpReceived(receiveView.position(), nowMillis());
      }
      receiver.onDatagram(id, (InetSocketAddress) from, receiveBuffer, 0, receiveView.position());
    }
  }

  /**
   * Sends one datagram (on the loop thread). {@code socketId} picks the socket; a negative id picks the first primary socket of the
   * destination's family. Returns false when no suitable socket exists or the OS refused the datagram.
   */
  public boolean send(int socketId, InetSocketAddress to, byte[] buf, int off, int len) {
    TcpRelayClient r = relay;
    if (r != null) {
      long now = nowMillis();
      if (socketId == TcpRelayClient.SOCKET_ID ? r.usable(now) || r.forced() : r.relayNow(to, now)) {
        boolean relayed = r.send(to, buf, off, len, now);
        if (socketId == TcpRelayClient.SOCKET_ID || r.forced()) {
          return relayed;
        }
        // and over UDP too, so UDP takes over as soon as it works again (as ZeroTier One does)
      } else if (r.forced()) {
        return false;
      }
    }
    DatagramChannel ch = socketId >= 0 && socketId < channels.size() ? channels.get(socketId) : null;
    if (ch == null || !sockets.get(socketId).canReach(to.getAddress())) {
      ch = null;
      for (LocalSocket s : sockets) {
        if (!s.secondary() && s.canReach(to.getAddress())) {
          ch = channels.get(s.id());
          break;
        }
      }
      if (ch == null) {
        sendErrors.incrementAndGet();
        return false;
      }
    }
    try {
      sendBuffer.clear();
      sendBuffer.put(buf, off, len).flip();
      int n = ch.send(sendBuffer, to);
      if (n == len) {
        datagramsOut.incrementAndGet();
        return true;
      }
    } catch (IOException | RuntimeException e) {
      // unreachable network, no route, buffer full: the datagram is lost like on the wire
    }
    sendErrors.incrementAndGet();
    return false;
  }

  /** The TCP relay client, or null when no relay is configured. */
  public @Nullable TcpRelayClient tcpRelay() {
    return relay;
  }

  /** Bound sockets. */
  public List<LocalSocket> sockets() {
    return List.copyOf(sockets);
  }

  /** The primary port. */
  public int primaryPort() {
    return primaryPort;
  }

  /** The secondary port, or 0 when none was bound. */
  public int secondaryPort() {
    return secondaryPort;
  }

  /** Datagrams received so far. */
  public long datagramsIn() {
    return datagramsIn.get();
  }

  /** Datagrams sent so far. */
  public long datagramsOut() {
    return datagramsOut.get();
  }

  /** Sends the OS refused or that had no socket of the right family. */
  public long sendErrors() {
    return sendErrors.get();
  }

  @Override
  public void close() {
    for (DatagramChannel ch : channels) {
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
    channels.clear();
    TcpRelayClient r = relay;
    if (r != null) {
      r.close();
    }
  }
}
