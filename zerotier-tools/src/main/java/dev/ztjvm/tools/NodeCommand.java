package dev.ztjvm.tools;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkListener;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.node.Vl1Listener;
import dev.ztjvm.node.PeerCache;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.MacAddress;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkId;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.StringJoiner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code node}: run a ZeroTier node with its state in a storage directory (identity, {@code networks.d}), join networks
 * and print one JSON object per line for each event (started, online, network status, config, addresses) until
 * stopped.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
    description = "Run a node, join networks and print one JSON line per event until stopped.")
final class NodeCommand extends ToolCommand {

  @Option(names = "--storage", required = true, paramLabel = "<dir>",
      description = "home directory (identity.secret is created if absent; networks.d caches configs)")
  Path storage;

  @Option(names = "--planet", required = true, paramLabel = "<file>")
  Path planet;

  @Option(names = "--port", paramLabel = "<udp>", description = "UDP port (default ${DEFAULT-VALUE}; 0 = any)")
  int port = 9993;

  @Option(names = "--join", paramLabel = "<nwid>", description = "network to join; repeatable")
  List<String> join = new ArrayList<>();

  @Option(names = "--allow-loopback", description = "bind to 127.0.0.1 and allow loopback paths (lab setups)")
  boolean allowLoopback;

  @Option(names = {"--no-cache", "--no-network-cache"}, description = "keep no caches (networks.d configs, peers.d peers)")
  boolean noCache;

  @Override
  public Integer call() throws Exception {
    List<Long> nwids = new ArrayList<>();
    for (String j : join) {
      nwids.add(NetworkId.parse(j));
    }
    Identity id = new IdentityStore(storage).loadOrGenerate();
    PrintWriter out = out();
    int status = 0;
    try (EventLoop loop = new EventLoop("node").start()) {
      Vl1Node node = NodeRuntime.start(id, NodeRuntime.readPlanet(planet), port, allowLoopback, loop);
      if (!noCache) {
        PeerCache.attach(node, storage.resolve("peers.d"));
      }
      try (NetworkManager manager = new NetworkManager(node,
          NetworkOptions.withStorage(storage).withCacheNetworks(!noCache))) {
        emit(out, "{\"event\":\"started\",\"address\":" + NodeRuntime.q(id.addressString()) + ",\"port\":"
            + (node.underlay() == null ? port : node.underlay().primaryPort()) + "}");
        node.addListener(new Vl1Listener() {
          @Override
          public void onOnlineChanged(boolean online) {
            emit(out, "{\"event\":\"online\",\"online\":" + online + "}");
          }
        });
        manager.addListener(new NetworkListener() {
          @Override
          public void onStatusChanged(NetworkInfo n) {
            emit(out, "{\"event\":\"status\",\"nwid\":" + NodeRuntime.q(NetworkId.toString(n.networkId()))
                + ",\"status\":" + NodeRuntime.q(n.status().name()) + ",\"reason\":" + NodeRuntime.q(n.reason())
                + "}");
          }

          @Override
          public void onConfigChanged(NetworkInfo n, NetworkConfig c) {
            emit(out, "{\"event\":\"config\",\"nwid\":" + NodeRuntime.q(NetworkId.toString(n.networkId()))
                + ",\"name\":" + NodeRuntime.q(c.name()) + ",\"revision\":" + c.revision() + ",\"mac\":"
                + NodeRuntime.q(MacAddress.toString(n.mac())) + ",\"mtu\":" + c.mtu() + ",\"fromCache\":"
                + n.fromCache() + "}");
          }

          @Override
          public void onAddressesChanged(long nwid, List<IpPrefix> addresses) {
            StringJoiner j = new StringJoiner(",", "[", "]");
            for (IpPrefix p : addresses) {
              j.add(NodeRuntime.q(p.toString()));
            }
            emit(out, "{\"event\":\"addresses\",\"nwid\":" + NodeRuntime.q(NetworkId.toString(nwid))
                + ",\"addresses\":" + j + "}");
          }
        });
        manager.start();
        for (long nwid : nwids) {
          manager.join(nwid);
        }
        status = NodeRuntime.awaitStop(loop, err());
      } catch (RejectedExecutionException closedLoop) {
        if (loop.failure() == null) {
          throw closedLoop;
        }
        // the loop died: closing what ran on it finds it closed; the failure is what gets reported
      } finally {
        node.close();
      }
    }
    return status;
  }

  private static synchronized void emit(PrintWriter out, String line) {
    out.println(line);
    out.flush();
  }
}
