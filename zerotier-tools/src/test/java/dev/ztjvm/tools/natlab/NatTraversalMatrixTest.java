package dev.ztjvm.tools.natlab;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.testing.NeedsRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The NAT traversal matrix (issue #20): two of our nodes behind each pair of NAT types ({@link NatType}) in the
 * {@link NatLab}. For each pair, pair after pair: a TCP connection over ZeroTier in each direction (one try each:
 * traffic must flow in every case, relayed or not). Then, for all pairs at once, pings while both members' paths are
 * watched for an observation window: does a direct UDP path form between the two routers' public addresses (the
 * root's RENDEZVOUS and the members' PUSH_DIRECT_PATHS), after how long, or does traffic stay relayed (through the
 * root, or for a member behind the UDP-dropping firewall through the TCP relay). Asserts what ZeroTier One's
 * documentation promises (full-cone pairs go direct, symmetric↔symmetric stays relayed), that a blocked member fell
 * back to the TCP relay, and that traffic still flows after the window. The measured matrix is printed and written
 * to {@code target/nat-traversal-matrix.md}; docs/troubleshooting.md quotes a run.
 */
@NeedsRoot("network namespaces behind nftables NATs")
@Timeout(value = 20, unit = TimeUnit.MINUTES) // a hang guard for the class, not a speed assertion
class NatTraversalMatrixTest {

  /** How long each pair is watched for a direct path (ZeroTier One's path setup takes a few seconds). */
  private static final Duration WINDOW = Duration.ofSeconds(60);

  @TempDir static Path dir;

  private static NatLab lab;
  private static final Map<NatType, List<LabMember>> MEMBERS = new EnumMap<>(NatType.class);

  @BeforeAll
  static void startLab() throws Exception {
    lab = NatLab.start(dir);
    for (NatType t : NatType.values()) {
      MEMBERS.put(t, List.of(lab.addMember(t), lab.addMember(t)));
    }
    for (List<LabMember> ms : MEMBERS.values()) {
      for (LabMember m : ms) {
        m.awaitReady(Duration.ofMinutes(6));
      }
    }
  }

  @AfterAll
  static void stopLab() {
    if (lab != null) {
      lab.close();
    }
  }

  @Test
  void everyPairExchangesTrafficAndGoesDirectWhereTheNatsAllowIt() throws Exception {
    NatType[] types = NatType.values();
    List<Future<PairResult>> futures = new ArrayList<>();
    ExecutorService pool = Executors.newCachedThreadPool();
    try {
      // first connects one pair at a time (so each figure is one node's first contact, not five at once on a busy
      // machine), then all observation windows at once
      for (int i = 0; i < types.length; i++) {
        for (int j = i; j < types.length; j++) {
          LabMember a = MEMBERS.get(types[i]).get(0);
          LabMember b = MEMBERS.get(types[j]).get(i == j ? 1 : 0);
          long start = System.nanoTime();
          List<String> connects = List.of(a.call("CONNECT", b.ip()), b.call("CONNECT", a.ip()));
          futures.add(pool.submit(() -> watch(a, b, start, connects)));
        }
      }
      List<PairResult> results = new ArrayList<>();
      for (Future<PairResult> f : futures) {
        results.add(f.get(10, TimeUnit.MINUTES));
      }
      String matrix = PairResult.markdown(results);
      System.out.println("[nat lab]\n" + matrix);
      Files.writeString(Path.of("target", "nat-traversal-matrix.md"), matrix);

      for (PairResult r : results) {
        assertThat(r.connects()).as("traffic flows both ways, first try: %s", r)
            .allMatch(c -> c.startsWith("ok"));
        assertThat(r.finalConnect()).as("traffic still flows after the window: %s", r).startsWith("ok");
        if (r.a() == NatType.FULL_CONE && r.b() == NatType.FULL_CONE) {
          assertThat(r.outcome()).as("full-cone pairs go direct: %s", r).isEqualTo(PairResult.Outcome.DIRECT);
        }
        if (r.a() == NatType.SYMMETRIC && r.b() == NatType.SYMMETRIC) {
          assertThat(r.outcome()).as("symmetric<->symmetric stays relayed: %s", r)
              .isEqualTo(PairResult.Outcome.ROOT_RELAY);
        }
        if (r.a() == NatType.UDP_BLOCKED || r.b() == NatType.UDP_BLOCKED) {
          assertThat(r.outcome()).as("a member without UDP uses the TCP relay: %s", r)
              .isEqualTo(PairResult.Outcome.TCP_RELAY);
        }
      }
      assertThat(lab.relay().datagramsForwarded()).isPositive();
    } finally {
      pool.shutdownNow();
    }
  }

  /** Pings a→b and watches both members' paths until both see a direct path or the window ends. */
  private static PairResult watch(LabMember a, LabMember b, long start, List<String> connects) throws Exception {
    String bIp = b.ip();
    long deadline = start + WINDOW.toNanos();
    String aPaths = "";
    String bPaths = "";
    double directAfter = -1;
    while (System.nanoTime() < deadline) {
      a.call("PING", bIp); // traffic through the root is what triggers its RENDEZVOUS
      aPaths = a.call("PATHS", b.nodeId());
      bPaths = b.call("PATHS", a.nodeId());
      if (PairResult.directUdp(aPaths) && PairResult.directUdp(bPaths)) {
        directAfter = (System.nanoTime() - start) / 1e9;
        break;
      }
      Thread.sleep(500);
    }
    String finalConnect = a.call("CONNECT", bIp);
    return new PairResult(a.nat(), b.nat(), connects, finalConnect, aPaths, bPaths, directAfter);
  }
}
