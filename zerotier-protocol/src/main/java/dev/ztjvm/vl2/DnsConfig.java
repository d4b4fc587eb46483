package dev.ztjvm.vl2;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * The {@code DNS} key of a network config (spec 7.5): a search domain (at most 127 bytes) and up to 4 servers.
 *
 * @param domain search domain, empty for none
 * @param servers DNS servers (address and the encoded port, usually 0 or 53), at most 4
 */
public record DnsConfig(String domain, List<InetSocketAddress> servers) {
  public static final DnsConfig NONE = new DnsConfig("", List.of());
  public static final int MAX_SERVERS = 4;

  public DnsConfig {
    servers = List.copyOf(servers);
    if (servers.size() > MAX_SERVERS) {
      throw new IllegalArgumentException("at most 4 DNS servers");
    }
  }
}
