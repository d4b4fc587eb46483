package dev.ztjvm.underlay;

import dev.ztjvm.runtime.EventLoop;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The node's side of a TCP relay: one non-blocking TCP connection to the relay, driven by the node's {@link EventLoop}
 * (no thread of its own), carrying VL1 datagrams in the records described in {@link TcpRelayCodec}.
 *
 * <p>Datagrams received through the relay reach the same {@link UdpUnderlay.Receiver} as UDP datagrams, with the
 * socket id {@link #SOCKET_ID} and the address the relay received them from; a path learned that way keeps that
 * socket id, so replies on it go back through the relay. The connection is opened on demand (when a packet should
 * go through the relay, see {@link TcpRelayPolicy}), starts with the hello record, and queues at most
 * {@link #WRITE_QUEUE_LIMIT} bytes (as ZeroTier One does); datagrams beyond that are dropped like on a congested link.
 *
 * <p>Only IPv4 destinations are relayed: ZeroTier One's relay ({@code tcp-proxy}) forwards nothing else.
 *
 * <p>All methods except the counters run on the loop thread.
 */
public final class TcpRelayClient implements AutoCloseable {

  /** Socket id of paths through the relay (distinct from every UDP socket id, which count from 0). */
  public static final int SOCKET_ID = 1 << 20;

  /** Bytes queued for the relay before datagrams are dropped (ZeroTier One's limit). */
  public static final int WRITE_QUEUE_LIMIT = 64 * 1024;

  /** Version announced in the hello (ZeroTier One 1.14.1, as in our HELLO packets; informative). */
  private static final int HELLO_MAJOR = 1;

  private static final int HELLO_MINOR = 14;
  private static final int HELLO_REVISION = 1;
  private static final int READS_PER_WAKEUP = 16;

  private final EventLoop loop;
  private final InetSocketAddress relay;
  private final TcpRelayPolicy policy;
  private final UdpUnderlay.Receiver receiver;
  private final TcpRelayCodec.Decoder decoder = new TcpRelayCodec.Decoder();
  private final TcpRelayCodec.DatagramSink sink = this::deliver;
  private final byte[] receiveBuffer = new byte[UdpUnderlay.MAX_DATAGRAM];
  private final ByteBuffer writeQueue =
      ByteBuffer.allocateDirect(
          WRITE_QUEUE_LIMIT + TcpRelayCodec.HEADER + TcpRelayCodec.IPV6_PREFIX + UdpUnderlay.MAX_DATAGRAM);
  private @Nullable SocketChannel channel;
  private @Nullable SelectionKey key;
  private boolean connected;
  private boolean closed;
  private final AtomicLong datagramsOut = new AtomicLong();
  private final AtomicLong datagramsIn = new AtomicLong();
  private final AtomicLong drops = new AtomicLong();
  private final AtomicLong connects = new AtomicLong();
  private final AtomicLong disconnects = new AtomicLong();
  private volatile boolean open;

  TcpRelayClient(EventLoop loop, TcpRelayConfig config, UdpUnderlay.Receiver receiver, long nowMillis) {
    this.loop = loop;
    this.relay = java.util.Objects.requireNonNull(config.relay(), "relay address");
    this.policy = new TcpRelayPolicy(config, nowMillis);
    this.receiver = receiver;
  }

  /** The relay's address. */
  public InetSocketAddress relayAddress() {
    return relay;
  }

  /** Whether a datagram for {@code remote} can go through the relay (IPv4 only). */
  public boolean canCarry(InetAddress remote) {
    return remote instanceof Inet4Address;
  }

  TcpRelayPolicy policy() {
    return policy;
  }

  /** Notes a UDP datagram received directly; closes the tunnel when UDP works again (not when forced). */
  void udpReceived(int length, long now) {
    if (policy.udpReceived(length, now) && channel != null) {
      closeChannel();
    }
  }

  /** Whether a datagram sent now on a UDP socket should also go through the relay. */
  boolean relayNow(InetSocketAddress to, long now) {
    return canCarry(to.getAddress()) && policy.useRelay(now);
  }

  /** Whether the connection is open or relaying is due, i.e. a path through the relay is worth using. */
  boolean usable(long now) {
    return channel != null || policy.useRelay(now);
  }

  /**
   * Queues one datagram for {@code to}, connecting first if needed. Returns false when it was dropped (no
   * connection possible yet, queue full, not IPv4).
   */
  boolean send(InetSocketAddress to, byte[] buf, int off, int len, long now) {
    if (closed || !canCarry(to.getAddress()) || len > UdpUnderlay.MAX_DATAGRAM) {
      drops.incrementAndGet();
      return false;
    }
    if (channel == null && !(policy.connectNow(now) && connect())) {
      drops.incrementAndGet();
      return false;
    }
    if (writeQueue.position() >= WRITE_QUEUE_LIMIT) {
      drops.incrementAndGet();
      return false;
    }
    TcpRelayCodec.putDatagram(writeQueue, to, buf, off, len);
    datagramsOut.incrementAndGet();
    if (connected) {
      flush(false);
    }
    return true;
  }

  private boolean connect() {
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      writeQueue.clear();
      decoder.reset();
      TcpRelayCodec.putHello(writeQueue, HELLO_MAJOR, HELLO_MINOR, HELLO_REVISION);
      boolean done = ch.connect(relay);
      channel = ch;
      connected = false;
      key = loop.register(ch, done ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this::onReady);
      connects.incrementAndGet();
      if (done) {
        onConnected();
      }
      return true;
    } catch (IOException | RuntimeException e) {
      // relay unreachable right now: retried after the backoff on a later send
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // closing anyway
        }
      }
      channel = null;
      key = null;
      return false;
    }
  }

  private void onConnected() {
    connected = true;
    open = true;
    flush(false);
  }

  private void onReady(SelectionKey k) {
    SocketChannel ch = channel;
    if (ch == null || k != key) {
      return;
    }
    boolean failed = false;
    try {
      if (k.isConnectable()) {
        ch.finishConnect();
        onConnected();
      }
      if (k.isValid() && k.isReadable()) {
        failed = !readAll(ch);
      }
      if (!failed && k.isValid() && k.isWritable()) {
        flush(true);
      }
    } catch (IOException | RuntimeException e) {
      failed = true;
    }
    if (failed && channel == ch) {
      closeChannel();
    }
  }

  /** Reads and delivers what is there; false at end of stream. */
  private boolean readAll(SocketChannel ch) throws IOException {
    for (int i = 0; i < READS_PER_WAKEUP; i++) {
      int n = ch.read(decoder.buffer());
      if (n < 0) {
        return false;
      }
      if (n == 0) {
        return true;
      }
      decoder.drain(sink);
      if (channel != ch) {
        return true; // closed while delivering
      }
    }
    return true;
  }

  private void deliver(InetSocketAddress from, byte[] buf, int off, int len) {
    datagramsIn.incrementAndGet();
    // Hand over a buffer like UdpUnderlay's: the datagram at offset 0 of a MAX_DATAGRAM array the receiver may use
    // as scratch (VL1 decompresses in place, past the datagram's end). The decoder's own array would let it
    // overwrite the records that follow in the stream.
    System.arraycopy(buf, off, receiveBuffer, 0, len);
    receiver.onDatagram(SOCKET_ID, from, receiveBuffer, 0, len);
  }

  /** Writes what the socket takes now; asks for OP_WRITE while something is left. */
  private void flush(boolean fromSelector) {
    SocketChannel ch = channel;
    SelectionKey k = key;
    if (ch == null || k == null || !connected) {
      return;
    }
    writeQueue.flip();
    try {
      ch.write(writeQueue);
    } catch (IOException e) {
      writeQueue.clear();
      if (fromSelector) {
        throw new java.io.UncheckedIOException(e);
      }
      // may be inside a delivery of this connection's records: close after it
      loop.execute(() -> {
        if (channel == ch) {
          closeChannel();
        }
      });
      return;
    }
    writeQueue.compact();
    if (k.isValid()) {
      k.interestOps(SelectionKey.OP_READ | (writeQueue.position() > 0 ? SelectionKey.OP_WRITE : 0));
    }
  }

  private void closeChannel() {
    SocketChannel ch = channel;
    channel = null;
    connected = false;
    open = false;
    if (key != null) {
      key.cancel();
      key = null;
    }
    writeQueue.clear();
    if (ch != null) {
      disconnects.incrementAndGet();
      try {
        ch.close();
      } catch (IOException ignored) {
        // closing anyway
      }
    }
  }

  /** Whether the TCP connection to the relay is established (readable from any thread). */
  public boolean isConnected() {
    return open;
  }

  /** Whether every datagram goes through the relay (no UDP). */
  public boolean forced() {
    return policy.forced();
  }

  /** Datagrams queued for the relay. */
  public long datagramsOut() {
    return datagramsOut.get();
  }

  /** Datagrams received through the relay. */
  public long datagramsIn() {
    return datagramsIn.get();
  }

  /** Datagrams not sent through the relay: no connection yet, queue full, or not IPv4. */
  public long drops() {
    return drops.get();
  }

  /** Connection attempts. */
  public long connects() {
    return connects.get();
  }

  /** Connections closed (by either side, by an error, or because UDP works again). */
  public long disconnects() {
    return disconnects.get();
  }

  @Override
  public void close() {
    closed = true;
    closeChannel();
  }
}
