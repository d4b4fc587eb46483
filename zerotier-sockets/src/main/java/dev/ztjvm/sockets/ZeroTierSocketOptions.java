package dev.ztjvm.sockets;

import java.net.SocketOption;

/** Socket options of the ZeroTier sockets that {@code java.net} has no constant for. */
public final class ZeroTierSocketOptions {

  private ZeroTierSocketOptions() {}

  /**
   * IPV6_V6ONLY for a server socket bound to the wildcard address: when true only IPv6 connections are accepted
   * (IPv4 ones are reset). Default false: a wildcard server accepts both families.
   */
  public static final SocketOption<Boolean> IPV6_V6ONLY = new Option<>("IPV6_V6ONLY", Boolean.class);

  private record Option<T>(String name, Class<T> type) implements SocketOption<T> {
    @Override
    public String toString() {
      return name;
    }
  }
}
