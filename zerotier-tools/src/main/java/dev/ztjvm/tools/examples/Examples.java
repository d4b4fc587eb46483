package dev.ztjvm.tools.examples;

import dev.ztjvm.sockets.NetstackHost;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierDatagramSocket;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.sockets.nio.TcpChannel;
import dev.ztjvm.sockets.nio.TcpChannelHandler;
import dev.ztjvm.sockets.nio.TcpServerChannel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/** The libzt examples as plain Java over a {@link ZeroTierNode}. */
public final class Examples {
  private Examples() {}

  /**
   * pingable-node.c: start, join, wait for an address, print it. The node then answers ping (ICMP/ICMPv6 echo) on
   * the network for as long as it runs.
   */
  public static NetworkDetails pingableNode(ZeroTierNode node, long networkId, Duration timeout, PrintWriter out)
      throws Exception {
    node.start();
    node.awaitOnline(timeout);
    out.println("node " + node.nodeIdString() + " online, UDP port " + node.primaryPort());
    NetworkDetails d = node.awaitNetworkReady(networkId, timeout);
    for (var a : d.addresses()) {
      out.println("network " + d.networkIdString() + " address " + a);
    }
    out.flush();
    return d;
  }

  /** server.c: accept one TCP connection, read one line, answer {@code "echo: " + line}, close. */
  public static String tcpServer(ZeroTierServerSocket server) throws IOException {
    try (Socket s = server.accept()) {
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      String line = in.readLine();
      OutputStream o = s.getOutputStream();
      o.write(("echo: " + line + "\n").getBytes(StandardCharsets.UTF_8));
      o.flush();
      return line == null ? "" : line;
    }
  }

  /** client.c: connect (retrying while the link comes up), send one line, return the answer line. */
  public static String tcpClient(ZeroTierNode node, InetAddress server, int port, String message, Duration timeout)
      throws IOException {
    try (ZeroTierSocket s = node.newSocket()) {
      s.connect(new InetSocketAddress(server, port), (int) timeout.toMillis());
      s.setSoTimeout((int) timeout.toMillis());
      s.getOutputStream().write((message + "\n").getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().flush();
      return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }
  }

  /** UDP server: receive one datagram, send it back upper-cased; returns what was received. */
  public static String udpServer(ZeroTierDatagramSocket socket, Duration timeout) throws IOException {
    socket.setSoTimeout((int) timeout.toMillis());
    byte[] buf = new byte[2048];
    DatagramPacket p = new DatagramPacket(buf, buf.length);
    socket.receive(p);
    String text = new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
    byte[] reply = text.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    socket.send(new DatagramPacket(reply, reply.length, p.getSocketAddress()));
    return text;
  }

  /** UDP client: send a datagram (again every 250 ms, UDP may lose the first) until the reply arrives. */
  public static String udpClient(ZeroTierNode node, InetAddress server, int port, String message, Duration timeout)
      throws IOException {
    try (ZeroTierDatagramSocket s = node.newDatagramSocket(0)) {
      byte[] m = message.getBytes(StandardCharsets.UTF_8);
      byte[] buf = new byte[2048];
      long deadline = System.nanoTime() + timeout.toNanos();
      s.setSoTimeout(250);
      while (true) {
        s.send(new DatagramPacket(m, m.length, new InetSocketAddress(server, port)));
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
          s.receive(p);
          return new String(p.getData(), 0, p.getLength(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
    }
  }

  /**
   * nonblockingserver.c: a non-blocking listener on the node's loop that echoes whatever arrives on each accepted
   * connection, without any thread per connection. Returns the listener (close it to stop).
   */
  public static TcpServerChannel nonBlockingEchoServer(ZeroTierNode node, int port) throws IOException {
    NetstackHost host = node.netstack();
    return host.call(() -> TcpServerChannel.listen(host, new InetSocketAddress(port), 128, server -> {
      TcpChannel c;
      while ((c = server.accept(new TcpChannelHandler() {
        @Override
        public void onReadable(TcpChannel ch) {
          pump(ch);
        }

        @Override
        public void onWritable(TcpChannel ch) {
          pump(ch);
        }

        /** Moves as much as the send buffer takes; the rest waits in the receive buffer (flow control). */
        private void pump(TcpChannel ch) {
          byte[] b = new byte[4096];
          try {
            int room;
            while ((room = ch.writableBytes()) > 0) {
              int n = ch.read(b, 0, Math.min(b.length, room));
              if (n < 0) {
                ch.close();
                return;
              }
              if (n == 0) {
                return;
              }
              ch.write(b, 0, n);
            }
          } catch (IOException e) {
            ch.abort();
          }
        }
      })) != null) {
        // accepted; its handler does the rest
      }
    }));
  }

  /**
   * nonblockingclient.c: a non-blocking connect + send; the future completes with the bytes echoed back once
   * {@code message.length} bytes arrived.
   */
  public static CompletableFuture<String> nonBlockingClient(ZeroTierNode node, InetAddress server, int port,
      String message) throws IOException {
    NetstackHost host = node.netstack();
    byte[] out = message.getBytes(StandardCharsets.UTF_8);
    CompletableFuture<String> result = new CompletableFuture<>();
    java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
    host.call(() -> TcpChannel.connect(host, new InetSocketAddress(server, port), null, 10_000,
        new TcpChannelHandler() {
          int sent;

          @Override
          public void onConnected(TcpChannel ch) {
            onWritable(ch);
          }

          @Override
          public void onWritable(TcpChannel ch) {
            try {
              if (sent < out.length) {
                sent += ch.write(out, sent, out.length - sent);
              }
            } catch (IOException e) {
              result.completeExceptionally(e);
              ch.abort();
            }
          }

          @Override
          public void onReadable(TcpChannel ch) {
            byte[] b = new byte[4096];
            int n;
            while ((n = ch.read(b, 0, b.length)) > 0) {
              got.write(b, 0, n);
            }
            if (got.size() >= out.length) {
              result.complete(got.toString(StandardCharsets.UTF_8));
              ch.close();
            }
          }

          @Override
          public void onClosed(TcpChannel ch, @Nullable IOException cause) {
            if (cause != null) {
              result.completeExceptionally(cause);
            } else if (!result.isDone()) {
              result.complete(got.toString(StandardCharsets.UTF_8));
            }
          }
        }));
    return result.orTimeout(30, TimeUnit.SECONDS);
  }
}
