package dev.ztjvm.tools;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

  /** Blocks until the JVM shuts down or the thread is interrupted. */
  static void awaitStop() {
    CountDownLatch latch = new CountDownLatch(1);
    Thread hook = new Thread(latch::countDown, "zerotier-tools-stop");
    Runtime.getRuntime().addShutdownHook(hook);
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
