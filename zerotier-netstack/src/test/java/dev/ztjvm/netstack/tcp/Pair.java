package dev.ztjvm.netstack.tcp;

import java.util.ArrayList;
import java.util.List;

/** Two nodes (client 10.0.0.1, server 10.0.0.2) with a listener on the server. */
final class Pair {
  final SimNetwork net;
  final SimNetwork.Node client;
  final SimNetwork.Node server;
  final List<TcpConnection> accepted = new ArrayList<>();
  final List<Recorder> serverRecorders = new ArrayList<>();
  TcpListener listener;

  Pair(long seed, TcpConfig clientConfig, TcpConfig serverConfig) {
    net = new SimNetwork(seed);
    client = net.addNode(SimNetwork.v4(10, 0, 0, 1), clientConfig);
    server = net.addNode(SimNetwork.v4(10, 0, 0, 2), serverConfig);
  }

  Pair(long seed, TcpConfig config) {
    this(seed, config, config);
  }

  /** Listens on {@code port}, accepting everything with an auto-reading {@link Recorder}. */
  Pair listen(int port, int backlog) {
    listener = server.tcp.listen(null, port, backlog, l -> {
      TcpConnection c;
      while ((c = l.accept()) != null) {
        Recorder r = new Recorder();
        c.setHandler(r);
        accepted.add(c);
        serverRecorders.add(r);
      }
    });
    return this;
  }

  TcpConnection connect(int port, TcpHandler h) {
    TcpConnection c = client.tcp.connect(server.addr, port, h);
    return c;
  }

  /** Connects and runs the network until the listener accepted the connection (at most 5 s of virtual time). */
  TcpConnection connectAccepted(int port, TcpHandler h) {
    int before = accepted.size();
    TcpConnection c = connect(port, h);
    net.runUntil(() -> accepted.size() == before + 1, 5 * SimNetwork.S);
    return c;
  }

  static byte[] ascii(String s) {
    return s.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  static void writeAll(TcpConnection c, byte[] data) {
    int n = c.write(data, 0, data.length);
    if (n != data.length) {
      throw new AssertionError("short write " + n);
    }
  }
}
