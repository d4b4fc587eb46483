package dev.ztjvm.spring.boot.web;

import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.ReactorClientHttpRequestFactory;

/**
 * The blocking counterpart of {@link ZeroTierRoutingClientHttpConnector}, for {@code RestClient}, {@code RestTemplate}
 * and HTTP interface clients on them: requests to ZeroTier destinations ({@link ZeroTierDestinations}) go through a
 * Reactor Netty client on the node's stack, every other request through the normal request factory.
 */
public final class ZeroTierRoutingClientHttpRequestFactory implements ClientHttpRequestFactory, AutoCloseable {

  private final ZeroTierDestinations destinations;
  private final ClientHttpRequestFactory zeroTier;
  private final ClientHttpRequestFactory normal;
  private final @Nullable ZeroTierReactorHttpClient resources;

  /**
   * A factory whose ZeroTier side is a {@link ZeroTierReactorHttpClient}; {@link #close()} releases it.
   *
   * @param node the node
   * @param normal request factory for everything not routed over ZeroTier
   * @param hosts names that go over ZeroTier, with their ZeroTier addresses
   * @param domains domain suffixes that go over ZeroTier (resolved by the network's DNS)
   */
  public static ZeroTierRoutingClientHttpRequestFactory create(ZeroTierNode node, ClientHttpRequestFactory normal,
      Map<String, InetAddress> hosts, List<String> domains) {
    ZeroTierReactorHttpClient client = new ZeroTierReactorHttpClient(node, hosts, "zerotier-restclient");
    return new ZeroTierRoutingClientHttpRequestFactory(new ZeroTierDestinations(node, hosts.keySet(), domains),
        new ReactorClientHttpRequestFactory(client.client()), normal, client);
  }

  /**
   * @param destinations which hosts go over ZeroTier
   * @param zeroTier request factory whose connections run on the node's stack
   * @param normal request factory for everything else
   */
  public ZeroTierRoutingClientHttpRequestFactory(ZeroTierDestinations destinations, ClientHttpRequestFactory zeroTier,
      ClientHttpRequestFactory normal) {
    this(destinations, zeroTier, normal, null);
  }

  private ZeroTierRoutingClientHttpRequestFactory(ZeroTierDestinations destinations,
      ClientHttpRequestFactory zeroTier, ClientHttpRequestFactory normal,
      @Nullable ZeroTierReactorHttpClient resources) {
    this.destinations = destinations;
    this.zeroTier = zeroTier;
    this.normal = normal;
    this.resources = resources;
  }

  @Override
  public ClientHttpRequest createRequest(URI uri, HttpMethod httpMethod) throws IOException {
    return (routesOverZeroTier(uri.getHost()) ? zeroTier : normal).createRequest(uri, httpMethod);
  }

  /** Whether a request to {@code host} goes over ZeroTier. */
  public boolean routesOverZeroTier(@Nullable String host) {
    return destinations.contains(host);
  }

  @Override
  public void close() {
    if (resources != null) {
      resources.close();
    }
  }

  @Override
  public String toString() {
    return "ZeroTierRoutingClientHttpRequestFactory[hosts " + destinations.hosts() + ", domains "
        + destinations.domains() + "]";
  }
}
