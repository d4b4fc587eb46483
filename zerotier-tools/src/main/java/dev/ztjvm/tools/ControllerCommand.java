package dev.ztjvm.tools;

import dev.ztjvm.central.server.ControllerApiServer;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code controller}: run an embedded network controller on a {@code controller.d}-style data directory, or edit that
 * directory ({@code network create}, {@code member authorize}) — also while a controller runs on it (it notices within
 * a second and pushes the change to members).
 */
@Command(name = "controller", mixinStandardHelpOptions = true, description = "Run a network controller, or create networks / authorize members in its data directory.", subcommands = {
    ControllerCommand.NetworkCmd.class, ControllerCommand.MemberCmd.class})
final class ControllerCommand extends ToolCommand {

  @Option(names = "--identity", paramLabel = "<identity.secret>", description = "the controller's secret identity") Path identity;

  @Option(names = "--planet", paramLabel = "<file>", description = "planet file (roots)") Path planet;

  @Option(names = "--port", paramLabel = "<udp>", description = "UDP port (default ${DEFAULT-VALUE})") int port = 9993;

  @Option(names = "--data", paramLabel = "<dir>", description = "controller.d directory (networks and members)") Path data;

  @Option(names = "--allow-loopback", description = "bind to 127.0.0.1 and allow loopback paths (lab setups)") boolean allowLoopback;

  @Option(names = "--api-port", paramLabel = "<tcp>", description = "also serve the controller's HTTP APIs (zerotier-one's /controller and a Central /api/v1 subset)"
      + " on this TCP port; 0 picks a free one. Default: no API.") Integer apiPort;

  @Option(names = "--api-host", paramLabel = "<ip>", description = "address the HTTP API listens on (default: ${DEFAULT-VALUE}; the API administers the controller,"
      + " keep it off untrusted networks)") String apiHost = ControllerApiServer.DEFAULT_BIND_ADDRESS;

  @Option(names = "--api-token-file", paramLabel = "<file>", description = "the API token (created, owner-only, if absent). Default: authtoken.secret beside the data"
      + " directory, as zerotier-one keeps it") Path apiTokenFile;

  @Override
  public Integer call() throws Exception {
    if (identity == null || planet == null || data == null) {
      throw usageError("running a controller needs --identity, --planet and --data (or use a subcommand)");
    }
    if (apiPort != null && (apiPort < 0 || apiPort > 65535)) {
      throw usageError("--api-port must be 0..65535, got " + apiPort);
    }
    if (apiPort == null && (apiTokenFile != null || !apiHost.equals(ControllerApiServer.DEFAULT_BIND_ADDRESS))) {
      throw usageError("--api-host and --api-token-file need --api-port");
    }
    Identity id = IdentityStore.readSecretFile(identity);
    int status = 0;
    try (EventLoop loop = new EventLoop("controller").start()) {
      Vl1Node node = NodeRuntime.start(id, NodeRuntime.readPlanet(planet), port, allowLoopback, loop);
      ControllerDatabase db = new ControllerDatabase(new FileControllerStore(data), id.address());
      ControllerApiServer api = null;
      try (NetworkController controller = new NetworkController(node, db)) {
        controller.start();
        String apiField = "";
        if (apiPort != null) {
          Path tokenFile = apiTokenFile != null ? apiTokenFile
              : data.toAbsolutePath().resolveSibling(ControllerApiServer.TOKEN_FILE_NAME);
          api = ControllerApiServer.withTokenFile(db, tokenFile).start(apiHost, apiPort);
          apiField = ",\"api\":" + NodeRuntime.q(api.localApiUrl()) + ",\"apiTokenFile\":"
              + NodeRuntime.q(tokenFile.toString());
          if (!InetAddress.getByName(apiHost).isLoopbackAddress()) {
            err().println("warning: the controller API listens on " + apiHost + ", not on loopback: anyone who can"
                + " reach it and has the token administers the controller");
            err().flush();
          }
        }
        out().println("{\"event\":\"started\",\"address\":" + NodeRuntime.q(id.addressString())
            + ",\"port\":" + port + ",\"networks\":" + db.networkIds().size() + apiField + "}");
        out().flush();
        status = NodeRuntime.awaitStop(loop, err());
      } catch (RejectedExecutionException closedLoop) {
        if (loop.failure() == null) {
          throw closedLoop;
        }
        // the loop died: closing what ran on it finds it closed; the failure is what gets reported
      } finally {
        if (api != null) {
          api.close();
        }
        node.close();
      }
    }
    return status;
  }

