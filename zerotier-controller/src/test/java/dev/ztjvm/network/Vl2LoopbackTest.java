package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Address;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import dev.ztjvm.vl2.NodeMac;
import dev.ztjvm.vl2.Route;
import dev.ztjvm.vl2.Rule;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 "must show", in one JVM over loopback: Java root + Java controller + two Java members on a private network.
 */
class Vl2LoopbackTest {

  @TempDir Path tmp;
  private Vl2Lab lab;
  private NetworkController controller;
  private ControllerDatabase db;

  @BeforeEach
  void setUp() throws Exception {
    lab = new Vl2Lab();
    controller = lab.startController(tmp.resolve("controller.d"));
    db = controller.database();
  }

  @AfterEach
  void tearDown() throws Exception {
    lab.close();
  }

  private long createPrivateNetwork() throws Exception {
    return db.createNetwork(e -> e.name("lab-net")
        .addPool(IpPrefix.parseIp("10.147.17.100"), IpPrefix.parseIp("10.147.17.200"))
        .addRoute(IpPrefix.parse("10.147.17.0/24"), null)
        .v4AutoAssign(true));
  }

  private static InetAddress v4(NetworkInfo i) {
    return i.addresses().stream().filter(IpPrefix::isIpv4).findFirst().orElseThrow().address();
  }

