package dev.ztjvm.spring.boot.web;

import dev.ztjvm.netty.ZeroTierAddressResolverGroup;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.Locale;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * Sends each request either over ZeroTier or over the normal network stack, decided per request from its host:
 *
 * <ul>
 *   <li>an IP literal goes over ZeroTier when a joined network has a managed route (other than a default route) or an
 *       assigned address prefix containing it;
 *   <li>a name goes over ZeroTier when it is one of {@code zeroTierHosts} (a hosts table the ZeroTier connector's
 *       resolver knows), or ends with one of {@code zeroTierDomains} or with the DNS search domain a joined network
 *       pushes — such names are resolved by the node (network DNS), never by the system resolver;
 *   <li>everything else goes to the normal connector.
 * </ul>
 *
 * <p>The decision reads the node's current networks, so routes that arrive or go away later take effect at once.
 */
public final class ZeroTierRoutingClientHttpConnector implements ClientHttpConnector, AutoCloseable {

  private final ZeroTierNode node;
  private final ClientHttpConnector zeroTier;
  private final ClientHttpConnector normal;
  private final Set<String> zeroTierHosts;
  private final List<String> zeroTierDomains;
  private final List<AutoCloseable> resources = new CopyOnWriteArrayList<>();

  /**
   * A connector whose ZeroTier side is a Reactor Netty {@link HttpClient} on {@code node}'s stack (its own connection
   * pool and event loops, names resolved by {@code hosts} then the network's DNS); {@link #close()} releases them.
   *
   * @param node the node
   * @param normal connector for everything not routed over ZeroTier
   * @param hosts names that go over ZeroTier, with their ZeroTier addresses
   * @param domains domain suffixes that go over ZeroTier (resolved by the network's DNS)
   */
  public static ZeroTierRoutingClientHttpConnector create(ZeroTierNode node, ClientHttpConnector normal,
      Map<String, InetAddress> hosts, List<String> domains) {
    ZeroTierNodeLoopResources loops = new ZeroTierNodeLoopResources(node, "zerotier-client");
    ZeroTierAddressResolverGroup resolver = new ZeroTierAddressResolverGroup(node);
    hosts.forEach((name, address) -> resolver.put(name, address));
    ConnectionProvider pool = ConnectionProvider.create("zerotier-client");
    HttpClient client = HttpClient.create(pool).runOn(loops).resolver(resolver);
    ZeroTierRoutingClientHttpConnector connector = new ZeroTierRoutingClientHttpConnector(
        node, new ReactorClientHttpConnector(client), normal, hosts.keySet(), domains);
    connector.resources.add(pool::dispose);
    connector.resources.add(resolver);
    connector.resources.add(loops::dispose);
    return connector;
  }

  /**
   * @param node the node whose networks decide
   * @param zeroTier connector whose connections run on the node's stack
   * @param normal connector for everything else
   * @param zeroTierHosts names (case-insensitive) that go over ZeroTier
   * @param zeroTierDomains domain suffixes (case-insensitive, without leading dot) that go over ZeroTier
   */
  public ZeroTierRoutingClientHttpConnector(ZeroTierNode node, ClientHttpConnector zeroTier,
      ClientHttpConnector normal, Set<String> zeroTierHosts, List<String> zeroTierDomains) {
    this.node = node;
    this.zeroTier = zeroTier;
    this.normal = normal;
    this.zeroTierHosts = zeroTierHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).collect(
        java.util.stream.Collectors.toUnmodifiableSet());
    this.zeroTierDomains = zeroTierDomains.stream().map(ZeroTierRoutingClientHttpConnector::domain).toList();
  }

  @Override
  public Mono<ClientHttpResponse> connect(
      HttpMethod method, URI uri, Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
    return (routesOverZeroTier(uri.getHost()) ? zeroTier : normal).connect(method, uri, requestCallback);
  }

  /** Whether a request to {@code host} goes over ZeroTier. */
  public boolean routesOverZeroTier(@Nullable String host) {
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
    if (zeroTierHosts.contains(h)) {
      return true;
    }
    for (String d : zeroTierDomains) {
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

  /** Releases what {@link #create} made (connection pool, resolver, event loops). */
  @Override
  public void close() {
    for (AutoCloseable r : resources) {
      try {
        r.close();
      } catch (Exception e) {
        // keep releasing the others
      }
    }
    resources.clear();
  }

  @Override
  public String toString() {
    return "ZeroTierRoutingClientHttpConnector[node " + node.nodeIdString() + ", hosts " + zeroTierHosts
        + ", domains " + zeroTierDomains + "]";
  }
}
