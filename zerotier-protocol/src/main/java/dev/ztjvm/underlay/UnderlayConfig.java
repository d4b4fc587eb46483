package dev.ztjvm.underlay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;

/**
 * Which UDP sockets a node opens.
 *
 * @param port primary UDP port; 0 picks a random free port in {@code [randomPortMin, randomPortMax]}
 * @param randomPortMin lowest port tried when {@code port} is 0
 * @param randomPortMax highest port tried when {@code port} is 0
 * @param secondaryPort whether to also bind a second random port in 20000..65535 (as ZeroTier One does), giving
 *     peers a second way in when the primary port is filtered
 * @param bindAddresses local addresses to bind; empty binds the IPv4 and IPv6 wildcard addresses
 * @param ipv4 whether to use IPv4 at all
 * @param ipv6 whether to use IPv6 at all
 */
public record UnderlayConfig(
    int port,
    int randomPortMin,
    int randomPortMax,
    boolean secondaryPort,
    List<InetAddress> bindAddresses,
    boolean ipv4,
    boolean ipv6) {

  /** ZeroTier's default port. */
  public static final int DEFAULT_PORT = 9993;

  public UnderlayConfig {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("UDP port " + port + " out of range 0..65535");
    }
    if (randomPortMin < 1 || randomPortMax > 65535 || randomPortMin > randomPortMax) {
      throw new IllegalArgumentException(
          "Random port range " + randomPortMin + ".." + randomPortMax + " invalid (need 1 <= min <= max <= 65535)");
    }
    bindAddresses = List.copyOf(bindAddresses);
    if (!ipv4 && !ipv6) {
      throw new IllegalArgumentException("At least one of IPv4 and IPv6 must be enabled");
    }
    for (InetAddress a : bindAddresses) {
      if ((a instanceof Inet4Address && !ipv4) || (a instanceof Inet6Address && !ipv6)) {
        throw new IllegalArgumentException("Bind address " + a.getHostAddress() + " is of a disabled IP family");
      }
    }
  }

  /** Random port in 20000..65535 like ZeroTier One's secondary port, IPv4 and IPv6 on all interfaces. */
  public static UnderlayConfig randomPort() {
    return new UnderlayConfig(0, 20000, 65535, false, List.of(), true, true);
  }

  /** One socket on {@code address}:{@code port} (0 = random), e.g. loopback for tests. */
  public static UnderlayConfig bind(InetAddress address, int port) {
    return new UnderlayConfig(
        port, 20000, 65535, false, List.of(address), address instanceof Inet4Address, address instanceof Inet6Address);
  }
}
