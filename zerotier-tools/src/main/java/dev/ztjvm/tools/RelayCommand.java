package dev.ztjvm.tools;

import dev.ztjvm.underlay.Prefix;
import dev.ztjvm.underlay.TcpRelayServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code relay}: runs a TCP relay (ZeroTier One's {@code tcp-proxy} protocol) for nodes that cannot use UDP, until
 * stopped with Ctrl-C. Nodes point at it with {@code ZeroTierNode.Builder.tcpRelay(address)} (or ZeroTier One's
 * {@code tcpFallbackRelay} setting).
 */
@Command(name = "relay", mixinStandardHelpOptions = true, description = "Run a TCP relay for nodes without UDP (ZeroTier One's tcp-proxy protocol) until stopped.")
public final class RelayCommand implements Callable<Integer> {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Option(names = "--port", paramLabel = "<tcp-port>", description = "TCP port to listen on (default: ${DEFAULT-VALUE})") int port =
      TcpRelayServer.DEFAULT_PORT;

  @Option(names = "--bind", paramLabel = "<ip>", description = "local address to listen on (default: all)") String bind;

  @Option(names = "--udp-bind", paramLabel = "<ipv4>", description = "local IPv4 address of the UDP sockets that reach the roots and peers (default: 0.0.0.0)") String udpBind;

  @Option(names = "--stats-interval", paramLabel = "<seconds>", description = "print the counters every so many seconds, 0 = never (default: ${DEFAULT-VALUE})") int statsInterval =
      60;

  @Option(names = "--allow-destination", paramLabel = "<prefix>", description = "also relay to this private/loopback prefix, e.g. 10.0.0.0/8 or 127.0.0.1/32 (a lab whose roots and"
      + " peers are not on public addresses); repeatable. By default only public addresses are reached.") List<String> allowDestinations =
          new ArrayList<>();

  @Option(names = "--max-clients", paramLabel = "<n>", description = "clients connected at once (default: ${DEFAULT-VALUE})") int maxClients =
      TcpRelayServer.Options.DEFAULTS.maxClients();

  @Option(names = "--max-clients-per-address", paramLabel = "<n>", description = "clients connected at once from one IP address (default: ${DEFAULT-VALUE})") int maxClientsPerAddress =
      TcpRelayServer.Options.DEFAULTS.maxClientsPerAddress();

  /** Counted down to stop a running relay (tests); Ctrl-C works through the shutdown hook. */
  static volatile CountDownLatch stopSignal = new CountDownLatch(1);

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (port < 0 || port > 65535) {
      throw new CommandLine.ParameterException(spec.commandLine(), "--port must be 0..65535, got " + port);
    }
    if (statsInterval < 0) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--stats-interval must be >= 0, got " + statsInterval);
    }
    InetAddress listenAddress = bind == null ? new InetSocketAddress(0).getAddress() : InetAddress.getByName(bind);
    InetAddress udpAddress = InetAddress.getByName(udpBind == null ? "0.0.0.0" : udpBind);
    if (!(udpAddress instanceof Inet4Address)) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), "--udp-bind must be an IPv4 address (the relay protocol carries IPv4), got " + udpBind);
    }
    if (maxClients < 1 || maxClientsPerAddress < 1) {
      throw new CommandLine.ParameterException(spec.commandLine(),
          "--max-clients and --max-clients-per-address must be >= 1, got " + maxClients + " and "
              + maxClientsPerAddress);
    }
    List<Prefix> allowed = new ArrayList<>();
    for (String a : allowDestinations) {
      try {
        allowed.add(Prefix.parse(a));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.ParameterException(spec.commandLine(), "--allow-destination: " + e.getMessage());
      }
    }
    TcpRelayServer.Options options = TcpRelayServer.Options.DEFAULTS.allowDestinations(allowed)
        .clientLimits(maxClients, maxClientsPerAddress);
    CountDownLatch stop = stopSignal;
    Thread hook = new Thread(stop::countDown, "zerotier-relay-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (TcpRelayServer relay =
        TcpRelayServer.start(new InetSocketAddress(listenAddress, port), udpAddress, options)) {
      out.println("relay listening on TCP " + relay.localAddress().getAddress().getHostAddress() + ":"
          + relay.localAddress().getPort() + ", UDP from " + udpAddress.getHostAddress() + ", destinations: public"
          + (allowed.isEmpty() ? " only" : " and " + allowed));
      out.flush();
      relay.loop().failureFuture().thenRun(stop::countDown);
      NodeRuntime.RUNNING.add(relay.loop());
      while (!stop.await(statsInterval == 0 ? Long.MAX_VALUE : statsInterval, TimeUnit.SECONDS)) {
        out.println(stats(relay));
        out.flush();
      }
      NodeRuntime.RUNNING.remove(relay.loop());
      int status = NodeRuntime.loopFailed(relay.loop(), err);
      out.println("stopping; " + stats(relay));
      out.flush();
      return status;
    } catch (IOException e) {
      err.println("Error: " + e.getMessage());
      err.flush();
      return 1;
    } finally {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // JVM exiting: hook already running
      }
    }
  }

  private static String stats(TcpRelayServer relay) {
    return "clients " + relay.clientsConnected() + " (accepted " + relay.clientsAccepted() + "), datagrams forwarded "
        + relay.datagramsForwarded() + ", returned " + relay.datagramsReturned() + ", dropped "
        + relay.datagramsDropped() + " (destination refused " + relay.destinationsRefused() + "), malformed records "
        + relay.malformedRecords() + ", clients refused " + relay.clientsRefused() + ", evicted "
        + relay.clientsEvicted() + ", timed out " + relay.clientsTimedOut() + ", accept pauses "
        + relay.acceptPauses();
  }

  /** Stops a relay started in this JVM (tests). */
  static void stopRunning() {
    stopSignal.countDown();
  }

  static void resetStopSignal() {
    stopSignal = new CountDownLatch(1);
  }
}
