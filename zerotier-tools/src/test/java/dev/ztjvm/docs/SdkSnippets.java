package dev.ztjvm.docs;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

/** The Java code shown in {@code docs/sdk.md}. */
final class SdkSnippets {

  private SdkSnippets() {}

  static void quickStart() throws IOException, InterruptedException, TimeoutException {
    // region quick-start
    ZeroTierNode node = ZeroTierNode.builder()
        .storage(Path.of("zt-home"))          // identity.secret/public, planet, moons.d, networks.d
        .listener(event -> System.out.println(event))
        .build();
    node.start();
    node.awaitOnline(Duration.ofSeconds(30));                       // tsnet's Up()
    NetworkDetails net = node.awaitNetworkReady(0x8056c2e21c000001L, Duration.ofSeconds(60)); // joins, waits
    InetAddress me = net.ipv4().orElseThrow();

    try (ServerSocket server = node.newServerSocket(8080);         // a real java.net.ServerSocket
         Socket client = server.accept()) {
      client.getOutputStream().write(("hello from " + me.getHostAddress() + "\n").getBytes());
    }
    try (Socket s = node.socketFactory().createSocket("10.147.17.5", 8080);
         InputStream in = s.getInputStream()) {
      System.out.println(new String(in.readAllBytes()));
    }
    Duration rtt = node.ping(InetAddress.getByName("10.147.17.5"), Duration.ofSeconds(2));
    List<InetAddress> db = node.resolve("db.example.lan", Duration.ofSeconds(2)); // controller-pushed DNS
    node.close();                                                    // restartable: node.start() again
    // endregion
    System.out.println(rtt + " " + db);
  }

  static void local() throws IOException, InterruptedException, TimeoutException {
    // region local-zerotier
    try (LocalZeroTier zt = LocalZeroTier.start()) {          // or start(Path) to keep state
      long nwid = zt.createPrivateNetwork("lab", "10.147.17.0/24", "10.147.17.10", "10.147.17.250", true);
      ZeroTierNode a = zt.nodeBuilder().build().start();      // local planet, loopback UDP, loopback paths allowed
      a.join(nwid);
      zt.authorize(nwid, a.nodeId());
      a.awaitNetworkReady(nwid, Duration.ofSeconds(10));
    }
    // endregion
  }
}
