package dev.ztjvm.sockets;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.controller.NetworkEditor;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.network.RootMulticastService;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A private ZeroTier in this JVM: a root (on a loopback UDP port, described by a freshly signed planet) and a
 * network controller node. Create networks, authorize members, and build {@link ZeroTierNode}s that use it with
 * {@link #nodeBuilder()}. Used for tests, demos and self-hosted setups; nothing leaves the loopback interface.
 *
 * <p>Storage is optional: without it everything lives in a temporary directory deleted by {@link #close()}; with it
 * the root and controller identities, the planet (and so the root's port) and the controller's networks survive a
 * restart.
 */
public final class LocalZeroTier implements AutoCloseable {

  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private static final long PLANET_ID = 0x7a744c6f63616c01L;

  private final Path home;
  private final boolean temporary;
  private final World planet;
  private final EventLoop rootLoop;
  private final Vl1Node root;
  private final EventLoop controllerLoop;
  private final Vl1Node controllerNode;
  private final NetworkController controller;
  private volatile boolean closed;

  private LocalZeroTier(Path home, boolean temporary) throws IOException {
    this.home = home;
    this.temporary = temporary;
    Identity rootId = new IdentityStore(home.resolve("root")).loadOrGenerate();
    Identity controllerId = new IdentityStore(home.resolve("controller")).loadOrGenerate();
    Path planetFile = home.resolve("planet");
    World p = null;
    if (Files.isRegularFile(planetFile)) {
      p = World.parse(Files.readAllBytes(planetFile));
    }
    PhysicalPathPolicy loopbackOk = PhysicalPathPolicy.DEFAULT.withAllowLoopback(true);
    EventLoop rl = null;
    Vl1Node r = null;
    for (int attempt = 0; r == null; attempt++) {
      int port = p != null ? p.roots().get(0).stableEndpoints().get(0).getPort() : freeLoopbackPort();
      if (p == null || p.roots().get(0).stableEndpoints().get(0).getPort() != port) {
        p = signPlanet(rootId, port);
      }
      rl = new EventLoop("zt-local-root").start();
      try {
        r = startNode(Vl1Config.of(rootId, p, UnderlayConfig.bind(LO, port)).withRoot(true)
            .withPathPolicy(loopbackOk).withNewIdentityInterval(Duration.ZERO), rl);
      } catch (IOException e) {
        rl.close();
        if (attempt >= 4 || Files.isRegularFile(planetFile)) {
          throw e;
        }
        p = null; // the port was taken meanwhile: sign for another
      }
    }
    // Like ZeroTier One's roots, the root answers MULTICAST_GATHER from the members' MULTICAST_LIKEs.
    RootMulticastService.install(r);
    this.planet = p;
    Files.write(planetFile, p.serialize());
    this.rootLoop = rl;
    this.root = r;
    this.controllerLoop = new EventLoop("zt-local-controller").start();
    try {
      this.controllerNode = startNode(
          Vl1Config.of(controllerId, p, UnderlayConfig.bind(LO, 0)).withPathPolicy(loopbackOk), controllerLoop);
      ControllerDatabase db = new ControllerDatabase(
          new FileControllerStore(home.resolve("controller.d")), controllerId.address());
      this.controller = new NetworkController(controllerNode, db);
      controller.start();
    } catch (IOException | RuntimeException e) {
      root.close();
      rootLoop.close();
      controllerLoop.close();
      throw e;
    }
  }

  /** Starts a private ZeroTier with its state in a temporary directory (deleted on {@link #close()}). */
  public static LocalZeroTier start() throws IOException {
    return new LocalZeroTier(Files.createTempDirectory("zt-local-"), true);
  }

  /** Starts (or restarts) a private ZeroTier keeping its state in {@code storage}. */
  public static LocalZeroTier start(Path storage) throws IOException {
    Files.createDirectories(storage);
    return new LocalZeroTier(storage, false);
  }

  private static Vl1Node startNode(Vl1Config config, EventLoop loop) throws IOException {
    Vl1Node n = new Vl1Node(config, loop);
    try {
      n.startOnLoop().get(30, TimeUnit.SECONDS);
      return n;
    } catch (ExecutionException e) {
      n.close();
      Throwable c = e.getCause();
      throw c instanceof IOException io ? io : new IOException("local node failed to start: " + c, c);
    } catch (TimeoutException e) {
      n.close();
      throw new IOException("local node did not start in time");
    } catch (InterruptedException e) {
      n.close();
      Thread.currentThread().interrupt();
      throw new java.io.InterruptedIOException();
    }
  }

  private static World signPlanet(Identity rootId, int port) {
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World.Root r = new World.Root(rootId.publicOnly(), List.of(new InetSocketAddress(LO, port)));
    return World.sign(World.Type.PLANET, PLANET_ID, System.currentTimeMillis(), key.publicKey(), List.of(r), key);
  }

  private static int freeLoopbackPort() throws IOException {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LO, 0))) {
      return s.getLocalPort();
    } catch (BindException e) {
      throw new IOException("no free UDP port on loopback", e);
    }
  }

  // ------------------------------------------------------------------------------------------------ planet, nodes

  /** The signed planet naming the local root. */
  public World planet() {
    return planet;
  }

  /** The planet as a zerotier-one {@code planet} file. */
  public byte[] planetBytes() {
    return planet.serialize();
  }

  /** The root's UDP address. */
  public InetSocketAddress rootEndpoint() {
    return planet.roots().get(0).stableEndpoints().get(0);
  }

  /** The controller node's address (the first 10 hex digits of its networks' IDs). */
  public long controllerId() {
    return controllerNode.address();
  }

  /**
   * A builder for nodes of this ZeroTier: the local planet, UDP on loopback, loopback paths allowed. Add storage,
   * identity or listeners as usual.
   */
  public ZeroTierNode.Builder nodeBuilder() {
    return ZeroTierNode.builder().planet(planet).bindAddress(LO).allowLoopbackPaths(true);
  }

  // ------------------------------------------------------------------------------------------------ networks

  /** The controller's database (networks and members, as ZeroTier One's controller keeps them). */
  public ControllerDatabase database() {
    return controller.database();
  }

  /** Creates a network with a random ID under this controller and returns the ID. */
  public long createNetwork(Consumer<NetworkEditor> edit) throws IOException {
    return controller.database().createNetwork(edit);
  }

  /**
   * Creates a private network with an IPv4 pool {@code first}..{@code last} inside {@code route} (e.g.
   * {@code 10.147.17.0/24}), auto-assigned, and optionally RFC4193 IPv6 addresses.
   */
  public long createPrivateNetwork(String name, String route, String first, String last, boolean rfc4193)
      throws IOException {
    return createNetwork(e -> {
      e.name(name).privateNetwork(true)
          .addPool(IpPrefix.parseIp(first), IpPrefix.parseIp(last))
          .addRoute(IpPrefix.parse(route), null)
          .v4AutoAssign(true);
      if (rfc4193) {
        e.v6Modes(true, false, false);
      }
    });
  }

  /** Like {@link #createPrivateNetwork} but public (members need no authorization). */
  public long createPublicNetwork(String name, String route, String first, String last, boolean rfc4193)
      throws IOException {
    long id = createPrivateNetwork(name, route, first, last, rfc4193);
    controller.database().updateNetwork(id, e -> e.privateNetwork(false));
    return id;
  }

  /** Authorizes a member (it gets its config pushed within moments). */
  public void authorize(long networkId, long nodeId) throws IOException {
    controller.database().authorize(networkId, nodeId, true);
  }

  /** Revokes a member's authorization. */
  public void deauthorize(long networkId, long nodeId) throws IOException {
    controller.database().authorize(networkId, nodeId, false);
  }

  /** Sets the DNS search domain and servers the controller pushes for a network. */
  public void setDns(long networkId, String domain, List<InetAddress> servers) throws IOException {
    controller.database().updateNetwork(networkId, e -> e.dns(domain, servers));
  }

  /** Member addresses the controller knows on a network (authorized or not). */
  public List<Long> members(long networkId) throws IOException {
    return new ArrayList<>(controller.database().memberAddresses(networkId));
  }

  /** The directory holding the state. */
  public Path home() {
    return home;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    controller.close();
    controllerNode.close();
    controllerLoop.close();
    root.close();
    rootLoop.close();
    if (temporary) {
      deleteTree(home);
    }
  }

  private static void deleteTree(Path dir) {
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.deleteIfExists(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, @Nullable IOException exc) throws IOException {
          Files.deleteIfExists(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // best effort: a temp directory
    }
  }

  @Override
  public String toString() {
    return "LocalZeroTier[root " + root.identity().addressString() + " at " + rootEndpoint() + ", controller "
        + controllerNode.identity().addressString() + "]";
  }
}
