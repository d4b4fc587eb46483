package dev.ztjvm.underlay;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.jspecify.annotations.Nullable;

/**
 * Whether and how a node uses a TCP relay (ZeroTier One's "TCP fallback tunnel") when UDP does not work.
 *
 * @param relay the relay's TCP address, or null for none (then nothing is relayed; ZeroTier's public relay is
 *     {@code 204.80.128.1:443}, usable only with ZeroTier's public planet)
 * @param allow whether to fall back to the relay after {@code fallbackAfterMillis} without any UDP datagram received
 *     (libzt's {@code zts_init_allow_tcp_relay}, on by default there)
 * @param force whether to send and receive only through the relay and open no UDP sockets at all (libzt's
 *     {@code zts_init_force_tcp_relay})
 * @param fallbackAfterMillis UDP silence after which the relay is used, and also the minimum time since start before
 *     it is (ZeroTier One's {@code ZT_TCP_FALLBACK_AFTER}, 60 s)
 */
public record TcpRelayConfig(
    @Nullable InetSocketAddress relay, boolean allow, boolean force, long fallbackAfterMillis) {

  /** ZeroTier One's {@code ZT_TCP_FALLBACK_AFTER}: 60 s of UDP silence before falling back. */
  public static final long DEFAULT_FALLBACK_AFTER_MILLIS = 60_000;

  /** ZeroTier Inc.'s public relay (anycast); only useful for nodes on ZeroTier's public planet. */
  public static final InetSocketAddress ZEROTIER_PUBLIC_RELAY = publicRelay();

  /** No relay at all. */
  public static final TcpRelayConfig NONE = new TcpRelayConfig(null, true, false, DEFAULT_FALLBACK_AFTER_MILLIS);

  public TcpRelayConfig {
    if (force && relay == null) {
      throw new IllegalArgumentException("forceTcpRelay needs a relay address (tcpRelay)");
    }
    if (relay != null && (relay.getPort() < 1 || relay.isUnresolved())) {
      throw new IllegalArgumentException("TCP relay address " + relay + " must be a resolved IP address with a port");
    }
    if (fallbackAfterMillis < 0) {
      throw new IllegalArgumentException("fallbackAfterMillis must be >= 0, got " + fallbackAfterMillis);
    }
  }

  private static InetSocketAddress publicRelay() {
    try {
      return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 204, 80, (byte) 128, 1}), 443);
    } catch (UnknownHostException e) {
      throw new AssertionError("four bytes are an IPv4 address", e);
    }
  }

  /** Whether any traffic can go through the relay. */
  public boolean enabled() {
    return relay != null && (allow || force);
  }
}
