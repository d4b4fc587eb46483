package dev.ztjvm.docs;

// The offline example shown in docs/getting-started.md, imports included; GettingStartedSnippetsTest runs it.
// region offline
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

public class OfflineLab {

  public static void main(String[] args) throws Exception {
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
  }
}
// endregion
