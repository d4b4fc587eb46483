package dev.ztjvm.docs;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;

/**
 * The Java code shown in {@code docs/migrating-from-libzt.md}: libzt's Java example (node, server, client) with our
 * classes. {@code MigrationSnippetsTest} runs it against a {@code LocalZeroTier}.
 */
final class MigrationSnippets {

  private MigrationSnippets() {}

  static ZeroTierNode start(Path home, Path planetFile, long nwid) throws Exception {
    // region node
    ZeroTierNode node = ZeroTierNode.builder()       // ZeroTierNode node = new ZeroTierNode();
        .storage(home)                                // node.initFromStorage(home)
        .planetFile(planetFile)                       // zts_init_set_roots (not in libzt's Java binding)
        .bindAddress(InetAddress.getLoopbackAddress()) // these two lines only because this planet's
        .allowLoopbackPaths(true)                     // root is on 127.0.0.1 (a lab on one machine)
        .listener(event -> {                          // node.initSetEventHandler(listener)
          if (event instanceof ZeroTierEvent.NetworkAccessDenied denied) {
            System.err.println(denied.network().reason()); // full payload, not just (id, code)
          }
        })
        .build()
        .start();                                     // node.start(); while (!node.isOnline()) sleep
    node.join(nwid);                                  // node.join(nwid)
    NetworkDetails net = node.awaitNetworkReady(nwid, Duration.ofSeconds(60)); // isNetworkTransportReady loop
    InetAddress ip4 = net.ipv4().orElseThrow();       // node.getIPv4Address(nwid)
    // endregion
    if (!node.isOnline() || !ip4.equals(node.network(nwid).ipv4().orElseThrow())) {
      throw new AssertionError("node not ready");
    }
    return node;
  }

  /** Accepts one connection on {@code server} and echoes it; returns the caller's ZeroTier address. */
  static OptionalLong serveOne(ZeroTierNode node, int port) throws IOException {
    // region server
    try (ZeroTierServerSocket server = node.newServerSocket(port); // new ZeroTierServerSocket(port)
        ZeroTierSocket peer = server.accept()) {                   // a java.net.Socket
      OptionalLong caller = peer.remoteNode();                     // the caller's 40-bit ZeroTier address
      InputStream in = peer.getInputStream();
      OutputStream out = peer.getOutputStream();
      in.transferTo(out);                                          // echo until the client shuts its output
      return caller;
    }
    // endregion
  }

  static String exchange(ZeroTierNode node, InetAddress server, int port, String text) throws IOException {
    // region client
    try (Socket socket = node.newSocket()) {                       // new ZeroTierSocket(remoteAddr, port)
      socket.connect(new InetSocketAddress(server, port), 10_000); // SocketTimeoutException after 10 s
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();                                     // FIN: the echo server ends its copy
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    // endregion
  }
}
