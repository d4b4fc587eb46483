package dev.ztjvm.sample;

import dev.ztjvm.netty.ZeroTierAddressResolverGroup;
import dev.ztjvm.netty.ZeroTierLoopResources;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.web.ZeroTierServerBinding;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.client.HttpClient;
import reactor.util.retry.Retry;

/**
 * A second ZeroTier node in the same JVM that calls the application's {@code /hello} over ZeroTier and logs the
 * answer, so the demo shows a full round trip — UDP, VL1, VL2, both TCP stacks, HTTP — with nothing else running.
 * It uses only the SDK ({@link ZeroTierNode}) and Reactor Netty on {@code zerotier-netty}, as a separate program
 * would.
 */
final class DemoClient implements AutoCloseable {

  private static final Log log = LogFactory.getLog(DemoClient.class);
  private static final Duration WAIT = Duration.ofSeconds(60);

  /**
   * Where the client joins and how it gets in.
   *
   * @param planet the planet file of the roots the application uses, null for ZeroTier's public planet
   * @param networkId the network the application serves on
   * @param allowLoopbackPaths whether the roots are on this machine
   * @param storage directory for the client's identity (so it stays the same member across runs), null for none
   * @param authorizer authorizes the client's node on the network, null when nobody can (public networks need none)
   */
  record Setup(byte @Nullable [] planet, long networkId, boolean allowLoopbackPaths, @Nullable Path storage,
      @Nullable Authorizer authorizer) {}

  /** Authorizes a node on a network (the self-hosted controller, or the Central API). */
  @FunctionalInterface
  interface Authorizer {
    void authorize(long networkId, long nodeId) throws IOException;
  }

  private final Setup setup;
  private final ZeroTierNode server;
  private volatile @Nullable ZeroTierNode node;
  private volatile @Nullable ZeroTierLoopResources loops;
  private volatile @Nullable ZeroTierAddressResolverGroup resolver;
  private volatile @Nullable String url;

  DemoClient(Setup setup, ZeroTierNode server) {
    this.setup = setup;
    this.server = server;
  }

  /** Joins, calls {@code http://<server's ZeroTier address>:<port>/hello} and returns the answer. */
  String callHello(int port) throws IOException, InterruptedException, TimeoutException {
    ZeroTierNode.Builder builder = ZeroTierNode.builder().port(0);
    if (setup.allowLoopbackPaths()) {
      // roots on this machine (self-hosted): stay on loopback
      builder.allowLoopbackPaths(true).bindAddress(InetAddress.getLoopbackAddress());
    }
    if (setup.planet() != null) {
      builder.planet(setup.planet());
    }
    if (setup.storage() != null) {
      builder.storage(setup.storage());
    }
    ZeroTierNode client = builder.build();
    node = client;
    client.start();
    log.info("Demo client node " + client.nodeIdString() + " started; joining network "
        + String.format("%016x", setup.networkId()));
    client.awaitOnline(WAIT);
    client.join(setup.networkId());
    if (setup.authorizer() != null) {
      setup.authorizer().authorize(setup.networkId(), client.nodeId());
    }
    NetworkDetails joined = client.awaitNetworkReady(setup.networkId(), WAIT);
    NetworkDetails served = server.awaitNetworkReady(setup.networkId(), WAIT);
    InetAddress target = served.ipv4().orElseGet(() -> served.addresses().get(0).address());
    String url = ZeroTierServerBinding.url(target, port) + "/hello";
    log.info("Demo client " + client.nodeIdString() + " (" + joined.addresses() + ") calling " + url
        + " over ZeroTier");

    ZeroTierLoopResources clientLoops = ZeroTierLoopResources.create(client, "demo-client", 1);
    loops = clientLoops;
    ZeroTierAddressResolverGroup resolver = new ZeroTierAddressResolverGroup(client);
    this.resolver = resolver;
    this.url = url;
    // The first connection may wait for address resolution on the virtual network; try a few times.
    return get(Retry.backoff(5, Duration.ofMillis(500)));
  }

  /**
   * Calls {@code /hello} again on a new connection, after {@link #callHello}; the sample's load generator
   * ({@code sample.demo-client.loop}).
   */
  String callAgain() throws IOException {
    return get(Retry.max(0));
  }

  private String get(Retry retry) throws IOException {
    ZeroTierLoopResources clientLoops = loops;
    ZeroTierAddressResolverGroup resolver = this.resolver;
    String url = this.url;
    if (clientLoops == null || resolver == null || url == null) {
      throw new IllegalStateException("callHello first");
    }
    String answer = HttpClient.newConnection().runOn(clientLoops).resolver(resolver)
        .responseTimeout(Duration.ofSeconds(10))
        .get().uri(url)
        .responseSingle((response, body) -> {
          if (response.status().code() != 200) {
            return reactor.core.publisher.Mono.error(new IOException("GET " + url + ": HTTP " + response.status()));
          }
          return body.asString();
        })
        .retryWhen(retry)
        .block(WAIT);
    if (answer == null) {
      throw new IOException("GET " + url + ": empty answer");
    }
    return answer;
  }

  @Override
  public void close() {
    ZeroTierAddressResolverGroup r = resolver;
    if (r != null) {
      r.close();
    }
    ZeroTierLoopResources l = loops;
    if (l != null) {
      l.disposeLater(Duration.ZERO, Duration.ofSeconds(2)).block(Duration.ofSeconds(5));
    }
    ZeroTierNode n = node;
    if (n != null) {
      n.close();
    }
  }
}
