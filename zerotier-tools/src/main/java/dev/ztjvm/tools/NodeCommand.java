package dev.ztjvm.tools;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.event.ZeroTierEvent;
import dev.ztjvm.sockets.event.ZeroTierEventListener;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node}: run a ZeroTier node with its state in a storage directory (identity, {@code networks.d}), join networks
 * and print one JSON object per line for each event (started, online, network status, config, addresses) until
 * stopped. The node is a full {@link ZeroTierNode}: its in-JVM stack holds the network addresses, so other members
 * can ping it. Exits 0 when stopped, 70 if the node's event loop dies (docs/reliability.md).
 */
@Command(name = "node", mixinStandardHelpOptions = true, description = "Run a node, join networks (answering ping on them) and print one JSON line per event until"
    + " stopped.")
final class NodeCommand extends ToolCommand {

  @Option(names = "--storage", required = true, paramLabel = "<dir>", description = "home directory (identity.secret is created if absent; networks.d caches configs)") Path storage;

  @Option(names = "--planet", required = true, paramLabel = "<file>") Path planet;

  @Option(names = "--port", paramLabel = "<udp>", description = "UDP port (default ${DEFAULT-VALUE}; 0 = any)") int port =
      9993;

  @Option(names = "--join", paramLabel = "<nwid>", description = "network to join; repeatable") List<String> join =
      new ArrayList<>();

  @Option(names = "--allow-loopback", description = "bind to 127.0.0.1 and allow loopback paths (lab setups)") boolean allowLoopback;

  @Option(names = {"--no-cache",
      "--no-network-cache"}, description = "keep no caches (networks.d configs, peers.d peers)") boolean noCache;

  @Override
  public Integer call() throws Exception {
    List<Long> nwids = new ArrayList<>();
    for (String j : join) {
      nwids.add(NetworkId.parse(j));
    }
    CompletableFuture<String> failed = new CompletableFuture<>();
    ZeroTierNode.Builder b = ZeroTierNode.builder()
        .storage(storage)
        .planetFile(planet)
        .port(port)
        .cacheNetworks(!noCache)
        .cachePeers(!noCache)
        .listener(new EventPrinter(out()))
        .listener(event -> {
          if (event instanceof ZeroTierEvent.NodeFailed f) {
            failed.complete(f.reason());
          }
        });
    if (allowLoopback) {
      b.allowLoopbackPaths(true).bindAddress(InetAddress.getLoopbackAddress());
    }
    try (ZeroTierNode node = b.build()) {
      node.start();
      for (long nwid : nwids) {
        node.join(nwid);
      }
      NodeRuntime.RUNNING_NODES.add(node);
      try {
        return NodeRuntime.awaitStop(failed, err());
      } finally {
        NodeRuntime.RUNNING_NODES.remove(node);
      }
    }
  }

  /**
   * Turns the node's events into the command's JSON lines. Events arrive one at a time on the node's event thread;
   * a config line is printed per new revision and an addresses line when the addresses on the node's stack change.
   */
  private static final class EventPrinter implements ZeroTierEventListener {
    private final PrintWriter out;
    private final Map<Long, Long> printedRevision = new HashMap<>();
    private final Map<Long, List<IpPrefix>> printedAddresses = new HashMap<>();

    EventPrinter(PrintWriter out) {
      this.out = out;
    }

    @Override
    public void onEvent(ZeroTierEvent event) {
      if (event instanceof ZeroTierEvent.NodeUp up) {
        emit("{\"event\":\"started\",\"address\":" + NodeRuntime.q(String.format("%010x", up.nodeId()))
            + ",\"port\":" + up.primaryPort() + "}");
      } else if (event instanceof ZeroTierEvent.NodeOnline) {
        emit("{\"event\":\"online\",\"online\":true}");
      } else if (event instanceof ZeroTierEvent.NodeOffline) {
        emit("{\"event\":\"online\",\"online\":false}");
      } else if (event instanceof ZeroTierEvent.NetworkOk e) {
        status(e.network());
        config(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkRequestingConfig e) {
        status(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkAccessDenied e) {
        status(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkNotFound e) {
        status(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkClientTooOld e) {
        status(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkStatusOther e) {
        status(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkUpdate e) {
        config(e.network());
        addresses(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkReadyIpv4 e) {
        addresses(e.network());
      } else if (event instanceof ZeroTierEvent.NetworkReadyIpv6 e) {
        addresses(e.network());
      }
      // peers, routes and store events are not part of the output
    }

    private void status(NetworkDetails n) {
      emit("{\"event\":\"status\",\"nwid\":" + NodeRuntime.q(n.networkIdString()) + ",\"status\":"
          + NodeRuntime.q(n.status().name()) + ",\"reason\":" + NodeRuntime.q(n.reason()) + "}");
    }

    private void config(NetworkDetails n) {
      if (n.revision() == 0) {
        return; // no config yet
      }
      Long before = printedRevision.put(n.networkId(), n.revision());
      if (before == null || before != n.revision()) {
        emit("{\"event\":\"config\",\"nwid\":" + NodeRuntime.q(n.networkIdString()) + ",\"name\":"
            + NodeRuntime.q(n.name()) + ",\"revision\":" + n.revision() + ",\"mac\":" + NodeRuntime.q(n.macString())
            + ",\"mtu\":" + n.mtu() + "}");
      }
    }

    /** Printed once the stack holds the addresses (ready events), so the node answers on them from this line on. */
    private void addresses(NetworkDetails n) {
      List<IpPrefix> previous = printedAddresses.put(n.networkId(), n.addresses());
      if (!n.addresses().equals(previous)) {
        StringJoiner j = new StringJoiner(",", "[", "]");
        for (IpPrefix p : n.addresses()) {
          j.add(NodeRuntime.q(p.toString()));
        }
        emit("{\"event\":\"addresses\",\"nwid\":" + NodeRuntime.q(n.networkIdString()) + ",\"addresses\":" + j
            + "}");
      }
    }

    private void emit(String line) {
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    }
  }
}
