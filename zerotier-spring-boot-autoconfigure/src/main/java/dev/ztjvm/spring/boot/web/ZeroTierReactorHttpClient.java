package dev.ztjvm.spring.boot.web;

import dev.ztjvm.netty.ZeroTierAddressResolverGroup;
import dev.ztjvm.sockets.ZeroTierNode;
import java.net.InetAddress;
import java.util.Map;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

/**
 * A Reactor Netty {@link HttpClient} whose connections run on a node's stack, with its own connection pool, event
 * loops and resolver (the hosts table, then the networks' DNS — never the system resolver). Both the WebClient
 * connector and the RestClient request factory send their ZeroTier requests through one of these; {@link #close()}
 * releases its resources.
 */
public final class ZeroTierReactorHttpClient implements AutoCloseable {

  private final HttpClient client;
  private final ConnectionProvider pool;
  private final ZeroTierAddressResolverGroup resolver;
  private final ZeroTierNodeLoopResources loops;

  /**
   * @param node the node whose stack carries the connections
   * @param hosts names with their ZeroTier addresses, resolved without DNS
   * @param name name of the pool and thread-name prefix of the event loops
   */
  public ZeroTierReactorHttpClient(ZeroTierNode node, Map<String, InetAddress> hosts, String name) {
    this.loops = new ZeroTierNodeLoopResources(node, name);
    this.resolver = new ZeroTierAddressResolverGroup(node);
    hosts.forEach(resolver::put);
    this.pool = ConnectionProvider.create(name);
    this.client = HttpClient.create(pool).runOn(loops).resolver(resolver);
  }

  /** The client. */
  public HttpClient client() {
    return client;
  }

  @Override
  public void close() {
    pool.dispose();
    resolver.close();
    loops.dispose();
  }
}
