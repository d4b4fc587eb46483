package dev.ztjvm.node;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/** Starts VL1 nodes on their own loops for a test and closes them afterwards. */
final class NodeHarness implements AutoCloseable {

  static final Duration T = Duration.ofSeconds(10);
  static final PhysicalPathPolicy LOOPBACK_OK = PhysicalPathPolicy.DEFAULT.withAllowLoopback(true);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  Vl1Node start(Vl1Config config, String name) throws Exception {
    EventLoop loop = new EventLoop(name).start();
    closeables.add(loop);
    Vl1Node node = new Vl1Node(config, loop);
    closeables.add(node);
    node.startOnLoop().get(10, TimeUnit.SECONDS);
    return node;
  }

  /** A root for {@code planet} on {@code address:port}, with no new-identity rate limit. */
  Vl1Node root(Identity id, World planet, InetAddress address, int port) throws Exception {
    return start(rootConfig(id, planet, address, port), "root-" + id.addressString());
  }

  /** An ordinary node on a random loopback port. */
  Vl1Node leaf(Identity id, World planet, InetAddress address) throws Exception {
    return start(leafConfig(id, planet, address), "leaf-" + id.addressString());
  }

  /** Config of a root on {@code address:port} that takes loopback paths and does not rate-limit new identities. */
  static Vl1Config rootConfig(Identity id, World planet, InetAddress address, int port) {
    return Vl1Config.of(id, planet, UnderlayConfig.bind(address, port))
        .withRoot(true)
        .withPathPolicy(LOOPBACK_OK)
        .withNewIdentityInterval(Duration.ZERO);
  }

  /** Config of an ordinary node on a random port of {@code address} that takes loopback paths. */
  static Vl1Config leafConfig(Identity id, World planet, InetAddress address) {
    return Vl1Config.of(id, planet, UnderlayConfig.bind(address, 0)).withPathPolicy(LOOPBACK_OK);
  }

  static <V> V on(Vl1Node node, Callable<V> c) throws Exception {
    return node.loop().call(c, T);
  }

  static void await(String what, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }
}
