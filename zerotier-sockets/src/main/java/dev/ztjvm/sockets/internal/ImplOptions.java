package dev.ztjvm.sockets.internal;

import dev.ztjvm.sockets.NetstackHost;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketOption;
import java.net.SocketOptions;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * The option plumbing that {@link ZtSocketImpl}, {@link ZtServerSocketImpl} and {@link ZtDatagramSocketImpl} share:
 * the checks and exceptions {@code java.net} callers expect from an impl's {@code setOption}/{@code getOption}, and
 * the map from {@link SocketOption} names onto the int ids of {@link SocketOptions} that the impls switch on.
 */
final class ImplOptions {

  /** What SO_BINDADDR reports for an impl bound to no particular address (the IPv4 wildcard, as the JDK does). */
  static final InetAddress ANY_LOCAL;

  static {
    try {
      ANY_LOCAL = InetAddress.getByAddress(new byte[4]);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  private static final Map<SocketOption<?>, Integer> LEGACY_IDS = Map.of(
      StandardSocketOptions.TCP_NODELAY, SocketOptions.TCP_NODELAY,
      StandardSocketOptions.SO_KEEPALIVE, SocketOptions.SO_KEEPALIVE,
      StandardSocketOptions.SO_SNDBUF, SocketOptions.SO_SNDBUF,
      StandardSocketOptions.SO_RCVBUF, SocketOptions.SO_RCVBUF,
      StandardSocketOptions.IP_TOS, SocketOptions.IP_TOS,
      StandardSocketOptions.SO_REUSEADDR, SocketOptions.SO_REUSEADDR,
      StandardSocketOptions.SO_BROADCAST, SocketOptions.SO_BROADCAST);

  private ImplOptions() {}

  /** Throws the JDK's "Socket closed" when the impl is closed. */
  static void ensureOpen(boolean closed) throws SocketException {
    if (closed) {
      throw new SocketException("Socket closed");
    }
  }

  /** The exception for an int option id the impl does not handle. */
  static SocketException unsupported(int optID) {
    return new SocketException("Unsupported option " + optID);
  }

  /** An SO_TIMEOUT value in milliseconds (0 = wait forever); negative ones are refused. */
  static int timeout(Object value) {
    int t = (Integer) value;
    if (t < 0) {
      throw new IllegalArgumentException("timeout < 0");
    }
    return t;
  }

  /** A size or count option that must be above zero; {@code name} goes into the message. */
  static int positive(Object value, String name) {
    int v = (Integer) value;
    if (v <= 0) {
      throw new IllegalArgumentException(name + " must be positive");
    }
    return v;
  }

  /** The {@link BindException} for a local address that no interface of the host owns. */
  static BindException notLocal(InetAddress address) {
    return new BindException("Cannot assign requested address: " + address.getHostAddress());
  }

  /** {@code e} as the {@link SocketException} the int-keyed option methods may throw (the message is kept). */
  static SocketException asSocketException(IOException e) {
    return e instanceof SocketException se ? se : new SocketException(e.getMessage());
  }

  /** Runs {@code task} on the host's loop for an option method, whose failures must be {@link SocketException}s. */
  static <T> T callOnLoop(NetstackHost host, Callable<T> task) throws SocketException {
    try {
      return host.call(task);
    } catch (IOException e) {
      throw asSocketException(e);
    }
  }

  /**
   * The {@link SocketOptions} id of a standard option that has one; an {@link UnsupportedOperationException} (what
   * {@code Socket.setOption} reports for an unknown option) for the others.
   */
  static int legacyId(SocketOption<?> name) {
    Integer id = LEGACY_IDS.get(name);
    if (id == null) {
      throw new UnsupportedOperationException("'" + name + "' not supported");
    }
    return id;
  }
}
