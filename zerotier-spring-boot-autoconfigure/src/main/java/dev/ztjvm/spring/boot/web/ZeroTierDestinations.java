package dev.ztjvm.spring.boot.web;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.net.InetAddress;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;

/**
 * Which hosts are ZeroTier destinations, the one rule the WebClient connector and the RestClient request factory
 * share:
 *
 * <ul>
 *   <li>an IP literal is one when a joined network has a managed route (other than a default route) or an assigned
 *       address prefix containing it;
 *   <li>a name is one when it is in the hosts table ({@code zerotier.client.hosts}), or ends with one of the domains
 *       ({@code zerotier.client.domains}) or with the DNS search domain a joined network pushes;
 *   <li>nothing else is.
 * </ul>
 *
 * <p>Reads the node's current networks on every call, so routes that arrive or go away take effect at once.
 */
public final class ZeroTierDestinations {

  private final ZeroTierNode node;
  private final Set<String> hosts;
  private final List<String> domains;

  /**
   * @param node the node whose networks decide
   * @param hosts names (case-insensitive) that go over ZeroTier
   * @param domains domain suffixes (case-insensitive, leading dot or {@code *.} optional) that go over ZeroTier
   */
  public ZeroTierDestinations(ZeroTierNode node, Collection<String> hosts, Collection<String> domains) {
    this.node = node;
    this.hosts = hosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
    this.domains = domains.stream().map(ZeroTierDestinations::domain).toList();
  }

  /** Whether a request to {@code host} (a name, an IPv4 literal or an IPv6 literal, bracketed or not) goes over ZeroTier. */
  public boolean contains(@Nullable String host) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    h = h.toLowerCase(Locale.ROOT);
    InetAddress literal = literal(h);
    List<NetworkDetails> networks = networks();
    if (literal != null) {
      for (NetworkDetails n : networks) {
        for (Route r : n.routes()) {
          if (r.target().bits() > 0 && r.target().contains(literal)) {
            return true;
          }
        }
        for (IpPrefix a : n.addresses()) {
          if (a.contains(literal)) {
            return true;
          }
        }
      }
      return false;
    }
    if (h.endsWith(".")) {
      h = h.substring(0, h.length() - 1);
    }
    if (hosts.contains(h)) {
      return true;
    }
    for (String d : domains) {
      if (inDomain(h, d)) {
        return true;
      }
    }
    for (NetworkDetails n : networks) {
      if (!n.dnsDomain().isEmpty() && inDomain(h, domain(n.dnsDomain()))) {
        return true;
      }
    }
    return false;
  }

  /** The names of the hosts table. */
  public Set<String> hosts() {
    return hosts;
  }

  /** The configured domain suffixes. */
  public List<String> domains() {
    return domains;
  }

  private List<NetworkDetails> networks() {
    try {
      return node.networks();
    } catch (IllegalStateException notRunning) {
      return List.of();
    }
  }

  private static boolean inDomain(String host, String domain) {
    return !domain.isEmpty() && (host.equals(domain) || host.endsWith("." + domain));
  }

  private static String domain(String d) {
    String s = d.toLowerCase(Locale.ROOT);
    while (s.startsWith(".") || s.startsWith("*")) {
      s = s.substring(1);
    }
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }

  private static @Nullable InetAddress literal(String host) {
    try {
      return IpPrefix.parseIp(host);
    } catch (IllegalArgumentException notALiteral) {
      return null;
    }
  }
}