  @Command(name = "network", mixinStandardHelpOptions = true, description = "Manage networks in a data directory.", subcommands = {
      NetworkCreate.class})
  static final class NetworkCmd extends GroupCommand {}

  @Command(name = "create", mixinStandardHelpOptions = true, description = "Create a network (random ID under the controller's address) and print its ID.")
  static final class NetworkCreate extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<data-dir>") Path data;

    @Option(names = "--identity", required = true, paramLabel = "<identity.secret or identity.public>") Path identity;

    @Option(names = "--name", paramLabel = "<name>") String name = "";

    @Option(names = "--private", description = "members need authorization (default)") boolean isPrivate;

    @Option(names = "--public", description = "anyone may join") boolean isPublic;

    @Option(names = "--pool", paramLabel = "<first-last>", description = "IPv4 auto-assign pool, e.g. "
        + "10.147.17.100-10.147.17.200 (enables v4AssignMode zt); repeatable") List<String> pools = new ArrayList<>();

    @Option(names = "--route", paramLabel = "<cidr>", description = "managed route, e.g. 10.147.17.0/24; repeatable") List<String> routes =
        new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      if (isPrivate && isPublic) {
        throw usageError("--private and --public are exclusive");
      }
      Identity id = IdentityStore.readFile(identity);
      List<InetAddress[]> poolList = new ArrayList<>();
      for (String p : pools) {
        int dash = p.indexOf('-');
        if (dash < 0) {
          throw usageError("pool must be first-last: " + p);
        }
        poolList.add(new InetAddress[] {IpPrefix.parseIp(p.substring(0, dash)), IpPrefix.parseIp(p.substring(dash
            + 1))});
      }
      List<IpPrefix> routeList = new ArrayList<>();
      for (String r : routes) {
        routeList.add(IpPrefix.parse(r));
      }
      ControllerDatabase db = new ControllerDatabase(new FileControllerStore(data), id.address());
      long nwid = db.createNetwork(e -> {
        e.name(name).privateNetwork(!isPublic);
        for (InetAddress[] p : poolList) {
          e.addPool(p[0], p[1]);
        }
        for (IpPrefix r : routeList) {
          e.addRoute(r, null);
        }
        if (!poolList.isEmpty()) {
          e.v4AutoAssign(true);
        }
      });
      out().println(NetworkId.toString(nwid));
      return 0;
    }
  }

  @Command(name = "member", mixinStandardHelpOptions = true, description = "Manage members in a data directory.", subcommands = {
      MemberAuthorize.class})
  static final class MemberCmd extends GroupCommand {}

  @Command(name = "authorize", mixinStandardHelpOptions = true, description = "Authorize (or with --deauthorize, de-authorize) a member, optionally assigning an IP.")
  static final class MemberAuthorize extends ToolCommand {
    @Parameters(index = "0", paramLabel = "<data-dir>") Path data;

    @Parameters(index = "1", paramLabel = "<nwid>") String nwid;

    @Parameters(index = "2", paramLabel = "<address>") String address;

    @Option(names = "--ip", paramLabel = "<a.b.c.d>", description = "static IP to assign; repeatable") List<String> ips =
        new ArrayList<>();

    @Option(names = "--deauthorize", description = "remove the authorization instead") boolean deauthorize;

    @Override
    public Integer call() throws Exception {
      long n = NetworkId.parse(nwid);
      long a = Address.parse(address);
      List<InetAddress> ipList = new ArrayList<>();
      for (String ip : ips) {
        ipList.add(IpPrefix.parseIp(ip));
      }
      ControllerDatabase db = new ControllerDatabase(new FileControllerStore(data), NetworkId.controllerAddress(n));
      db.updateMember(n, a, m -> {
        m.authorized(!deauthorize);
        for (InetAddress ip : ipList) {
          m.addIp(ip);
        }
      });
      out().println(NetworkId.toString(n) + " " + Address.toString(a) + " "
          + (deauthorize ? "deauthorized" : "authorized"));
      return 0;
    }
  }
}
