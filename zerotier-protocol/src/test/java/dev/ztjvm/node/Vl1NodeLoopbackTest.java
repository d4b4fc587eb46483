package dev.ztjvm.node;

import static dev.ztjvm.node.NodeHarness.await;
import static dev.ztjvm.node.NodeHarness.on;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A Java root and two Java nodes on a private planet over loopback UDP, all in this JVM. */
class Vl1NodeLoopbackTest {

  private final NodeHarness harness = new NodeHarness();

  @AfterEach
  void closeAll() throws Exception {
    harness.close();
  }

  private Vl1Node start(Vl1Config config, String name) throws Exception {
    return harness.start(config, name);
  }

  @Test
  void nodesComeOnlineFindEachOtherAndGoDirect() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);

    Vl1Node root = start(NodeHarness.rootConfig(rootId, planet, lo, rootPort), "root");
    Vl1Node a = start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member1"), planet, lo), "a");
    Vl1Node b = start(NodeHarness.leafConfig(LoopbackPlanet.labIdentity("member2"), planet, lo), "b");
    BlockingQueue<String> messagesAtB = new LinkedBlockingQueue<>();
    b.addListener(
        new Vl1Listener() {
          @Override
          public void onUserMessage(long source, long typeId, byte[] payload) {
            messagesAtB.add(Long.toHexString(source) + "/" + typeId + "/" + new String(payload,
                StandardCharsets.UTF_8));
          }
        });

    await("a online", a::online);
    await("b online", b::online);
    await("root knows a and b", () -> on(root, () -> root.peer(a.address()) != null && root.peer(b.address()) != null));

    // A does not know B yet: the first ECHO waits for WHOIS, then goes through the root.
    assertThat(on(a, () -> a.peer(b.address()))).isNull();
    long relayedBefore = root.counters().relayed();
    CompletableFuture<Long> firstRtt = new CompletableFuture<>();
    assertThat(on(a, () -> a.echo(b.address(), firstRtt::complete))).isTrue();
    try {
      assertThat(firstRtt.get(10, TimeUnit.SECONDS)).isPositive();
    } catch (java.util.concurrent.TimeoutException e) {
      for (Vl1Node n : List.of(root, a, b)) {
        System.err.println(Long.toHexString(n.address()) + " drops=" + n.counters().drops() + " peers=" + on(n,
            n::peers));
        for (Verb v : Verb.values()) {
          if (n.counters().packetsIn(v) + n.counters().packetsOut(v) > 0) {
            System.err.println("   " + v + " in=" + n.counters().packetsIn(v) + " out=" + n.counters().packetsOut(v));
          }
        }
      }
      throw e;
    }
    assertThat(root.counters().relayed()).isGreaterThan(relayedBefore);
    assertThat(a.counters().packetsOut(Verb.WHOIS)).isPositive();
    assertThat(root.counters().packetsOut(Verb.RENDEZVOUS)).isGreaterThanOrEqualTo(2);

    // RENDEZVOUS leads both sides to a direct path.
    await("a has a direct path to b", () -> on(a, () -> a.peer(b.address()).direct()));
    await("b has a direct path to a", () -> on(b, () -> b.peer(a.address()).direct()));

    long relayedAfterDirect = root.counters().relayed();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<Long> rtt = new CompletableFuture<>();
      on(a, () -> a.echo(b.address(), rtt::complete));
      assertThat(rtt.get(10, TimeUnit.SECONDS)).isPositive();
    }
    assertThat(root.counters().relayed()).isEqualTo(relayedAfterDirect);
    PeerInfo bAtA = on(a, () -> a.peer(b.address()));
    assertThat(bAtA.paths()).isNotEmpty();
    assertThat(bAtA.paths().get(0).remote().getPort()).isEqualTo(b.underlay().primaryPort());
    assertThat(bAtA.paths().get(0).latencyMillis()).isGreaterThanOrEqualTo(0);
    assertThat(bAtA.protocolVersion()).isEqualTo(12);
    assertThat(bAtA.version()).isEqualTo("1.14.1");

    // Root latency is known too, and the root is listed with its role.
    PeerInfo rootAtA = on(a, () -> a.peer(root.address()));
    assertThat(rootAtA.role()).isEqualTo(PeerInfo.Role.PLANET);
    assertThat(rootAtA.latencyMillis()).isGreaterThanOrEqualTo(0);

    // User messages go both ways over the direct path.
    on(a, () -> a.sendUserMessage(b.address(), 0x1234_5678_9abcL, "hello b".getBytes(StandardCharsets.UTF_8)));
    assertThat(messagesAtB.poll(10, TimeUnit.SECONDS))
        .isEqualTo(Long.toHexString(a.address()) + "/" + 0x1234_5678_9abcL + "/hello b");

    // Nothing was dropped as malformed or unauthenticated along the way.
    for (Vl1Node n : List.of(root, a, b)) {
      assertThat(n.counters().drops(Vl1Counters.Drop.MAC_FAILED)).isZero();
      assertThat(n.counters().drops(Vl1Counters.Drop.MALFORMED)).isZero();
    }
  }

  @Test
  void stockPolicyRefusesLoopbackPathsSoNothingComesOnline() throws Exception {
    InetAddress lo = InetAddress.getLoopbackAddress();
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    Vl1Node root =
        start(Vl1Config.of(rootId, planet, UnderlayConfig.bind(lo, rootPort)).withRoot(true), "root2");
    Vl1Node a = start(Vl1Config.of(LoopbackPlanet.labIdentity("member1"), planet, UnderlayConfig.bind(lo, 0)), "a2");
    Thread.sleep(1500);
    assertThat(a.online()).isFalse();
    assertThat(on(a, () -> a.peer(root.address()).paths())).isEmpty();
  }
}
