package dev.ztjvm.docs;

import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.sockets.internal.NetstackHost;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.OptionalLong;

/**
 * The Java code shown in {@code docs/migrating-from-libzt.md}: libzt's Java example (server and client) with our
 * socket classes. {@code SelfHostedEndToEndTest} runs both ends over a self-hosted network.
 */
final class MigrationSnippets {

  private MigrationSnippets() {}

  /** Accepts one connection on {@code server} and echoes it; returns the caller's ZeroTier address. */
  static OptionalLong serveOne(ZeroTierServerSocket server) throws IOException {
    // region server
    // libzt: ZeroTierServerSocket listener = new ZeroTierServerSocket(port); (always IPv6 wildcard)
    // here:  ZeroTierServerSocket server = new ZeroTierServerSocket(host, port); (a java.net.ServerSocket)
    try (ZeroTierSocket peer = server.accept()) {           // ZeroTierSocket extends java.net.Socket
      OptionalLong caller = peer.remoteNode();               // 40-bit ZeroTier address of the other end
      InputStream in = peer.getInputStream();
      OutputStream out = peer.getOutputStream();
      in.transferTo(out);                                    // echo until the client shuts its output down
      return caller;
    }
    // endregion
  }

  static String exchange(NetstackHost host, InetAddress server, int port, String text) throws IOException {
    // region client
    // libzt: ZeroTierSocket socket = new ZeroTierSocket(remoteAddr, port);
    try (Socket socket = new ZeroTierSocket(host, server, port)) {  // connects (SYN retries cover a cold path)
      socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
      socket.shutdownOutput();                                        // FIN: the echo server ends its copy
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
    // endregion
  }
}
