package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the code the docs show: the self-hosting snippets (planet, root, controller, members), the architecture
 * wiring (VirtualTap to netstack), moving TCP bytes between two members over a
 * self-hosted network on loopback; and the troubleshooting claim that loopback roots are refused by default.
 */
class SelfHostedEndToEndTest {

  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      try {
        closeables.get(i).close();
      } catch (Exception e) {
        // keep closing the rest
      }
    }
  }

  private void closeNode(Vl1Node node) {
    closeables.add(node.loop());
    closeables.add(node);
  }

  @Test
  void tcpBetweenTwoMembersOfASelfHostedNetwork(@TempDir Path dir) throws Exception {
    int rootPort = LoopbackPlanet.freeUdpPort();
    SelfHostingSnippets.Planet p = SelfHostingSnippets.planet(rootPort);
    Vl1Node root = SelfHostingSnippets.root(p.rootId(), p.planet(), rootPort);
    closeNode(root);
    SelfHostingSnippets.Controller ctl = SelfHostingSnippets.controller(p.planet(), dir.resolve("controller.d"));
    closeNode(ctl.node());
    closeables.add(ctl.controller());

    SelfHostingSnippets.Member a =
        SelfHostingSnippets.member(p.planet(), dir.resolve("a"), ctl.db(), ctl.nwid());
    closeNode(a.node());
    closeables.add(a.manager());
    SelfHostingSnippets.Member b =
        SelfHostingSnippets.member(p.planet(), dir.resolve("b"), ctl.db(), ctl.nwid());
    closeNode(b.node());
    closeables.add(b.manager());

    ArchitectureSnippets.Wired wa = ArchitectureSnippets.wire(a.node(), a.manager(), ctl.nwid());
    closeables.add(wa.host());
    ArchitectureSnippets.Wired wb = ArchitectureSnippets.wire(b.node(), b.manager(), ctl.nwid());
    closeables.add(wb.host());

    NetworkInfo infoA = SelfHostingSnippets.awaitOk(a.manager(), ctl.nwid());
    NetworkInfo infoB = SelfHostingSnippets.awaitOk(b.manager(), ctl.nwid());
    assertThat(infoA.name()).isEqualTo("lab");
    assertThat(infoA.addresses().get(0).toString()).startsWith("10.147.17.").endsWith("/24");
    InetAddress serverAddress = infoA.addresses().get(0).address();
    awaitAddress(wa, serverAddress);
    awaitAddress(wb, infoB.addresses().get(0).address());

    int port = 7000;
    ZeroTierServerSocket server = new ZeroTierServerSocket(wa.host(), port);
    closeables.add(server);
    CompletableFuture<OptionalLong> served = CompletableFuture.supplyAsync(() -> {
      try (ZeroTierSocket peer = server.accept()) {
        OptionalLong caller = peer.remoteNode();
        peer.getInputStream().transferTo(peer.getOutputStream());
        return caller;
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    try (Socket socket = new ZeroTierSocket(wb.host(), serverAddress, port)) {
      socket.getOutputStream().write("hello over ZeroTier".getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();
      assertThat(new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hello over ZeroTier");
    }
    assertThat(served.get(30, TimeUnit.SECONDS)).hasValue(b.node().address());
    assertThat(a.node().counters().pathsRefused()).isZero();
    assertThat(TroubleshootingSnippets.vl1Report(a.node())).contains("online=true");
  }

  private static void awaitAddress(ArchitectureSnippets.Wired w, InetAddress address) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
    while (!w.host().call(() -> w.nif().addresses().stream().anyMatch(x -> x.address().equals(address)))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("address " + address + " never reached the interface");
      }
      Thread.sleep(20);
    }
  }

  /** Troubleshooting "never online": with stock rules a planet whose roots are on 127.0.0.1 gets no HELLO at all. */
  @Test
  void loopbackRootIsNotContactedWithoutAllowLoopback() throws Exception {
    int rootPort = LoopbackPlanet.freeUdpPort();
    SelfHostingSnippets.Planet p = SelfHostingSnippets.planet(rootPort);
    Identity leaf = LoopbackPlanet.labIdentity("member1");

    Vl1Node stock = new Vl1Node(Vl1Config.of(leaf, p.planet(),
        UnderlayConfig.bind(InetAddress.getLoopbackAddress(), 0)), new EventLoop("stock").start());
    closeNode(stock);
    stock.startOnLoop().get(10, TimeUnit.SECONDS); // start() runs the first upstream duty before returning
    String report = stock.loop().call(() -> TroubleshootingSnippets.vl1Report(stock), java.time.Duration.ofSeconds(5));
    assertThat(report).contains("online=false", "datagramsOut=0");

    Vl1Node allowed = new Vl1Node(Vl1Config.of(leaf, p.planet(),
            UnderlayConfig.bind(InetAddress.getLoopbackAddress(), 0))
        .withPathPolicy(PhysicalPathPolicy.DEFAULT.withAllowLoopback(true)), new EventLoop("allowed").start());
    closeNode(allowed);
    allowed.startOnLoop().get(10, TimeUnit.SECONDS);
    assertThat(allowed.counters().datagramsOut()).isPositive(); // the HELLO to the (absent) root left
  }
}
