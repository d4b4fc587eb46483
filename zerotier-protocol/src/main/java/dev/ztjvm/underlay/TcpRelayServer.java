package dev.ztjvm.underlay;

import dev.ztjvm.runtime.EventLoop;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * A TCP relay for nodes that cannot use UDP, wire-compatible with ZeroTier One's {@code tcp-proxy}: nodes connect over
 * TCP and send records ({@link TcpRelayCodec}) naming an IPv4 destination; the relay sends each datagram from a UDP
 * socket of its own and returns what arrives on that socket to the node, prefixed with the sender's address.
 *
 * <p>Each client gets its own UDP socket (an ephemeral port on the configured address), as in {@code tcp-proxy}: that
 * is how an answer finds the client it belongs to, and the peers see each client as a distinct endpoint. Rules kept
 * from {@code tcp-proxy}: records are forwarded only after the client's hello (older clients without it are not
 * served), never to privileged ports (1024 and below, an abuse rule), only IPv4, only datagrams of at least 16 bytes;
 * a client idle for {@value #IDLE_TIMEOUT_SECONDS} s is closed; at most {@value #CLIENT_QUEUE_LIMIT} bytes are queued
 * towards a slow client, further datagrams are dropped.
 *
 * <p>Runs on its own {@link EventLoop} thread; all sockets are non-blocking. Counters are readable from any thread.
 */
public final class TcpRelayServer implements AutoCloseable {

  /** ZeroTier's relays listen on the HTTPS port so that the records pass firewalls that allow only web traffic. */
  public static final int DEFAULT_PORT = 443;

  /** Idle time after which a client is disconnected ({@code tcp-proxy}'s connection timeout). */
  public static final int IDLE_TIMEOUT_SECONDS = 300;

  /** Bytes queued towards one client before datagrams for it are dropped ({@code tcp-proxy}'s write buffer). */
  public static final int CLIENT_QUEUE_LIMIT = 128 * 1024;

  private static final long HOUSEKEEPING_NANOS = 30_000_000_000L;
  private static final int READS_PER_WAKEUP = 16;

  private final EventLoop loop;
  private final InetAddress udpBindAddress;
  private final ServerSocketChannel listener;
  private final Set<Client> clients = new LinkedHashSet<>();
  private final byte[] udpBuffer = new byte[UdpUnderlay.MAX_DATAGRAM];
  private final ByteBuffer udpView = ByteBuffer.wrap(udpBuffer);
  private final ByteBuffer udpSend = ByteBuffer.allocateDirect(UdpUnderlay.MAX_DATAGRAM);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong current = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong returned = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private EventLoop.@Nullable Timer housekeeping;

  private TcpRelayServer(EventLoop loop, ServerSocketChannel listener, InetAddress udpBindAddress) {
    this.loop = loop;
    this.listener = listener;
    this.udpBindAddress = udpBindAddress;
  }

  /**
   * Starts a relay listening for TCP clients on {@code listen} (port 0 picks a free one) whose UDP sockets are bound
   * to {@code udpBindAddress} (the wildcard {@code 0.0.0.0} to reach anything, {@code 127.0.0.1} for local tests).
   *
   * @throws IOException when the TCP port cannot be bound (the message names it)
   */
  public static TcpRelayServer start(InetSocketAddress listen, InetAddress udpBindAddress) throws IOException {
    if (!(udpBindAddress instanceof Inet4Address)) {
      throw new IllegalArgumentException(
          "UDP bind address " + udpBindAddress.getHostAddress() + " must be IPv4: the relay protocol carries IPv4");
    }
    ServerSocketChannel ch = ServerSocketChannel.open();
    try {
      ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      ch.bind(listen, 128);
      ch.configureBlocking(false);
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot listen for relay clients on TCP " + listen + ": " + e.getMessage(), e);
    }
    EventLoop loop = new EventLoop("zerotier-relay-" + ((InetSocketAddress) ch.getLocalAddress()).getPort()).start();
    TcpRelayServer server = new TcpRelayServer(loop, ch, udpBindAddress);
    try {
      loop.call(
          () -> {
            loop.register(ch, SelectionKey.OP_ACCEPT, k -> server.acceptAll());
            server.housekeeping = loop.schedule(HOUSEKEEPING_NANOS, server::housekeep);
            return null;
          },
          Duration.ofSeconds(10));
    } catch (ExecutionException | TimeoutException e) {
      server.close();
      throw new IOException("relay event loop did not start: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      server.close();
      throw new java.io.InterruptedIOException("interrupted while starting the relay");
    }
    return server;
  }

  /** The event loop the server runs on; its {@link EventLoop#failureFuture()} tells whether it died. */
  public EventLoop loop() {
    return loop;
  }

  /** The TCP address clients connect to. */
  public InetSocketAddress localAddress() {
    try {
      return (InetSocketAddress) listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException("relay is closed", e);
    }
  }

  /** TCP clients accepted so far. */
  public long clientsAccepted() {
    return accepted.get();
  }

  /** TCP clients connected now. */
  public long clientsConnected() {
    return current.get();
  }

  /** Datagrams received from clients over TCP and sent over UDP. */
  public long datagramsForwarded() {
    return forwarded.get();
  }

  /** Datagrams received over UDP and returned to a client over TCP. */
  public long datagramsReturned() {
    return returned.get();
  }

  /**
   * Datagrams not forwarded: before the client's hello, to a privileged port, not IPv4, too short, or with the
   * client's queue full.
   */
  public long datagramsDropped() {
    return dropped.get();
  }

  /** Records from clients that could not be parsed (bad address prefix or datagram length). */
  public long malformedRecords() {
    return malformed.get();
  }

  private void acceptAll() {
    for (int i = 0; i < 64; i++) {
      SocketChannel tcp;
      try {
        tcp = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (tcp == null) {
        return;
      }
      DatagramChannel udp = null;
      try {
        tcp.configureBlocking(false);
        tcp.setOption(StandardSocketOptions.TCP_NODELAY, true);
        udp = DatagramChannel.open(StandardProtocolFamily.INET);
        udp.bind(new InetSocketAddress(udpBindAddress, 0));
        udp.configureBlocking(false);
        Client c = new Client(tcp, udp);
        c.tcpKey = loop.register(tcp, SelectionKey.OP_READ, k -> c.onTcp());
        c.udpKey = loop.register(udp, SelectionKey.OP_READ, k -> c.onUdp());
        clients.add(c);
        accepted.incrementAndGet();
        current.incrementAndGet();
      } catch (IOException e) {
        // out of ports or descriptors: refuse this client, as tcp-proxy does
        closeQuietly(tcp);
        if (udp != null) {
          closeQuietly(udp);
        }
      }
    }
  }

  private void housekeep() {
    long now = loop.nanoTime();
    for (Client c : new ArrayList<>(clients)) {
      if (now - c.lastActivityNanos >= IDLE_TIMEOUT_SECONDS * 1_000_000_000L) {
        c.close();
      }
    }
    housekeeping = loop.schedule(HOUSEKEEPING_NANOS, this::housekeep);
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One relay client: its TCP connection and its own UDP socket. Confined to the loop. */
  private final class Client {
    final SocketChannel tcp;
    final DatagramChannel udp;
    final TcpRelayCodec.Decoder decoder = new TcpRelayCodec.Decoder();
    final TcpRelayCodec.DatagramSink toUdp = this::forward;
    final ByteBuffer out =
        ByteBuffer.allocate(CLIENT_QUEUE_LIMIT + TcpRelayCodec.HEADER + TcpRelayCodec.IPV6_PREFIX
            + UdpUnderlay.MAX_DATAGRAM);
    SelectionKey tcpKey;
    SelectionKey udpKey;
    long lastActivityNanos = loop.nanoTime();
    long malformedSeen;
    boolean closed;

    Client(SocketChannel tcp, DatagramChannel udp) {
      this.tcp = tcp;
      this.udp = udp;
    }

    void onTcp() {
      try {
        if (tcpKey.isValid() && tcpKey.isReadable() && !readAll()) {
          close();
          return;
        }
        if (tcpKey.isValid() && tcpKey.isWritable()) {
          flush();
        }
      } catch (IOException | RuntimeException e) {
        close();
      }
    }

    private boolean readAll() throws IOException {
      for (int i = 0; i < READS_PER_WAKEUP && !closed; i++) {
        int n = tcp.read(decoder.buffer());
        if (n < 0) {
          return false;
        }
        if (n == 0) {
          return true;
        }
        lastActivityNanos = loop.nanoTime();
        decoder.drain(toUdp);
        long m = decoder.malformed();
        if (m != malformedSeen) {
          malformed.addAndGet(m - malformedSeen);
          malformedSeen = m;
        }
      }
      return true;
    }

    private void forward(InetSocketAddress to, byte[] buf, int off, int len) {
      // the hello counter is updated before the records after it are delivered
      if (decoder.hellos() == 0 || !(to.getAddress() instanceof Inet4Address) || to.getPort() <= 1024) {
        dropped.incrementAndGet();
        return;
      }
      udpSend.clear();
      udpSend.put(buf, off, len).flip();
      try {
        if (udp.send(udpSend, to) == len) {
          forwarded.incrementAndGet();
          return;
        }
      } catch (IOException | RuntimeException e) {
        // unreachable destination: lost like on the wire
      }
      dropped.incrementAndGet();
    }

    void onUdp() {
      for (int i = 0; i < READS_PER_WAKEUP && !closed; i++) {
        SocketAddress from;
        udpView.clear();
        try {
          from = udp.receive(udpView);
        } catch (IOException e) {
          continue; // ICMP error surfacing on the socket
        }
        if (from == null) {
          return;
        }
        int len = udpView.position();
        InetSocketAddress f = (InetSocketAddress) from;
        if (len < TcpRelayCodec.MIN_DATAGRAM || !(f.getAddress() instanceof Inet4Address)
            || out.position() >= CLIENT_QUEUE_LIMIT) {
          dropped.incrementAndGet();
          continue;
        }
        lastActivityNanos = loop.nanoTime();
        TcpRelayCodec.putDatagram(out, f, udpBuffer, 0, len);
        returned.incrementAndGet();
        try {
          flush();
        } catch (IOException e) {
          close();
          return;
        }
      }
    }

    private void flush() throws IOException {
      out.flip();
      try {
        tcp.write(out);
      } finally {
        out.compact();
      }
      if (tcpKey.isValid()) {
        tcpKey.interestOps(SelectionKey.OP_READ | (out.position() > 0 ? SelectionKey.OP_WRITE : 0));
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      clients.remove(this);
      current.decrementAndGet();
      closeQuietly(tcp);
      closeQuietly(udp);
    }
  }

  /** Disconnects every client and stops the relay. */
  @Override
  public void close() {
    try {
      loop.execute(
          () -> {
            if (housekeeping != null) {
              housekeeping.cancel();
            }
            for (Client c : new ArrayList<>(clients)) {
              c.close();
            }
            closeQuietly(listener);
          });
    } catch (java.util.concurrent.RejectedExecutionException alreadyClosed) {
      // loop stopped already
    }
    loop.close();
    closeQuietly(listener);
  }
}
