package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code controller ...} and {@code node ...}: offline edits, and a running controller + node on loopback. */
class ControllerAndNodeCommandTest extends ToolCommandTest {

  private static final Path IDS = Path.of(System.getProperty("zt.shared.dir", "../shared"))
      .resolve("zt-captures/identities");

  @TempDir Path dir;

  private static int freePort() throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      return s.getLocalPort();
    }
  }

  @Test
  void networkCreateAndMemberAuthorizeEditTheDataDirectory() throws Exception {
    Path data = dir.resolve("controller.d");
    Path secret = IDS.resolve("controller/identity.secret");
    assertThat(run("controller", "network", "create", data.toString(), "--identity", secret.toString(),
        "--name", "cli-net", "--private", "--pool", "10.1.2.10-10.1.2.20", "--route", "10.1.2.0/24")).as(err)
        .isEqualTo(0);
    String nwid = out.strip();
    assertThat(nwid).matches("ea7ca3b1d7[0-9a-f]{6}");
    String json = Files.readString(data.resolve("network").resolve(nwid + ".json"));
    assertThat(json).contains("\"name\":\"cli-net\"").contains("\"private\":true")
        .contains("{\"ipRangeEnd\":\"10.1.2.20\",\"ipRangeStart\":\"10.1.2.10\"}")
        .contains("{\"target\":\"10.1.2.0/24\",\"via\":null}").contains("\"v4AssignMode\":{\"zt\":true}");

    assertThat(run("controller", "member", "authorize", data.toString(), nwid, "c28cfc86ce", "--ip", "10.1.2.11"))
        .as(err).isEqualTo(0);
    String member = Files.readString(data.resolve("network").resolve(nwid).resolve("member/c28cfc86ce.json"));
    assertThat(member).contains("\"authorized\":true").contains("\"ipAssignments\":[\"10.1.2.11\"]")
        .contains("\"lastAuthorizedCredentialType\":\"api\"");

    assertThat(run("controller", "member", "authorize", data.toString(), "ea7ca3b1d7000999", "c28cfc86ce"))
        .isEqualTo(1);
    assertThat(err).contains("no network ea7ca3b1d7000999");
    assertThat(run("controller", "network", "create", data.toString(), "--identity", secret.toString(), "--private",
        "--public")).isEqualTo(2);
    assertThat(run("controller", "--port", "1")).isEqualTo(2);
  }

  @Test
  void runningControllerNoticesCliEditsAndTheNodePrintsItsEvents() throws Exception {
    // a root on loopback and a planet file naming it
    Identity rootId = Identity.parse(Files.readString(IDS.resolve("root/identity.secret")));
    int rootPort = freePort();
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World planet = World.sign(World.Type.PLANET, 0x7a744c4142990002L, System.currentTimeMillis(), key.publicKey(),
        List.of(new World.Root(rootId.publicOnly(),
            List.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), rootPort)))), key);
    Path planetFile = dir.resolve("planet");
    Files.write(planetFile, planet.serialize());
    Path data = dir.resolve("controller.d");
    Path home = dir.resolve("home");
    new IdentityStore(home).save(Identity.parse(Files.readString(IDS.resolve("member1/identity.secret"))));
    Path ctlSecret = IDS.resolve("controller/identity.secret");

    try (EventLoop rootLoop = new EventLoop("root").start()) {
      Vl1Node root = new Vl1Node(Vl1Config.of(rootId, planet,
          UnderlayConfig.bind(InetAddress.getLoopbackAddress(), rootPort)).withRoot(true)
          .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)).withNewIdentityInterval(Duration.ZERO),
          rootLoop);
      root.startOnLoop().get(10, TimeUnit.SECONDS);

      assertThat(run("controller", "network", "create", data.toString(), "--identity", ctlSecret.toString(),
          "--name", "running", "--route", "10.3.0.0/16")).isEqualTo(0);
      String nwid = out.strip();

      StringWriter ctlOut = new StringWriter();
      Thread ctl = new Thread(() -> ZeroTierTool.execute(new PrintWriter(ctlOut), new PrintWriter(new StringWriter()),
          "controller", "--identity", ctlSecret.toString(), "--planet", planetFile.toString(), "--port",
          String.valueOf(freePortUnchecked()), "--data", data.toString(), "--allow-loopback"));
      StringWriter nodeOut = new StringWriter();
      Thread node = new Thread(() -> ZeroTierTool.execute(new PrintWriter(nodeOut), new PrintWriter(new StringWriter()),
          "node", "--storage", home.toString(), "--planet", planetFile.toString(), "--port", "0", "--join", nwid,
          "--allow-loopback"));
      ctl.start();
      node.start();
      try {
        awaitContains(ctlOut, "\"event\":\"started\",\"address\":\"ea7ca3b1d7\"");
        awaitContains(nodeOut, "\"status\":\"ACCESS_DENIED\"");
        assertThat(nodeOut.toString()).contains("authorize node c28cfc86ce on network " + nwid);
        // a second process-like edit of the data directory while the controller runs on it
        assertThat(run("controller", "member", "authorize", data.toString(), nwid, "c28cfc86ce", "--ip",
            "10.3.4.5")).isEqualTo(0);
        awaitContains(nodeOut, "\"status\":\"OK\"");
        awaitContains(nodeOut, "\"addresses\":[\"10.3.4.5/16\"]");
        assertThat(nodeOut.toString()).contains("\"event\":\"started\",\"address\":\"c28cfc86ce\"")
            .contains("\"event\":\"online\",\"online\":true").contains("\"name\":\"running\"");
        for (String line : nodeOut.toString().split("\n")) {
          assertThat(line).startsWith("{").endsWith("}");
        }
        assertThat(home.resolve("networks.d").resolve(nwid + ".conf")).exists();
      } finally {
        ctl.interrupt();
        node.interrupt();
        ctl.join(10_000);
        node.join(10_000);
        root.close();
      }
    }
  }

  private static int freePortUnchecked() {
    try {
      return freePort();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitContains(StringWriter w, String s) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // only so a broken run fails rather than hangs
    while (!w.toString().contains(s)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("no '" + s + "' in output:\n" + w);
      }
      Thread.sleep(50);
    }
  }
}
