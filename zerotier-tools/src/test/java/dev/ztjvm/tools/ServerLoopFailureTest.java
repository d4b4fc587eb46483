package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16 point 2, the CLI side of the event loop failure policy: when a server command's event loop dies of a fatal
 * error (a real stack overflow on the loop here), {@code root}, {@code controller}, {@code node} and {@code relay}
 * stop, say why on stderr and exit with status 70 instead of staying up serving nothing.
 */
class ServerLoopFailureTest {

  @TempDir Path dir;

  @Test
  void rootExits70WhenItsLoopDies() throws Exception {
    Path idFile = dir.resolve("identity.secret");
    int port = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(LoopbackPlanet.labIdentity("root"), port);
    IdentityStore.writeSecretFile(idFile, LoopbackPlanet.labIdentity("root"));
    Path planetFile = dir.resolve("planet");
    Files.write(planetFile, planet.serialize());
    RootCommand.resetStopSignal();
    try {
      assertExitsOnLoopFailure("serving planet", "root", "--identity", idFile.toString(), "--planet",
          planetFile.toString(), "--port", Integer.toString(port), "--bind", "127.0.0.1", "--allow-loopback");
    } finally {
      RootCommand.resetStopSignal();
    }
  }

  @Test
  void nodeExits70WhenItsLoopDies() throws Exception {
    int port = LoopbackPlanet.freeUdpPort();
    Path planetFile = dir.resolve("planet");
    Files.write(planetFile, LoopbackPlanet.withRoot(LoopbackPlanet.labIdentity("root"), port).serialize());
    assertExitsOnLoopFailure("\"event\":\"started\"", "node", "--storage", dir.resolve("node").toString(),
        "--planet", planetFile.toString(), "--port", "0", "--allow-loopback");
  }

  @Test
  void controllerExits70WhenItsLoopDies() throws Exception {
    int port = LoopbackPlanet.freeUdpPort();
    Path planetFile = dir.resolve("planet");
    Files.write(planetFile, LoopbackPlanet.withRoot(LoopbackPlanet.labIdentity("root"), port).serialize());
    Path idFile = dir.resolve("controller.secret");
    IdentityStore.writeSecretFile(idFile, LoopbackPlanet.labIdentity("controller"));
    assertExitsOnLoopFailure("\"event\":\"started\"", "controller", "--identity", idFile.toString(), "--planet",
        planetFile.toString(), "--data", dir.resolve("controller.d").toString(), "--port", "0", "--allow-loopback");
  }

  @Test
  void relayExits70WhenItsLoopDies() throws Exception {
    RelayCommand.resetStopSignal();
    try {
      assertExitsOnLoopFailure("relay listening", "relay", "--port", "0", "--bind", "127.0.0.1", "--udp-bind",
          "127.0.0.1", "--stats-interval", "0");
    } finally {
      RelayCommand.resetStopSignal();
    }
  }

  private static void assertExitsOnLoopFailure(String startedText, String... args) throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
        () -> ZeroTierTool.execute(new PrintWriter(out, true), new PrintWriter(err, true), args));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!out.toString().contains(startedText)
        || NodeRuntime.RUNNING.isEmpty() && NodeRuntime.RUNNING_NODES.isEmpty()) {
      assertThat(exit).as(() -> args[0] + " exited early: " + out + err).isNotDone();
      assertThat(System.nanoTime()).as(() -> args[0] + " did not start: " + out + err).isLessThan(deadline);
      Thread.sleep(20);
    }
    List<EventLoop> loops = new ArrayList<>(NodeRuntime.RUNNING);
    for (Object node : NodeRuntime.RUNNING_NODES) {
      // the SDK node keeps its loop to itself; the test reaches it the way the SDK's own tests do
      Method eventLoop = ZeroTierNode.class.getDeclaredMethod("eventLoop");
      eventLoop.setAccessible(true);
      loops.add((EventLoop) eventLoop.invoke(node));
    }
    for (EventLoop loop : loops) {
      loop.execute(ServerLoopFailureTest::recurseForever);
    }
    assertThat(exit.get(30, TimeUnit.SECONDS)).as(() -> "exit status; stderr: " + err).isEqualTo(70);
    assertThat(err.toString()).contains("event loop failed").contains("StackOverflowError");
  }

  static int recurseForever() {
    return recurseForever() + 1;
  }
}
