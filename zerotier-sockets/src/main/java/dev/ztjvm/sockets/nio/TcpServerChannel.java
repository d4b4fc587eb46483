package dev.ztjvm.sockets.nio;

import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.tcp.TcpConnection;
import dev.ztjvm.netstack.tcp.TcpListener;
import dev.ztjvm.netstack.tcp.TcpStack;
import dev.ztjvm.sockets.NetstackHost;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * A non-blocking listening TCP socket of a {@link NetstackHost}: bound to one local address, or to the wildcard
 * (every interface of the host, including interfaces added later; both IPv4 and IPv6 unless
 * {@link #setV6Only(boolean) v6-only}). Loop-confined: see the package documentation.
 */
public final class TcpServerChannel {

  private static final int EPHEMERAL_FIRST = 49152;

  private record Bound(NetworkInterface nif, TcpListener listener) {}

  private final NetstackHost host;
  private final @Nullable InetAddress address;
  private final int port;
  private final int backlog;
  private final TcpServerChannelHandler handler;
  private final ArrayList<Bound> listeners = new ArrayList<>();
  private final @Nullable Runnable removeHook;
  private boolean acceptInterest = true;
  private boolean firePosted;
  private boolean v6Only;
  private boolean closed;
  private int next;

  private TcpServerChannel(NetstackHost host, @Nullable InetAddress address, int port, int backlog,
      TcpServerChannelHandler handler, boolean wildcard) {
    this.host = host;
    this.address = address;
    this.port = port;
    this.backlog = backlog;
    this.handler = handler;
    this.removeHook = wildcard ? host.onInterfaceAdded(this::attachLate) : null;
  }

  /**
   * Listens (loop only).
   *
   * @param local address and port; {@code null}, a wildcard address or port 0 mean "all interfaces" and "pick a
   *     free port"
   * @param backlog accept-queue bound per interface (0 or less: the stack's default)
   * @throws BindException if the address is not one of the host's or the port is in use
   */
  public static TcpServerChannel listen(NetstackHost host, @Nullable InetSocketAddress local, int backlog,
      TcpServerChannelHandler handler) throws IOException {
    TcpChannel.checkLoop(host);
    Objects.requireNonNull(handler, "handler");
    boolean wildcard = local == null || local.getAddress() == null || local.getAddress().isAnyLocalAddress();
    int wanted = local == null ? 0 : local.getPort();
    if (wanted < 0 || wanted > 65535) {
      throw new IllegalArgumentException("port out of range: " + wanted);
    }
    NetworkInterface only = null;
    if (!wildcard) {
      only = host.interfaceWithAddress(local.getAddress());
      if (only == null) {
        throw new BindException("Cannot assign requested address: " + local.getAddress().getHostAddress());
      }
    }
    int attempts = wanted == 0 ? 64 : 1;
    for (int i = 0; i < attempts; i++) {
      int port = wanted != 0 ? wanted
          : EPHEMERAL_FIRST + ThreadLocalRandom.current().nextInt(65536 - EPHEMERAL_FIRST);
      TcpServerChannel server = new TcpServerChannel(host, wildcard ? null : local.getAddress(), port, backlog,
          handler, wildcard);
      if (server.bindAll(only)) {
        return server;
      }
      server.close();
    }
    throw new BindException("Address already in use: port " + wanted);
  }

  private boolean bindAll(@Nullable NetworkInterface only) {
    byte[] a = address == null ? null : address.getAddress();
    for (NetworkInterface nif : only != null ? java.util.List.of(only) : host.interfaces()) {
      try {
        listeners.add(new Bound(nif, stack(nif).listen(a, port, backlog, this::acceptReady)));
      } catch (IllegalArgumentException e) {
        closeListeners();
        return false;
      }
    }
    return true;
  }

  private void attachLate(NetworkInterface nif) {
    if (closed) {
      return;
    }
    try {
      listeners.add(new Bound(nif, stack(nif).listen(null, port, backlog, this::acceptReady)));
    } catch (IllegalArgumentException e) {
      // the port is taken on the new interface: this server does not cover it
    }
  }

  private static TcpStack stack(NetworkInterface nif) {
    return TcpChannel.stack(nif);
  }

  private void acceptReady(TcpListener l) {
    if (acceptInterest && !closed) {
      handler.onAcceptable(this);
    }
  }

  /**
   * Takes the next established connection, or {@code null} if none waits. Its events go to {@code handler}; it
   * starts with read interest on.
   */
  public @Nullable TcpChannel accept(TcpChannelHandler handler) {
    TcpChannel.checkLoop(host);
    int n = listeners.size();
    for (int i = 0; i < n; i++) {
      Bound b = listeners.get((next + i) % n);
      TcpConnection c;
      while ((c = b.listener().accept()) != null) {
        if (v6Only && c.remoteAddress().length == 4) {
          c.abort();
          continue;
        }
        next = (next + i + 1) % n;
        host.wakeup();
        return TcpChannel.accepted(host, b.nif(), c, handler);
      }
    }
    host.wakeup();
    return null;
  }

  /** Connections waiting to be accepted. */
  public int pendingAccepts() {
    TcpChannel.checkLoop(host);
    int p = 0;
    for (Bound b : listeners) {
      p += b.listener().pendingAccepts();
    }
    return p;
  }

  /** Switches accept demand; switching on with connections waiting fires {@code onAcceptable} soon. */
  public void setAcceptInterest(boolean on) {
    TcpChannel.checkLoop(host);
    acceptInterest = on;
    if (on && !firePosted && pendingAccepts() > 0) {
      firePosted = true;
      host.loop().execute(() -> {
        firePosted = false;
        if (acceptInterest && !closed && pendingAccepts() > 0) {
          handler.onAcceptable(this);
        }
      });
    }
  }

  /** IPV6_V6ONLY for a wildcard server: IPv4 connections are refused (reset) at accept. */
  public void setV6Only(boolean on) {
    v6Only = on;
  }

  public boolean isV6Only() {
    return v6Only;
  }

  /** The bound address (wildcard {@code 0.0.0.0} when listening everywhere) and port. */
  public InetSocketAddress localAddress() {
    return address == null ? new InetSocketAddress(port) : new InetSocketAddress(address, port);
  }

  public int port() {
    return port;
  }

  public boolean isOpen() {
    return !closed;
  }

  /** Stops listening; connections not yet accepted are reset. Idempotent. */
  public void close() {
    TcpChannel.checkLoop(host);
    if (closed) {
      return;
    }
    closed = true;
    if (removeHook != null) {
      removeHook.run();
    }
    closeListeners();
    host.wakeup();
  }

  private void closeListeners() {
    for (Bound b : listeners) {
      b.listener().close();
    }
    listeners.clear();
  }

  @Override
  public String toString() {
    return "TcpServerChannel[" + localAddress() + "]";
  }
}
