package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootCommandTest {

  @TempDir Path dir;

  @Test
  void aNodeComesOnlineThroughTheRootCommand() throws Exception {
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int port = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, port);
    Path idFile = dir.resolve("identity.secret");
    IdentityStore.writeSecretFile(idFile, rootId);
    Path planetFile = dir.resolve("planet");
    Files.write(planetFile, planet.serialize());

    RootCommand.resetStopSignal();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit =
        CompletableFuture.supplyAsync(
            () -> ZeroTierTool.execute(
                new PrintWriter(out, true), new PrintWriter(err, true), "root", "--identity", idFile.toString(),
                "--planet", planetFile.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--allow-loopback"));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!out.toString().contains("serving planet")) {
        assertThat(exit).as("root exited early: " + err).isNotDone();
        assertThat(System.nanoTime()).as("root did not start").isLessThan(deadline);
        Thread.sleep(20);
      }
      try (EventLoop loop = new EventLoop("member").start();
          Vl1Node member =
              new Vl1Node(
                  Vl1Config.of(
                      LoopbackPlanet.labIdentity("member1"), planet,
                      UnderlayConfig.bind(InetAddress.getLoopbackAddress(), 0))
                      .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)),
                  loop)) {
        member.startOnLoop().get(10, TimeUnit.SECONDS);
        while (!member.online()) {
          assertThat(System.nanoTime()).as("member did not come online").isLessThan(deadline);
          Thread.sleep(20);
        }
      }
      while (!out.toString().contains("peer " + LoopbackPlanet.labIdentity("member1").addressString())) {
        assertThat(System.nanoTime()).as("root did not report the peer").isLessThan(deadline);
        Thread.sleep(20);
      }
    } finally {
      RootCommand.stopRunning();
    }
    assertThat(exit.get(10, TimeUnit.SECONDS)).isZero();
  }

  @Test
  void missingOptionsAreUsageErrors() {
    StringWriter err = new StringWriter();
    assertThat(ZeroTierTool.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), "root", "--port", "1"))
        .isEqualTo(2);
    assertThat(err.toString()).contains("--identity");
  }

  @Test
  void unreadableFilesFailWithStatusOne() {
    StringWriter err = new StringWriter();
    int code =
        ZeroTierTool.execute(
            new PrintWriter(new StringWriter()), new PrintWriter(err), "root", "--identity",
            dir.resolve("nope").toString(), "--planet", dir.resolve("nope2").toString(), "--port", "9993");
    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("Error");
  }
}
