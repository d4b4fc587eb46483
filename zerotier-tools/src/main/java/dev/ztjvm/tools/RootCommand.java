package dev.ztjvm.tools;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.network.RootMulticastService;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Listener;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code root}: runs this JVM as a root server of a private planet (answers WHOIS, relays, sends RENDEZVOUS, answers
 * MULTICAST_GATHER) until stopped with Ctrl-C. The identity must be one of the planet's roots. Exits 0 when stopped,
 * 70 if its event loop dies (docs/reliability.md).
 */
@Command(name = "root", mixinStandardHelpOptions = true, description = "Run a root server of a private planet until stopped.")
public final class RootCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--identity", required = true, paramLabel = "<secret-file>", description = "identity.secret of the root") Path identityFile;

  @Option(names = "--planet", required = true, paramLabel = "<file>", description = "the planet file") Path planetFile;

  @Option(names = "--port", required = true, paramLabel = "<udp-port>", description = "UDP port to listen on") int port;

  @Option(names = "--bind", paramLabel = "<ip>", description = "local address to bind (default: all)") String bind;

  @Option(names = "--allow-loopback", description = "accept 127.0.0.1 / ::1 as physical paths (local tests)") boolean allowLoopback;

  /** Counted down to stop a running root (tests); Ctrl-C works through the shutdown hook. */
  static volatile CountDownLatch stopSignal = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 1 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 1..65535, got " + port);
    }
    Identity identity;
    World planet;
    try {
      identity = IdentityStore.readSecretFile(identityFile);
      planet = World.parse(Files.readAllBytes(planetFile));
    } catch (IOException | IllegalArgumentException e) {
      err.println("Error: " + e.getMessage());
      err.flush();
      return 1;
    }
    if (!planet.verifySelfSigned()) {
      err.println("Error: planet " + planetFile + " is not signed by its own update key");
      err.flush();
      return 1;
    }
    boolean listed = planet.roots().stream().anyMatch(r -> r.identity().address() == identity.address());
    if (!listed) {
      err.println("Warning: " + identity.addressString() + " is not a root of this planet; nodes will not use it");
    }
    UnderlayConfig underlay =
        bind == null
            ? new UnderlayConfig(port, 20000, 65535, false, List.of(), true, true)
            : UnderlayConfig.bind(InetAddress.getByName(bind), port);
    Vl1Config config =
        Vl1Config.of(identity, planet, underlay)
            .withRoot(true)
            .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(allowLoopback));
    CountDownLatch stop = stopSignal;
    Thread hook = new Thread(stop::countDown, "zerotier-root-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (EventLoop loop = new EventLoop("zerotier-root-" + identity.addressString()).start();
        Vl1Node node = new Vl1Node(config, loop)) {
      node.addListener(
          new Vl1Listener() {
            @Override
            public void onPeerAdded(long peer) {
              out.println("peer " + String.format("%010x", peer));
              out.flush();
            }
          });
      try {
        node.startOnLoop().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        err.println("Error: cannot start: " + e.getCause().getMessage());
        err.flush();
        return 1;
      }
      // Roots answer MULTICAST_GATHER from the members' MULTICAST_LIKEs, as ZeroTier One's roots do.
      RootMulticastService.install(node);
      out.println(
          "root " + identity.addressString() + " serving planet " + Long.toUnsignedString(planet.id())
              + " on UDP port " + port);
      out.flush();
      loop.failureFuture().thenRun(stop::countDown);
      NodeRuntime.RUNNING.add(loop);
      try {
        stop.await();
      } finally {
        NodeRuntime.RUNNING.remove(loop);
      }
      int status = NodeRuntime.loopFailed(loop, err);
      out.println("stopping");
      out.flush();
      return status;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // JVM exiting: hook already running
      }
    }
  }

  /** Stops a root started in this JVM (tests). */
  static void stopRunning() {
    stopSignal.countDown();
  }

  static void resetStopSignal() {
    stopSignal = new CountDownLatch(1);
  }
}
