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

/** Starts VL1 nodes on their own loops for a test and closes them afterwards (also used by the VL2 tests' lab). */
public final class NodeHarness implements AutoCloseable {

  static final Duration T = Duration.ofSeconds(10);
  public static final PhysicalPathPolicy LOOPBACK_OK = PhysicalPathPolicy.DEFAULT.withAllowLoopback(true);

  private final List<AutoCloseable> closeables = new ArrayList<>();

  /** Starts a node with {@code config} on a new loop named {@code name}. */
  public Vl1Node start(Vl1Config config, String name) throws Exception {
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
  public static Vl1Config rootConfig(Identity id, World planet, InetAddress address, int port) {
    return Vl1Config.of(id, planet, UnderlayConfig.bind(address, port))
        .withRoot(true)
        .withPathPolicy(LOOPBACK_OK)
        .withNewIdentityInterval(Duration.ZERO);
  }

  /** Config of an ordinary node on a random port of {@code address} that takes loopback paths. */
  public static Vl1Config leafConfig(Identity id, World planet, InetAddress address) {
    return Vl1Config.of(id, planet, UnderlayConfig.bind(address, 0)).withPathPolicy(LOOPBACK_OK);
  }

  static <V> V on(Vl1Node node, Callable<V> c) throws Exception {
    return node.loop().call(c, T);
  }

  static void await(String what, Callable<Boolean> condition) throws Exception {
    await(what, condition, Duration.ofSeconds(20));
  }

  /** Polls {@code condition} every 20 ms until it holds; fails naming {@code what} after {@code timeout}. */
  public static void await(String what, Callable<Boolean> condition, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.call()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("Timed out waiting for: " + what);
      }
      Thread.sleep(20);
    }
  }

  /** Closes everything started, newest first; keeps closing after a failure and throws the first one at the end. */
  @Override
  public void close() throws Exception {
    Exception first = null;
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
