package dev.ztjvm.controller.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two controller instances with the same identity on different UDP ports share one PostgreSQL database; each member
 * talks to one of them only (its only path to the controller). A change made through either instance's API reaches
 * the member through the instance it talks to; when an instance dies, the other one serves its members.
 */
class ReplicatedControllerTest {
  static final InetAddress LO = InetAddress.getLoopbackAddress();
  /** The bound for a change to reach a member through the other instance (fail instead of hang). */
  static final Duration PROPAGATION = Duration.ofSeconds(1);
  /** ... and for a dead instance's members to be served by the other one. */
  static final Duration TAKEOVER = Duration.ofSeconds(10);

  private final NodeHarness nodes = new NodeHarness();
  private final List<AutoCloseable> closeables = new ArrayList<>();
  private World planet;
  private Identity controllerId;
  private HikariDataSource database;

  @BeforeEach
  void lab() throws Exception {
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    planet = LoopbackPlanet.withRoot(rootId, rootPort);
    nodes.start(NodeHarness.rootConfig(rootId, planet, LO, rootPort), "root");
    controllerId = LoopbackPlanet.labIdentity("controller");
    database = PostgresServer.shared().newDatabase("replicated");
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // keep closing
      }
    }
    nodes.close();
    database.close();
  }

  private ControllerInstance instance(String name) throws Exception {
    ControllerInstance i = new ControllerInstance(name, controllerId, planet, database, Duration.ofSeconds(3));
    closeables.add(i);
    return i;
  }

  /** A member node whose only path to the controller is {@code via}'s UDP port. */
  private NetworkManager member(String labIdentity, ControllerInstance via) throws Exception {
    Vl1Node node = nodes.start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity(labIdentity), planet, LO),
        labIdentity);
    node.loop().call(() -> {
      node.addCachedPeer(controllerId.publicOnly(), List.of(via.udpEndpoint()));
      return null;
    }, Duration.ofSeconds(10));
    NetworkManager m = new NetworkManager(node, NetworkOptions.inMemory());
    closeables.add(m);
    m.start();
    return m;
  }

  private static NetworkInfo info(NetworkManager m, long nwid) {
    NetworkInfo i = m.network(nwid);
    if (i == null) {
      throw new AssertionError("not joined");
    }
    return i;
  }

  /** Does {@code change}, then waits at most {@code bound} for {@code condition}; prints the times. */
  private static void within(Duration bound, String what, ThrowingRunnable change, Callable<Boolean> condition)
      throws Exception {
    long t0 = System.nanoTime();
    change.run();
    long t1 = System.nanoTime();
    NodeHarness.await(what, condition, bound);
    System.out.printf("%s: %d ms after the change returned (the change took %d ms)%n", what,
        (System.nanoTime() - t1) / 1_000_000, (t1 - t0) / 1_000_000);
  }

  interface ThrowingRunnable {
    void run() throws Exception;
  }

  @Test
  void aChangeThroughEitherInstanceReachesMembersOfTheOtherAndADeadInstancesMembersMoveOn() throws Exception {
    ControllerInstance a = instance("a");
    ControllerInstance b = instance("b");
    InetAddress first = InetAddress.getByName("10.77.0.10");
    InetAddress last = InetAddress.getByName("10.77.0.200");
    long nwid = a.db.createNetwork(n -> n.name("replicated")
        .addPool(first, last)
        .addRoute(IpPrefix.parse("10.77.0.0/24"), null)
        .v4AutoAssign(true));
    String net = "/controller/network/" + NetworkId.toString(nwid);

    NetworkManager onA = member("member1", a);
    NetworkManager onB = member("member2", b);
    String memberA = Address.toString(onA.node().address());
    String memberB = Address.toString(onB.node().address());
    onA.join(nwid);
    onB.join(nwid);
    NodeHarness.await("both members asked and were denied", () -> info(onA, nwid)
        .status() == NetworkStatus.ACCESS_DENIED
        && info(onB, nwid).status() == NetworkStatus.ACCESS_DENIED, Duration.ofSeconds(30));
    long bSent = b.controller.configsSent();
    long aSent = a.controller.configsSent();

    // authorize through A: the member talking to B gets its address from B
    within(PROPAGATION, "member on B configured after authorize on A",
        () -> a.post(net + "/member/" + memberB, "{\"authorized\":true}"), () -> info(onB, nwid)
            .status() == NetworkStatus.OK && !info(onB, nwid).addresses().isEmpty());
    assertThat(info(onB, nwid).addresses().get(0).toString()).startsWith("10.77.0.");
    assertThat(b.controller.configsSent()).isGreaterThan(bSent);
    assertThat(a.controller.configsSent()).isEqualTo(aSent); // A never talked to that member

    // and the other way round
    within(PROPAGATION, "member on A configured after authorize on B",
        () -> b.post(net + "/member/" + memberA, "{\"authorized\":true}"), () -> info(onA, nwid)
            .status() == NetworkStatus.OK && !info(onA, nwid).addresses().isEmpty());
    assertThat(info(onA, nwid).addresses()).doesNotContainAnyElementsOf(info(onB, nwid).addresses());

    // deauthorize through A: the member on B is denied (the member runtime keeps showing its last config's
    // addresses, but its network is down: ACCESS_DENIED, frames dropped)
    within(PROPAGATION, "member on B denied after deauthorize on A",
        () -> a.post(net + "/member/" + memberB, "{\"authorized\":false}"),
        () -> info(onB, nwid).status() == NetworkStatus.ACCESS_DENIED);
    assertThat(info(onB, nwid).reason()).contains("authorize node " + memberB);

    // A dies; a change made on B meanwhile reaches A's member once B has taken it over
    within(TAKEOVER, "member of dead A configured by B", () -> {
      a.kill();
      b.post(net, "{\"name\":\"after A died\"}");
    }, () -> info(onA, nwid).name().equals("after A died")
        && info(onA, nwid).status() == NetworkStatus.OK);
    assertThat(b.controller.configsSent()).isGreaterThan(bSent + 1);
  }
}
