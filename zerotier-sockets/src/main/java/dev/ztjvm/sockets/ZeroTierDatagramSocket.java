package dev.ztjvm.sockets;

import dev.ztjvm.sockets.internal.ZtDatagramSocketImpl;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketException;
import org.jspecify.annotations.Nullable;

/**
 * A UDP socket over ZeroTier: a real {@link DatagramSocket} (through the JDK 17 {@code DatagramSocketImpl}
 * constructor). IPv4 and IPv6, wildcard or address binding, connected mode, SO_BROADCAST, SO_TIMEOUT, SO_RCVBUF (the
 * receive queue bound). Multicast group membership is not offered yet.
 *
 * <p>JDK quirk: with a custom {@code DatagramSocketImpl}, {@code receive} can only report the received size through
 * {@link java.net.DatagramPacket#setLength}, which also shrinks the packet's buffer length; reset it with
 * {@code packet.setLength(buffer.length)} (or use a fresh packet) before receiving into it again.
 */
public class ZeroTierDatagramSocket extends DatagramSocket {

  /** An unbound socket (sending binds it to the wildcard and a free port). */
  public ZeroTierDatagramSocket(NetstackHost host) {
    super(new ZtDatagramSocketImpl(host));
  }

  /** Bound to the wildcard address and {@code port} (0: a free port). */
  public ZeroTierDatagramSocket(NetstackHost host, int port) throws SocketException {
    this(host, new InetSocketAddress(port));
  }

  /** Bound to {@code local} ({@code null}: stays unbound). */
  public ZeroTierDatagramSocket(NetstackHost host, @Nullable SocketAddress local) throws SocketException {
    this(host);
    if (local != null) {
      try {
        bind(local);
      } catch (SocketException | RuntimeException e) {
        close();
        throw e;
      }
    }
  }
}
