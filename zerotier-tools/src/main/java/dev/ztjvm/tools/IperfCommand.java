package dev.ztjvm.tools;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.tools.iperf.IperfClient;
import dev.ztjvm.tools.iperf.IperfServer;
import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.StringJoiner;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code iperf}: iperf3's TCP speed test on an embedded node, compatible with the real iperf3 both ways: {@code -s}
 * serves {@code iperf3 -c} (or {@code iperf -c}) on the node's ZeroTier addresses, {@code -c} measures against
 * {@code iperf3 -s} (or {@code iperf -s}).
 */
@Command(name = "iperf", mixinStandardHelpOptions = true, description = {
    "iperf3's TCP speed test over ZeroTier, compatible with iperf3: -s serves, -c measures.",
    "Prints MB/s (10^6 bytes) per second and 'sender … MB/s, receiver … MB/s, cpu … core-ms/MB'."})
final class IperfCommand extends ToolCommand {

  @ArgGroup(exclusive = true, multiplicity = "1") Role role;

  static final class Role {
    @Option(names = {"-s", "--server"}, required = true, description = "serve tests until stopped") boolean server;

    @Option(names = {"-c",
        "--client"}, required = true, paramLabel = "<addr>", description = "run a test against the server at this ZeroTier address")
    @Nullable String client;
  }

  @Option(names = {"-p",
      "--port"}, paramLabel = "<port>", description = "server TCP port (default ${DEFAULT-VALUE})") int tcpPort = 5201;

  @Option(names = {"-t",
      "--time"}, paramLabel = "<seconds>", description = "test duration (default ${DEFAULT-VALUE})") int seconds = 10;

  @Option(names = {"-P",
      "--parallel"}, paramLabel = "<n>", description = "parallel streams (default ${DEFAULT-VALUE})") int parallel = 1;

  @Option(names = {"-R", "--reverse"}, description = "the server sends, this side receives") boolean reverse;

  @Option(names = {"-1", "--one-off"}, description = "server: exit after one test") boolean oneOff;

  @Option(names = "--udp-port", paramLabel = "<udp>", description = "UDP port of the node (default random)") int udpPort;

  @Mixin NodeOptions node;

  @Override
  public Integer call() throws Exception {
    if (tcpPort < 1 || tcpPort > 65535) {
      throw usageError("--port " + tcpPort + " is not a TCP port (1..65535)");
    }
    if (role.client != null && (seconds < 1 || seconds > 86400)) {
      throw usageError("--time " + seconds + " is not in 1..86400 seconds");
    }
    if (role.client != null && (parallel < 1 || parallel > 128)) {
      throw usageError("--parallel " + parallel + " is not in 1..128");
    }
    if (role.server && (reverse || parallel != 1 || seconds != 10)) {
      throw usageError("-t, -P and -R are client options: the client chooses them for each test");
    }
    InetAddress target = null;
    if (role.client != null) {
      try {
        target = InetAddress.getByName(literal(role.client));
      } catch (IOException | IllegalArgumentException e) {
        throw usageError("-c " + role.client + " is not an IP address");
      }
    }
    PrintWriter out = out();
    Consumer<String> lines = line -> {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    };
    try (ZeroTierNode n = node.node(udpPort)) {
      NetworkDetails network;
      try {
        n.start();
        network = n.awaitNetworkReady(node.nwid(), node.timeout());
      } catch (TimeoutException e) {
        throw new IOException(e.getMessage(), e);
      }
      if (target == null) {
        serve(n, network, lines);
      } else {
        new IperfClient(n.socketFactory(), lines, "zerotier-tools " + ZeroTierTool.version())
            .run(new InetSocketAddress(target, tcpPort), seconds, parallel, reverse);
      }
    }
    return 0;
  }

  private void serve(ZeroTierNode n, NetworkDetails network, Consumer<String> lines) throws Exception {
    StringJoiner addresses = new StringJoiner(", ");
    for (IpPrefix p : network.addresses()) {
      addresses.add(p.address().getHostAddress());
    }
    ZeroTierServerSocket listener = n.newServerSocket(tcpPort);
    try (IperfServer server = new IperfServer(listener, lines)) {
      lines.accept("iperf3 server on " + addresses + " port " + tcpPort + " (network " + network.networkIdString()
          + ", node " + n.nodeIdString() + ")");
      server.serve(oneOff ? 1 : 0);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // stopped
    }
  }

  private static String literal(String host) {
    if (!host.matches("[0-9.]+") && host.indexOf(':') < 0 && !host.startsWith("[")) {
      throw new IllegalArgumentException("not an IP literal");
    }
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