  @Test
  void privateNetworkDeniesThenAuthorizesPushesChangesCarriesFramesAppliesRulesAndStopsAfterLeave()
      throws Exception {
    long nwid = createPrivateNetwork();
    Vl2Lab.Member a = lab.startMember("member1", "a");
    Vl2Lab.Member b = lab.startMember("member2", "b");
    VirtualTap tapA = a.joinCapturing(nwid);
    VirtualTap tapB = b.joinCapturing(nwid);

    // 1. private network, not authorized: ACCESS_DENIED with an actionable reason
    await("a denied", () -> a.info(nwid).status() == NetworkStatus.ACCESS_DENIED);
    await("b denied", () -> b.info(nwid).status() == NetworkStatus.ACCESS_DENIED);
    assertThat(a.info(nwid).reason()).contains("authorize node " + Address.toString(a.address()))
        .contains(NetworkId.toString(nwid));
    assertThat(a.info(nwid).addresses()).isEmpty();
    // the controller recorded the members with their identities, unauthorized
    assertThat(db.member(nwid, a.address()).orElseThrow().get("identity"))
        .isEqualTo(a.node.identity().toPublicString());
    assertThat(db.member(nwid, a.address()).orElseThrow().get("authorized")).isEqualTo(false);

    // 2. authorization is pushed: OK with an address from the pool inside the route
    db.authorize(nwid, a.address(), true);
    db.authorize(nwid, b.address(), true);
    await("a ok", () -> a.info(nwid).status() == NetworkStatus.OK);
    await("b ok", () -> b.info(nwid).status() == NetworkStatus.OK);
    NetworkInfo ia = a.info(nwid);
    NetworkInfo ib = b.info(nwid);
    assertThat(ia.name()).isEqualTo("lab-net");
    assertThat(ia.reason()).isEmpty();
    assertThat(ia.mac()).isEqualTo(NodeMac.forNode(nwid, a.address())).isEqualTo(tapA.mac());
    InetAddress ipA = v4(ia);
    InetAddress ipB = v4(ib);
    IpPrefix pool = IpPrefix.parse("10.147.17.0/24");
    assertThat(pool.contains(ipA)).isTrue();
    assertThat(pool.contains(ipB)).isTrue();
    assertThat(ipA).isNotEqualTo(ipB);
    assertThat(ia.addresses()).contains(new IpPrefix(ipA, 24));
    int lastA = ipA.getAddress()[3] & 0xff;
    assertThat(lastA).isBetween(100, 200);
    // stored back into the member record, as zerotier-one does
    assertThat(db.member(nwid, a.address()).orElseThrow().get("ipAssignments").toString())
        .contains(IpPrefix.format(ipA));

    // 3. ARP request broadcast from A reaches B (group = broadcast + ADI of B's IPv4), B's reply reaches A
    byte[] request = TestFrames.arpRequest(tapA.mac(), ipA, ipB);
    byte[] gotRequest = null;
    for (int i = 0; i < 30 && gotRequest == null; i++) {
      tapA.sendFrame(request, 0, request.length);
      gotRequest = b.frames.poll(500, TimeUnit.MILLISECONDS);
    }
    assertThat(gotRequest).as("ARP request delivered to B").isEqualTo(request);
    byte[] reply = TestFrames.arpReply(tapB.mac(), ipB, tapA.mac(), ipA);
    tapB.sendFrame(reply, 0, reply.length);
    assertThat(a.frames.poll(10, TimeUnit.SECONDS)).as("ARP reply delivered to A").isEqualTo(reply);
    assertThat(lab.root.counters().packetsIn(Verb.MULTICAST_FRAME)).isZero();

    // 4. a rule dropping UDP to port 9999 drops exactly those frames
    db.updateNetwork(nwid, e -> e.rules(List.of(Rule.matchIpProtocol(17), Rule.matchDestPortRange(9999, 9999),
        Rule.drop(), Rule.accept())));
    long rev = db.network(nwid).orElseThrow().get("revision") instanceof Long r ? r : -1;
    await("a has the new rules", () -> a.info(nwid).revision() == rev);
    await("b has the new rules", () -> b.info(nwid).revision() == rev);
    b.frames.clear();
    List<Integer> sentPorts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      int port = i % 2 == 0 ? 9999 : 9998;
      sentPorts.add(port);
      byte[] f = TestFrames.udp(tapA.mac(), tapB.mac(), ipA, ipB, 40000 + i, port,
          ("datagram " + i).getBytes(StandardCharsets.UTF_8));
      tapA.sendFrame(f, 0, f.length);
    }
    List<Integer> received = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] f = b.frames.poll(10, TimeUnit.SECONDS);
      assertThat(f).isNotNull();
      received.add(TestFrames.udpDstPort(f));
    }
    assertThat(received).containsExactly(9998, 9998, 9998);
    assertThat(sentPorts).containsOnly(9998, 9999);
    // also inbound: B's own rules would drop what A did not (A's outbound filter already did)
    assertThat(b.frames).isEmpty();

    // 5. a new route is pushed within seconds
    db.updateNetwork(nwid, e -> e.addRoute(IpPrefix.parse("10.200.0.0/16"), IpPrefix.parseIp("10.147.17.1")));
    Route newRoute = new Route(IpPrefix.parse("10.200.0.0/16"), new IpPrefix(IpPrefix.parseIp("10.147.17.1"), 0), 0,
        0);
    await("a has the new route", () -> a.info(nwid).routes().contains(newRoute));

    // 6. leaving stops delivery: B leaves, A's frames still reach B's node but not its (closed) port
    assertThat(b.manager.leave(nwid)).isTrue();
    assertThat(tapB.isClosed()).isTrue();
    long framesIn = b.node.counters().packetsIn(Verb.FRAME);
    long delivered = tapB.framesToStack();
    byte[] f = TestFrames.udp(tapA.mac(), tapB.mac(), ipA, ipB, 40000, 9998, new byte[] {1, 2, 3});
    tapA.sendFrame(f, 0, f.length);
    await("frame reached B's node", () -> b.node.counters().packetsIn(Verb.FRAME) > framesIn);
    assertThat(tapB.framesToStack()).isEqualTo(delivered);
    assertThat(b.frames).isEmpty();
    assertThat(b.manager.network(nwid)).isNull();

    // 7. de-authorization is pushed: A is denied within seconds
    db.authorize(nwid, a.address(), false);
    await("a denied again", () -> a.info(nwid).status() == NetworkStatus.ACCESS_DENIED);
    assertThat(a.info(nwid).reason()).contains("authorize node " + Address.toString(a.address()));
    tapA.sendFrame(f, 0, f.length);
    assertThat(tapA.framesDropped()).isPositive();
  }

  @Test
  void unknownNetworkIsNotFoundAndAdHocNetworksNeedNoController() throws Exception {
    Vl2Lab.Member a = lab.startMember("member1", "a");
    long controllerAddress = controller.database().controllerAddress();
    long missing = (controllerAddress << 24) | 0xabcdefL;
    a.manager.join(missing);
    await("not found", () -> a.info(missing).status() == NetworkStatus.NOT_FOUND);
    assertThat(a.info(missing).reason()).contains("does not exist");

    long adhoc = NetworkId.parse("ff1f401f41000000"); // ports 8000..8001
    a.manager.join(adhoc);
    NetworkInfo i = a.info(adhoc);
    assertThat(i.status()).isEqualTo(NetworkStatus.OK);
    assertThat(i.name()).isEqualTo("adhoc-1f40-1f41");
    assertThat(i.isPrivate()).isFalse();
  }

  @Test
  void publicNetworkAuthorizesAutomatically() throws Exception {
    long nwid = db.createNetwork(e -> e.name("open").privateNetwork(false).v6Modes(true, true, false));
    Vl2Lab.Member a = lab.startMember("member1", "a");
    a.manager.join(nwid);
    await("ok", () -> a.info(nwid).status() == NetworkStatus.OK);
    NetworkInfo i = a.info(nwid);
    assertThat(i.isPrivate()).isFalse();
    assertThat(i.addresses()).extracting(IpPrefix::bits).containsExactlyInAnyOrder(88, 40);
    assertThat(db.member(nwid, a.address()).orElseThrow().get("lastAuthorizedCredentialType")).isEqualTo("public");
  }
}
