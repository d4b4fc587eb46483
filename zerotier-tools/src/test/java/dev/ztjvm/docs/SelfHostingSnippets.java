package dev.ztjvm.docs;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Java code shown in {@code docs/self-hosting.md} (regions are copied into the page; {@code DocsSnippetsTest}
 * checks the copies, {@code SelfHostedEndToEndTest} runs the code).
 */
final class SelfHostingSnippets {

  private SelfHostingSnippets() {}

  /** What {@link #planet} makes: the root's identity and the signed planet naming it. */
  record Planet(Identity rootId, World planet) {}

  static Planet planet(int rootPort) {
    // region planet
    Identity rootId = Identity.generate();                      // the root's identity (keep its secret)
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom()); // signs this and later planet revisions
    World planet = World.sign(World.Type.PLANET, 0xdeadbeefL, System.currentTimeMillis(), key.publicKey(),
        List.of(new World.Root(rootId.publicOnly(), List.of(new InetSocketAddress("127.0.0.1", rootPort)))),
        key);
    byte[] planetFile = planet.serialize();                     // what `planet create` writes
    // endregion
    if (!World.parse(planetFile).equals(planet)) {
      throw new AssertionError("planet does not round-trip");
    }
    return new Planet(rootId, planet);
  }

  static Vl1Node root(Identity rootId, World planet, int rootPort) throws Exception {
    // region root
    EventLoop rootLoop = new EventLoop("root").start();        // one loop thread per node
    Vl1Config rootConfig = Vl1Config.of(rootId, planet,
            UnderlayConfig.bind(InetAddress.getLoopbackAddress(), rootPort))
        .withRoot(true)                                         // relay, answer WHOIS, send RENDEZVOUS
        .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)); // = --allow-loopback
    Vl1Node root = new Vl1Node(rootConfig, rootLoop);
    root.startOnLoop().get(10, TimeUnit.SECONDS);               // binds the UDP socket
    // endregion
    return root;
  }

  /** What {@link #controller} makes. */
  record Controller(Vl1Node node, ControllerDatabase db, NetworkController controller, long nwid) {}

  static Controller controller(World planet, Path controllerDotD) throws Exception {
    // region controller
    Identity controllerId = Identity.generate();
    Vl1Node node = new Vl1Node(Vl1Config.of(controllerId, planet,
            UnderlayConfig.bind(InetAddress.getLoopbackAddress(), 0))   // 0 = any free port
        .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)), new EventLoop("controller").start());
    node.startOnLoop().get(10, TimeUnit.SECONDS);
    ControllerDatabase db = new ControllerDatabase(new FileControllerStore(controllerDotD), node.address());
    NetworkController controller = new NetworkController(node, db);
    controller.start();                                          // answers NETWORK_CONFIG_REQUESTs from now on
    long nwid = db.createNetwork(n -> n.name("lab")              // = `controller network create`
        .addPool(IpPrefix.parseIp("10.147.17.100"), IpPrefix.parseIp("10.147.17.200"))
        .addRoute(IpPrefix.parse("10.147.17.0/24"), null)
        .v4AutoAssign(true));
    // endregion
    return new Controller(node, db, controller, nwid);
  }

  /** What {@link #member} makes. */
  record Member(Vl1Node node, NetworkManager manager) {}

  static Member member(World planet, Path home, ControllerDatabase db, long nwid) throws Exception {
    // region member
    Identity memberId = Identity.generate();
    Vl1Node node = new Vl1Node(Vl1Config.of(memberId, planet,
            UnderlayConfig.bind(InetAddress.getLoopbackAddress(), 0))
        .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)), new EventLoop("member").start());
    node.startOnLoop().get(10, TimeUnit.SECONDS);
    NetworkManager manager = new NetworkManager(node, NetworkOptions.withStorage(home)); // networks.d/ cache
    manager.start();
    manager.join(nwid);                                          // status: REQUESTING_CONFIGURATION, then
                                                                 // ACCESS_DENIED until the member is authorized
    db.updateMember(nwid, node.address(), m -> m.authorized(true)); // = `controller member authorize`
    // endregion
    return new Member(node, manager);
  }

  /** Waits until the member holds a config (status OK) and returns its network info. */
  static NetworkInfo awaitOk(NetworkManager manager, long nwid) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      // region status
      NetworkInfo info = manager.network(nwid);   // null if not joined
      if (info != null && info.status() == NetworkStatus.OK && !info.addresses().isEmpty()) {
        return info;                              // info.addresses(): e.g. [10.147.17.142/24]
      }
      // otherwise info.reason() says what to do, e.g.
      // "authorize node 89e92ceee5 on network 8056c2e21c000001 at its controller 8056c2e21c"
      // endregion
      if (System.nanoTime() > deadline) {
        throw new AssertionError("network " + Long.toHexString(nwid) + " not OK: " + info);
      }
      Thread.sleep(20);
    }
  }

  static void orbitMoon(Vl1Node node, long moonWorldId, long seedRootAddress) {
    // region moon
    // Vl1Node methods other than start/close/snapshots must run on the node's loop:
    node.loop().execute(() -> node.orbit(moonWorldId, seedRootAddress)); // fetch the moon from one of its roots
    // ... later
    node.loop().execute(() -> node.deorbit(moonWorldId));
    // endregion
  }

  static void orbitMoon(dev.ztjvm.sockets.ZeroTierNode node, long moonWorldId, long seedRootAddress) {
    // region moon-sdk
    node.orbit(moonWorldId, seedRootAddress);   // any thread; the moon is saved to moons.d/ when the node has storage
    node.deorbit(moonWorldId);
    // endregion
  }
}
