package dev.ztjvm.docs;

// The echo server shown in docs/getting-started.md, imports included (compiled; GettingStartedSnippetsTest runs the
// offline variant, OfflineLab).
// region plain-java
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.NetworkId;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

public class Echo {

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
}
// endregion
