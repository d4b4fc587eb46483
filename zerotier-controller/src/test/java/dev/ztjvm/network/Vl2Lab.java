package dev.ztjvm.network;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;

/** Test harness: a Java root, a Java controller and Java member nodes over loopback UDP in one JVM. */
final class Vl2Lab implements AutoCloseable {

  static final InetAddress LO = InetAddress.getLoopbackAddress();

  final World planet;
  final Vl1Node root;
  /** The nodes; closed after everything else in {@link #closeables}, which runs on them. */
  private final NodeHarness nodes = new NodeHarness();
  private final List<AutoCloseable> closeables = new ArrayList<>(List.of(nodes));

  Vl2Lab() throws Exception {
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    planet = LoopbackPlanet.withRoot(rootId, rootPort);
    root = nodes.start(NodeHarness.rootConfig(rootId, planet, LO, rootPort), "root");
  }

  Vl1Node startLeaf(Identity id, String name) throws Exception {
    return nodes.start(NodeHarness.leafConfig(id, planet, LO), name);
  }

  /** A controller node serving {@code dataDir} (a controller.d directory). */
  NetworkController startController(Path dataDir) throws Exception {
    Identity id = LoopbackPlanet.labIdentity("controller");
    Vl1Node node = startLeaf(id, "controller");
    ControllerDatabase db = new ControllerDatabase(new FileControllerStore(dataDir), id.address());
    NetworkController c = new NetworkController(node, db);
    closeables.add(c);
    c.start();
    return c;
  }

  /** A member node with an in-memory network manager, its identity the lab identity {@code labIdentity}. */
  Member startMember(String labIdentity, String name) throws Exception {
    return startMember(LoopbackPlanet.labIdentity(labIdentity), name, NetworkOptions.inMemory());
  }

  /** A member node with a network manager. */
  Member startMember(Identity id, String name, NetworkOptions options) throws Exception {
    Vl1Node node = startLeaf(id, name);
    NetworkManager m = new NetworkManager(node, options);
    closeables.add(m);
    Member member = new Member(node, m);
    m.addListener(member);
    m.start();
    return member;
  }

  /** Closes one member's manager and node (to restart it later). */
  void stop(Member m) {
    m.manager.close();
    m.node.close();
  }

  @Override
  public void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  static void await(String what, Callable<Boolean> condition) throws Exception {
    NodeHarness.await(what, condition, Duration.ofSeconds(15));
  }

  /** A member node plus what it reported. */
  static final class Member implements NetworkListener {
    final Vl1Node node;
    final NetworkManager manager;
    final BlockingQueue<NetworkInfo> statuses = new LinkedBlockingQueue<>();
    final BlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();

    Member(Vl1Node node, NetworkManager manager) {
      this.node = node;
      this.manager = manager;
    }

    long address() {
      return node.address();
    }

    @Override
    public void onStatusChanged(NetworkInfo network) {
      statuses.add(network);
    }

    NetworkInfo info(long nwid) {
      NetworkInfo i = manager.network(nwid);
      if (i == null) {
        throw new AssertionError("not joined: " + Long.toHexString(nwid));
      }
      return i;
    }

    /** Joins and records every frame the network delivers. */
    VirtualTap joinCapturing(long nwid) {
      VirtualTap tap = manager.join(nwid);
      tap.setReceiver((f, off, len) -> frames.add(java.util.Arrays.copyOfRange(f, off, off + len)));
      return tap;
    }
  }
}
