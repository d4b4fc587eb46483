package dev.ztjvm.spring.boot.web;

import dev.ztjvm.sockets.ZeroTierNode;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import reactor.core.publisher.Mono;

/**
 * Sends each WebClient request either over ZeroTier or over the normal network stack, decided per request from its
 * host by {@link ZeroTierDestinations}: ZeroTier destinations go to a Reactor Netty client on the node's stack, every
 * other request to the normal connector.
 */
public final class ZeroTierRoutingClientHttpConnector implements ClientHttpConnector, AutoCloseable {

  private final ZeroTierDestinations destinations;
  private final ClientHttpConnector zeroTier;
  private final ClientHttpConnector normal;
  private final @Nullable ZeroTierReactorHttpClient resources;

  /**
   * A connector whose ZeroTier side is a {@link ZeroTierReactorHttpClient} (its own connection pool and event loops,
   * names resolved by {@code hosts} then the network's DNS); {@link #close()} releases them.
   *
   * @param node the node
   * @param normal connector for everything not routed over ZeroTier
   * @param hosts names that go over ZeroTier, with their ZeroTier addresses
   * @param domains domain suffixes that go over ZeroTier (resolved by the network's DNS)
   */
  public static ZeroTierRoutingClientHttpConnector create(ZeroTierNode node, ClientHttpConnector normal,
      Map<String, InetAddress> hosts, List<String> domains) {
    ZeroTierReactorHttpClient client = new ZeroTierReactorHttpClient(node, hosts, "zerotier-webclient");
    return new ZeroTierRoutingClientHttpConnector(new ZeroTierDestinations(node, hosts.keySet(), domains),
        new ReactorClientHttpConnector(client.client()), normal, client);
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
    this(new ZeroTierDestinations(node, zeroTierHosts, zeroTierDomains), zeroTier, normal, null);
  }

  private ZeroTierRoutingClientHttpConnector(ZeroTierDestinations destinations, ClientHttpConnector zeroTier,
      ClientHttpConnector normal, @Nullable ZeroTierReactorHttpClient resources) {
    this.destinations = destinations;
    this.zeroTier = zeroTier;
    this.normal = normal;
    this.resources = resources;
  }

  @Override
  public Mono<ClientHttpResponse> connect(
      HttpMethod method, URI uri, Function<? super ClientHttpRequest, Mono<Void>> requestCallback) {
    return (routesOverZeroTier(uri.getHost()) ? zeroTier : normal).connect(method, uri, requestCallback);
  }

  /** Whether a request to {@code host} goes over ZeroTier. */
  public boolean routesOverZeroTier(@Nullable String host) {
    return destinations.contains(host);
  }

  /** Releases what {@link #create} made (connection pool, resolver, event loops). */
  @Override
  public void close() {
    if (resources != null) {
      resources.close();
    }
  }

  @Override
  public String toString() {
    return "ZeroTierRoutingClientHttpConnector[hosts " + destinations.hosts() + ", domains "
        + destinations.domains() + "]";
  }
}
