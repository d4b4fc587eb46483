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
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
 * at most {@value #CLIENT_QUEUE_LIMIT} bytes are queued towards a slow client, further datagrams are dropped.
 *
 * <p>What a client that never authenticates can make the relay hold is bounded ({@link Options}): connections in all
 * and per remote address are capped (when the relay is full, a newcomer takes the place of the oldest client that has
 * not sent its hello yet, else it is refused); a client must send its hello within {@link Options#helloTimeout} and is
 * closed after {@link Options#idleTimeout} without traffic; buffers are allocated only while a client has bytes in
 * flight (an idle client holds its TCP socket and a few hundred bytes of heap, no UDP socket before its first
 * datagram); when accepting fails for want of file descriptors, accepting pauses (without spinning) and resumes.
 *
 * <p>Destinations are checked before anything is sent ({@link Options#destinationAllowed}): by default only globally
 * routable addresses, never loopback, link-local, private (RFC 1918, carrier-grade NAT), multicast or reserved ones —
 * a relay is not a way into the network it runs in. A lab whose roots and peers have private addresses lists their
 * prefixes in {@link Options#allowedDestinations}. Refused destinations are counted ({@link #destinationsRefused}).
 *
 * <p>Runs on its own {@link EventLoop} thread; all sockets are non-blocking. Counters are readable from any thread.
 */
public final class TcpRelayServer implements AutoCloseable {

  /** ZeroTier's relays listen on the HTTPS port so that the records pass firewalls that allow only web traffic. */
  public static final int DEFAULT_PORT = 443;

  /** Default idle time after which a client is disconnected ({@code tcp-proxy}'s connection timeout). */
  public static final int IDLE_TIMEOUT_SECONDS = 300;

  /** Bytes queued towards one client before datagrams for it are dropped ({@code tcp-proxy}'s write buffer). */
  public static final int CLIENT_QUEUE_LIMIT = 128 * 1024;

  private static final int READS_PER_WAKEUP = 16;
  private static final long ACCEPT_PAUSE_MIN_NANOS = 50_000_000L;
  private static final long ACCEPT_PAUSE_MAX_NANOS = 1_000_000_000L;

  /**
   * The relay's limits and destination policy.
   *
   * @param maxClients clients connected at once, all addresses together
   * @param maxClientsPerAddress clients connected at once from one remote IP address
   * @param helloTimeout time a new client has to send its hello
   * @param idleTimeout time without traffic after which a client is closed
   * @param allowedDestinations prefixes that may be reached although they are not globally routable (a lab's roots and
   *     peers on loopback or a private network); empty by default
   */
  public record Options(
      int maxClients,
      int maxClientsPerAddress,
      Duration helloTimeout,
      Duration idleTimeout,
      List<Prefix> allowedDestinations) {

    /** 1024 clients, 32 per address, 10 s for the hello, {@value #IDLE_TIMEOUT_SECONDS} s idle, public only. */
    public static final Options DEFAULTS =
        new Options(1024, 32, Duration.ofSeconds(10), Duration.ofSeconds(IDLE_TIMEOUT_SECONDS), List.of());

    public Options {
      if (maxClients < 1 || maxClientsPerAddress < 1) {
        throw new IllegalArgumentException(
            "client limits must be at least 1, got " + maxClients + " and " + maxClientsPerAddress + " per address");
      }
      Objects.requireNonNull(helloTimeout, "helloTimeout");
      Objects.requireNonNull(idleTimeout, "idleTimeout");
      if (helloTimeout.isNegative() || helloTimeout.isZero() || idleTimeout.isNegative() || idleTimeout.isZero()) {
        throw new IllegalArgumentException("relay timeouts must be positive");
      }
      allowedDestinations = List.copyOf(allowedDestinations);
    }

    /** These options with {@code prefixes} as the allowed non-public destinations. */
    public Options allowDestinations(List<Prefix> prefixes) {
      return new Options(maxClients, maxClientsPerAddress, helloTimeout, idleTimeout, prefixes);
    }

    /** These options with other client limits. */
    public Options clientLimits(int total, int perAddress) {
      return new Options(total, perAddress, helloTimeout, idleTimeout, allowedDestinations);
    }

    /** These options with other timeouts. */
    public Options timeouts(Duration hello, Duration idle) {
      return new Options(maxClients, maxClientsPerAddress, hello, idle, allowedDestinations);
    }

    /** Whether datagrams may be sent to {@code a}: an allowed prefix, else a globally routable address. */
    public boolean destinationAllowed(InetAddress a) {
      for (Prefix p : allowedDestinations) {
        if (p.contains(a)) {
          return true;
        }
      }
      AddressScope scope = AddressScope.of(a);
      return scope == AddressScope.GLOBAL || scope == AddressScope.PSEUDOPRIVATE;
    }
  }

  private final EventLoop loop;
  private final InetAddress udpBindAddress;
  private final ServerSocketChannel listener;
  private final Options options;
  /** In acceptance order: the first one without a hello is the one a newcomer replaces when the relay is full. */
  private final Set<Client> clients = new LinkedHashSet<>();
  private final Map<InetAddress, Integer> clientsByAddress = new HashMap<>();
  private final byte[] tcpBuffer = new byte[TcpRelayCodec.HEADER + TcpRelayCodec.MAX_PAYLOAD];
  private final ByteBuffer tcpView = ByteBuffer.wrap(tcpBuffer);
  private final byte[] udpBuffer = new byte[UdpUnderlay.MAX_DATAGRAM];
  private final ByteBuffer udpView = ByteBuffer.wrap(udpBuffer);
  private final ByteBuffer udpSend = ByteBuffer.allocateDirect(UdpUnderlay.MAX_DATAGRAM);
  private final AtomicLong accepted = new AtomicLong();
  private final AtomicLong current = new AtomicLong();
  private final AtomicLong forwarded = new AtomicLong();
  private final AtomicLong returned = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final AtomicLong malformed = new AtomicLong();
  private final AtomicLong refusedDestinations = new AtomicLong();
  private final AtomicLong refusedClients = new AtomicLong();
  private final AtomicLong evictedClients = new AtomicLong();
  private final AtomicLong timedOutClients = new AtomicLong();
  private final AtomicLong acceptPauses = new AtomicLong();
  private @Nullable SelectionKey acceptKey;
  private long acceptPauseNanos = ACCEPT_PAUSE_MIN_NANOS;
  private EventLoop.@Nullable Timer housekeeping;

  private TcpRelayServer(EventLoop loop, ServerSocketChannel listener, InetAddress udpBindAddress, Options options) {
    this.loop = loop;
    this.listener = listener;
    this.udpBindAddress = udpBindAddress;
    this.options = options;
  }

  /**
   * Starts a relay with the {@link Options#DEFAULTS} (globally routable destinations only).
   *
   * @see #start(InetSocketAddress, InetAddress, Options)
   */
  public static TcpRelayServer start(InetSocketAddress listen, InetAddress udpBindAddress) throws IOException {
    return start(listen, udpBindAddress, Options.DEFAULTS);
  }

  /**
   * Starts a relay listening for TCP clients on {@code listen} (port 0 picks a free one) whose UDP sockets are bound
   * to {@code udpBindAddress} (the wildcard {@code 0.0.0.0} to reach anything, {@code 127.0.0.1} for local tests).
   *
   * @throws IOException when the TCP port cannot be bound (the message names it)
   */
  public static TcpRelayServer start(InetSocketAddress listen, InetAddress udpBindAddress, Options options)
      throws IOException {
    Objects.requireNonNull(options, "options");
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
    TcpRelayServer server = new TcpRelayServer(loop, ch, udpBindAddress, options);
    try {
      loop.call(
          () -> {
            server.acceptKey = loop.register(ch, SelectionKey.OP_ACCEPT, k -> server.acceptAll());
            server.housekeeping = loop.schedule(server.housekeepingNanos(), server::housekeep);
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

  /** The options this relay runs with. */
  public Options options() {
    return options;
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
   * Datagrams not forwarded: before the client's hello, to a privileged port, not IPv4, too short, to a refused
   * destination ({@link #destinationsRefused} counts those separately too), or with the client's queue full.
   */
  public long datagramsDropped() {
    return dropped.get();
  }

  /** Records from clients that could not be parsed (bad address prefix or datagram length). */
  public long malformedRecords() {
    return malformed.get();
  }

  /** Datagrams not sent because their destination is not allowed ({@link Options#destinationAllowed}). */
  public long destinationsRefused() {
    return refusedDestinations.get();
  }

  /** Connections closed as they were accepted: the relay or their address was at its cap. */
  public long clientsRefused() {
    return refusedClients.get();
  }

  /** Clients without a hello closed to make room for a newcomer when the relay was full. */
  public long clientsEvicted() {
    return evictedClients.get();
  }

  /** Clients closed for sending no hello in time or for being idle. */
  public long clientsTimedOut() {
    return timedOutClients.get();
  }

  /** Times accepting paused because the process was out of file descriptors (or another accept error). */
  public long acceptPauses() {
    return acceptPauses.get();
  }

  /** Heap bytes held in client buffers now (for the figures in docs/reliability.md; read on the loop). */
  public long clientBufferBytes() {
    try {
      return loop.call(
          () -> {
            long n = 0;
            for (Client c : clients) {
              n += c.decoder.bufferedCapacity() + (c.out == null ? 0 : c.out.capacity());
            }
            return n;
          },
          Duration.ofSeconds(30));
    } catch (Exception e) {
      throw new IllegalStateException("relay loop did not answer", e);
    }
  }

  private long housekeepingNanos() {
    long shortest = Math.min(options.helloTimeout().toNanos(), options.idleTimeout().toNanos());
    return Math.max(100_000_000L, Math.min(30_000_000_000L, shortest / 4));
  }

  private void acceptAll() {
    for (int i = 0; i < 64; i++) {
      SocketChannel tcp;
      try {
        tcp = listener.accept();
      } catch (IOException e) {
        pauseAccepting();
        return;
      }
      if (tcp == null) {
        acceptPauseNanos = ACCEPT_PAUSE_MIN_NANOS;
        return;
      }
      admit(tcp);
    }
  }

  /**
   * Out of file descriptors (EMFILE/ENFILE): the pending connection stays in the backlog and the listener stays
   * readable, so selecting again at once would spin. Stop selecting for accept for a while (doubling up to a second
   * while the condition lasts); connections that close meanwhile free descriptors.
   */
  private void pauseAccepting() {
    SelectionKey k = acceptKey;
    if (k == null || !k.isValid()) {
      return;
    }
    acceptPauses.incrementAndGet();
    k.interestOps(0);
    long pause = acceptPauseNanos;
    acceptPauseNanos = Math.min(ACCEPT_PAUSE_MAX_NANOS, pause * 2);
    loop.schedule(pause, () -> {
      if (k.isValid()) {
        k.interestOps(SelectionKey.OP_ACCEPT);
      }
    });
  }

  private void admit(SocketChannel tcp) {
    InetAddress from;
    try {
      from = ((InetSocketAddress) tcp.getRemoteAddress()).getAddress();
    } catch (IOException | RuntimeException e) {
      closeQuietly(tcp);
      return;
    }
    int fromHere = clientsByAddress.getOrDefault(from, 0);
    if (fromHere >= options.maxClientsPerAddress() || (clients.size() >= options.maxClients() && !evictOne())) {
      refusedClients.incrementAndGet();
      closeQuietly(tcp);
      return;
    }
    try {
      tcp.configureBlocking(false);
      tcp.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Client c = new Client(tcp, from);
      c.tcpKey = loop.register(tcp, SelectionKey.OP_READ, k -> c.onTcp());
      clients.add(c);
      clientsByAddress.merge(from, 1, Integer::sum);
      accepted.incrementAndGet();
      current.incrementAndGet();
    } catch (IOException e) {
      closeQuietly(tcp);
    }
  }

  /** Closes the oldest client that has not sent its hello; false if every client has. */
  private boolean evictOne() {
    for (Client c : clients) {
      if (!c.helloSeen()) {
        evictedClients.incrementAndGet();
        c.close();
        return true;
      }
    }
    return false;
  }

  private void housekeep() {
    long now = loop.nanoTime();
    long hello = options.helloTimeout().toNanos();
    long idle = options.idleTimeout().toNanos();
    for (Client c : new ArrayList<>(clients)) {
      if ((!c.helloSeen() && now - c.acceptedNanos >= hello) || now - c.lastActivityNanos >= idle) {
        timedOutClients.incrementAndGet();
        c.close();
      }
    }
    housekeeping = loop.schedule(housekeepingNanos(), this::housekeep);
  }

  private static void closeQuietly(java.nio.channels.Channel ch) {
    try {
      ch.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  /** One relay client: its TCP connection and, once it sends, its own UDP socket. Confined to the loop. */
  private final class Client {
    final SocketChannel tcp;
    final InetAddress from;
    final TcpRelayCodec.Decoder decoder = new TcpRelayCodec.Decoder();
    final TcpRelayCodec.DatagramSink toUdp = this::forward;
    final long acceptedNanos = loop.nanoTime();
    @Nullable DatagramChannel udp;
    /** Records queued towards the client (write mode), or null when nothing is queued. */
    @Nullable ByteBuffer out;
    SelectionKey tcpKey;
    long lastActivityNanos = acceptedNanos;
    long malformedSeen;
    boolean closed;

    Client(SocketChannel tcp, InetAddress from) {
      this.tcp = tcp;
      this.from = from;
    }

    boolean helloSeen() {
      return decoder.hellos() > 0;
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
        tcpView.clear();
        int n = tcp.read(tcpView);
        if (n < 0) {
          return false;
        }
        if (n == 0) {
          return true;
        }
        lastActivityNanos = loop.nanoTime();
        decoder.decode(tcpBuffer, 0, n, toUdp);
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
      if (!options.destinationAllowed(to.getAddress())) {
        refusedDestinations.incrementAndGet();
        dropped.incrementAndGet();
        return;
      }
      udpSend.clear();
      udpSend.put(buf, off, len).flip();
      try {
        if (udp().send(udpSend, to) == len) {
          forwarded.incrementAndGet();
          return;
        }
      } catch (IOException | RuntimeException e) {
        // unreachable destination, or no socket to be had: lost like on the wire
      }
      dropped.incrementAndGet();
    }

    /** The client's UDP socket, opened with its first datagram. */
    private DatagramChannel udp() throws IOException {
      DatagramChannel u = udp;
      if (u == null) {
        u = DatagramChannel.open(StandardProtocolFamily.INET);
        try {
          u.bind(new InetSocketAddress(udpBindAddress, 0));
          u.configureBlocking(false);
          loop.register(u, SelectionKey.OP_READ, k -> onUdp());
        } catch (IOException | RuntimeException e) {
          closeQuietly(u);
          throw e;
        }
        udp = u;
      }
      return u;
    }

    void onUdp() {
      DatagramChannel u = udp;
      for (int i = 0; i < READS_PER_WAKEUP && !closed && u != null; i++) {
        SocketAddress from;
        udpView.clear();
        try {
          from = u.receive(udpView);
        } catch (IOException e) {
          continue; // ICMP error surfacing on the socket
        }
        if (from == null) {
          return;
        }
        int len = udpView.position();
        InetSocketAddress f = (InetSocketAddress) from;
        ByteBuffer o = out;
        if (len < TcpRelayCodec.MIN_DATAGRAM || !(f.getAddress() instanceof Inet4Address)
            || (o != null && o.position() >= CLIENT_QUEUE_LIMIT)) {
          dropped.incrementAndGet();
          continue;
        }
        lastActivityNanos = loop.nanoTime();
        TcpRelayCodec.putDatagram(room(TcpRelayCodec.recordLength(f, len)), f, udpBuffer, 0, len);
        returned.incrementAndGet();
        try {
          flush();
        } catch (IOException e) {
          close();
          return;
        }
      }
    }

    /** The output queue with room for {@code n} more bytes, allocated or grown as needed. */
    private ByteBuffer room(int n) {
      ByteBuffer o = out;
      if (o == null) {
        o = ByteBuffer.allocate(Math.max(2048, n));
      } else if (o.remaining() < n) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(o.capacity() * 2, o.position() + n));
        o.flip();
        bigger.put(o);
        o = bigger;
      }
      out = o;
      return o;
    }

    private void flush() throws IOException {
      ByteBuffer o = out;
      if (o == null) {
        return;
      }
      o.flip();
      try {
        tcp.write(o);
      } finally {
        o.compact();
      }
      boolean pending = o.position() > 0;
      if (!pending) {
        out = null; // nothing queued: the buffer goes
      }
      if (tcpKey.isValid()) {
        tcpKey.interestOps(SelectionKey.OP_READ | (pending ? SelectionKey.OP_WRITE : 0));
      }
    }

    void close() {
      if (closed) {
        return;
      }
      closed = true;
      clients.remove(this);
      clientsByAddress.computeIfPresent(from, (k, n) -> n <= 1 ? null : n - 1);
      current.decrementAndGet();
      out = null;
      decoder.reset();
      closeQuietly(tcp);
      if (udp != null) {
        closeQuietly(udp);
      }
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
