package dev.ztjvm.tools;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierDatagramSocket;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.nio.TcpServerChannel;
import dev.ztjvm.tools.examples.Examples;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code examples}: libzt's example programs over {@link ZeroTierNode}. */
@Command(name = "examples", mixinStandardHelpOptions = true, description = "libzt's examples in Java: an all-in-one local demo, pingable node, TCP and UDP client/server.", subcommands = {
    ExamplesCommand.Demo.class, ExamplesCommand.Pingable.class, ExamplesCommand.TcpServer.class,
    ExamplesCommand.TcpClient.class, ExamplesCommand.UdpServer.class, ExamplesCommand.UdpClient.class})
final class ExamplesCommand implements Runnable {

  @Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "demo", mixinStandardHelpOptions = true, description = "Start a private ZeroTier (root + controller) and two nodes in this JVM, then run every example.")
  static final class Demo extends ToolCommand {
    @Override
    public Integer call() throws Exception {
      runDemo(out());
      return 0;
    }
  }

  /** The whole demo; returns normally when every example worked. */
  static void runDemo(PrintWriter out) throws Exception {
    Duration t = Duration.ofSeconds(30);
    try (LocalZeroTier zt = LocalZeroTier.start();
        ZeroTierNode alice = zt.nodeBuilder().build();
        ZeroTierNode bob = zt.nodeBuilder().build()) {
      long nwid = zt.createPublicNetwork("demo", "10.144.0.0/16", "10.144.0.10", "10.144.0.250", true);
      out.println("local ZeroTier " + zt + ", network " + NetworkId.toString(nwid));
      NetworkDetails a = Examples.pingableNode(alice, nwid, t, out);
      NetworkDetails b = Examples.pingableNode(bob, nwid, t, out);
      InetAddress b4 = b.ipv4().orElseThrow();
      InetAddress b6 = b.ipv6().orElseThrow();
      out.println("ping " + b4.getHostAddress() + ": " + alice.ping(b4, t).toNanos() / 1000 + " us");
      out.println("ping " + b6.getHostAddress() + ": " + alice.ping(b6, t).toNanos() / 1000 + " us");
      for (InetAddress target : new InetAddress[] {b4, b6}) {
        try (ZeroTierServerSocket server = bob.newServerSocket(8080)) {
          CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
            try {
              return Examples.tcpServer(server);
            } catch (Exception e) {
              throw new RuntimeException(e);
            }
          });
          String reply = Examples.tcpClient(alice, target, 8080, "hello from " + alice.nodeIdString(), t);
          out.println("tcp " + target.getHostAddress() + ": server got '" + got.get(30, TimeUnit.SECONDS)
              + "', client got '" + reply + "'");
        }
      }
      try (ZeroTierDatagramSocket udp = bob.newDatagramSocket(9999)) {
        CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> {
          try {
            return Examples.udpServer(udp, t);
          } catch (Exception e) {
            throw new RuntimeException(e);
          }
        });
        String reply = Examples.udpClient(alice, b4, 9999, "datagram", t);
        out.println("udp: server got '" + got.get(30, TimeUnit.SECONDS) + "', client got '" + reply + "'");
      }
      TcpServerChannel echo = Examples.nonBlockingEchoServer(bob, 7007);
      try {
        String r = Examples.nonBlockingClient(alice, b6, 7007, "non-blocking hello").get(30, TimeUnit.SECONDS);
        out.println("non-blocking echo: '" + r + "'");
      } finally {
        bob.netstack().call(() -> {
          echo.close();
          return null;
        });
      }
      out.println("alice " + a.ipv4().orElseThrow().getHostAddress() + " sees " + alice.peers().size() + " peers");
      out.flush();
    }
  }

  /**
   * An example that joins a real network: {@link #run} gets the node once it is up and pingable (addresses printed);
   * the node is closed after it.
   */
  abstract static class NodeExample extends ToolCommand {
    @Mixin NodeOptions node;
    @Mixin UdpPort udp;

    @Override
    public final Integer call() throws Exception {
      PrintWriter out = out();
      try (ZeroTierNode n = node.node(udp.port)) {
        Examples.pingableNode(n, node.nwid(), node.timeout(), out);
        run(n, out);
      }
      return 0;
    }

    abstract void run(ZeroTierNode n, PrintWriter out) throws Exception;
  }

  @Command(name = "pingable-node", mixinStandardHelpOptions = true, description = "Join a network, print the addresses and stay up (answering ping) until stopped.")
  static final class Pingable extends NodeExample {
    @Override
    void run(ZeroTierNode n, PrintWriter out) {
      NodeRuntime.awaitStop();
    }
  }

  @Command(name = "tcp-server", mixinStandardHelpOptions = true, description = "Accept one connection and echo a line.")
  static final class TcpServer extends NodeExample {
    @Option(names = "--listen-port", defaultValue = "8080") int listenPort;

    @Override
    void run(ZeroTierNode n, PrintWriter out) throws Exception {
      try (ZeroTierServerSocket s = n.newServerSocket(listenPort)) {
        out.println("received: " + Examples.tcpServer(s));
      }
    }
  }

  /** A client example: sends {@code <message>} to {@code <address>:<port>} and prints the answer. */
  abstract static class ClientExample extends NodeExample {
    @Parameters(index = "0", paramLabel = "<address>") String address;
    @Parameters(index = "1", paramLabel = "<port>") int port;
    @Parameters(index = "2", paramLabel = "<message>", defaultValue = "hello") String message;

    @Override
    final void run(ZeroTierNode n, PrintWriter out) throws Exception {
      out.println(exchange(n, InetAddress.getByName(address), port, message, node.timeout()));
    }

    /** Sends {@code message} and returns the answer. */
    abstract String exchange(ZeroTierNode n, InetAddress to, int port, String message, Duration timeout)
        throws IOException;
  }

  @Command(name = "tcp-client", mixinStandardHelpOptions = true, description = "Send a line, print the answer.")
  static final class TcpClient extends ClientExample {
    @Override
    String exchange(ZeroTierNode n, InetAddress to, int port, String message, Duration timeout) throws IOException {
      return Examples.tcpClient(n, to, port, message, timeout);
    }
  }

  @Command(name = "udp-server", mixinStandardHelpOptions = true, description = "Answer one datagram upper-cased.")
  static final class UdpServer extends NodeExample {
    @Option(names = "--listen-port", defaultValue = "9999") int listenPort;

    @Override
    void run(ZeroTierNode n, PrintWriter out) throws Exception {
      try (ZeroTierDatagramSocket s = n.newDatagramSocket(listenPort)) {
        out.println("received: " + Examples.udpServer(s, Duration.ofHours(1)));
      }
    }
  }

  @Command(name = "udp-client", mixinStandardHelpOptions = true, description = "Send a datagram, print the answer.")
  static final class UdpClient extends ClientExample {
    @Override
    String exchange(ZeroTierNode n, InetAddress to, int port, String message, Duration timeout) throws IOException {
      return Examples.udpClient(n, to, port, message, timeout);
    }
  }
}
