package dev.ztjvm.docs;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.NetworkId;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/** The plain Java code shown in {@code docs/getting-started.md}. */
final class GettingStartedSnippets {

  private GettingStartedSnippets() {}

  // region plain-java
  public static void main(String[] args) throws Exception {
    long networkId = NetworkId.parse(args[0]);                  // 16 hex digits, e.g. 8056c2e21c000001
    try (ZeroTierNode node = ZeroTierNode.builder()
        .storage(Path.of("zt-home"))                            // identity (node ID) kept across runs
        .build()) {
      node.start();
      System.out.println("node " + node.nodeIdString() + ": authorize me on " + args[0]);
      NetworkDetails net = node.awaitNetworkReady(networkId, Duration.ofMinutes(5)); // joins, waits for an address
      System.out.println("listening on " + net.ipv4().orElseThrow().getHostAddress() + ":7777");
      try (ServerSocket server = node.newServerSocket(7777)) {  // a java.net.ServerSocket on the ZeroTier address
        while (true) {
          try (Socket client = server.accept();
               BufferedReader in = new BufferedReader(
                   new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
               PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
            out.println("echo: " + in.readLine());
          }
        }
      }
    }
  }
  // endregion

  static void offline() throws IOException, InterruptedException, TimeoutException {
    // region offline
    try (LocalZeroTier zt = LocalZeroTier.start();            // root + controller in this JVM, on loopback
         ZeroTierNode a = zt.nodeBuilder().build();
         ZeroTierNode b = zt.nodeBuilder().build()) {
      long nwid = zt.createPrivateNetwork("lab", "10.147.17.0/24", "10.147.17.10", "10.147.17.250", false);
      a.start();
      b.start();
      zt.authorize(nwid, a.nodeId());
      zt.authorize(nwid, b.nodeId());
      NetworkDetails netA = a.awaitNetworkReady(nwid, Duration.ofSeconds(30));
      b.awaitNetworkReady(nwid, Duration.ofSeconds(30));
      try (ServerSocket server = a.newServerSocket(7777);
           Socket toA = b.socketFactory().createSocket(netA.ipv4().orElseThrow(), 7777);
           Socket atA = server.accept()) {
        toA.getOutputStream().write("hello over ZeroTier\n".getBytes(StandardCharsets.UTF_8));
        System.out.println(new BufferedReader(new InputStreamReader(atA.getInputStream())).readLine());
      }
    }
    // endregion
  }
}
