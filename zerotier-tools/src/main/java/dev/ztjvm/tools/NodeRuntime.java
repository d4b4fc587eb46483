package dev.ztjvm.tools;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Config;
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
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** Shared bits of the long-running commands: start a node on a planet and wait until stopped. */
final class NodeRuntime {
  private NodeRuntime() {}

  static World readPlanet(Path file) throws IOException {
    try {
      return World.parse(Files.readAllBytes(file));
    } catch (IllegalArgumentException e) {
      throw new IOException("invalid planet file " + file + ": " + e.getMessage(), e);
    }
  }

  static Vl1Node start(Identity id, World planet, int port, boolean allowLoopback, EventLoop loop) throws Exception {
    UnderlayConfig underlay = allowLoopback
        ? UnderlayConfig.bind(InetAddress.getLoopbackAddress(), port)
        : UnderlayConfig.bind(InetAddress.getByName("0.0.0.0"), port);
    Vl1Config config = Vl1Config.of(id, planet, underlay)
        .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(allowLoopback));
    Vl1Node node = new Vl1Node(config, loop);
    node.startOnLoop().get(10, TimeUnit.SECONDS);
    return node;
  }

  /**
   * Exit status of a server command whose event loop died (out of memory, stack overflow): EX_SOFTWARE of
   * sysexits.h, so that a supervisor restarts it and the cause is in its log (docs/reliability.md).
   */
  static final int EXIT_LOOP_FAILED = 70;

  /** Loops of the server commands running in this JVM (tests make one fail to check the exit status). */
  static final Set<EventLoop> RUNNING = ConcurrentHashMap.newKeySet();

  /** Blocks until the JVM shuts down or the thread is interrupted. */
  static void awaitStop() {
    awaitStop((EventLoop) null, null);
  }

  /**
   * Blocks until the JVM shuts down, the thread is interrupted, or {@code loop} dies of a fatal error.
   *
   * @return 0 when stopped, {@link #EXIT_LOOP_FAILED} (after printing the cause to {@code err}) when the loop died
   */
  static int awaitStop(@Nullable EventLoop loop, @Nullable PrintWriter err) {
    CountDownLatch latch = new CountDownLatch(1);
    Thread hook = new Thread(latch::countDown, "zerotier-tools-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    if (loop != null) {
      loop.failureFuture().thenRun(latch::countDown);
      RUNNING.add(loop);
    }
    try {
      latch.await();
      return loop == null || err == null ? 0 : loopFailed(loop, err);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    } finally {
      if (loop != null) {
        RUNNING.remove(loop);
      }
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down
      }
    }
  }

  /** SDK nodes of the server commands running in this JVM (tests make one's loop fail to check the exit status). */
  static final Set<Object> RUNNING_NODES = ConcurrentHashMap.newKeySet();

  /**
   * Blocks until the JVM shuts down, the thread is interrupted, or {@code failure} completes (an SDK node's {@code
   * NodeFailed} event, with its reason).
   *
   * @return 0 when stopped, {@link #EXIT_LOOP_FAILED} (after printing the reason to {@code err}) when the node failed
   */
  static int awaitStop(CompletableFuture<String> failure, PrintWriter err) {
    CountDownLatch latch = new CountDownLatch(1);
    Thread hook = new Thread(latch::countDown, "zerotier-tools-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    failure.thenRun(latch::countDown);
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException e) {
        // shutting down
      }
    }
    String reason = failure.getNow(null);
    return reason == null ? 0 : loopFailed(reason, err);
  }

  /** {@link #EXIT_LOOP_FAILED} with the cause printed if {@code loop} died, else 0. */
  static int loopFailed(EventLoop loop, PrintWriter err) {
    Throwable cause = loop.failure();
    return cause == null ? 0 : loopFailed(String.valueOf(cause), err);
  }

  private static int loopFailed(String cause, PrintWriter err) {
    err.println("Error: the event loop failed (" + cause + "); the server stopped serving and exits with status "
        + EXIT_LOOP_FAILED);
    err.flush();
    return EXIT_LOOP_FAILED;
  }

  /** A JSON string literal. */
  static String q(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
