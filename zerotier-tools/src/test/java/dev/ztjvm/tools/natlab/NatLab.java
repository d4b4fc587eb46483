package dev.ztjvm.tools.natlab;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.nativeio.testing.Netns;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.underlay.TcpRelayConfig;
import dev.ztjvm.underlay.TcpRelayServer;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl1.world.WorldSigningKey;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The lab. A "public" segment 198.18.0.0/24 (RFC 2544's benchmarking range: never a real address, and unlike
 * TEST-NET-3 not where this machine's package registries are reached, which the lab's route would capture) is a
 * bridge in its own namespace; this JVM's end of a veth into it holds 198.18.0.1, where our root and controller run in-process, and 198.18.0.2, where our TCP relay
 * listens (its own address so a path through the relay is told apart from one through the root). Each member gets a
 * router namespace (outside 198.18.0.(10+i) on the bridge, inside 10.i.0.1/24, nftables rules of its {@link
 * NatType}) and a member namespace (10.i.0.2, default route via the router) in which its {@link NatLabMember} JVM
 * runs. Routers have no default route, so a member's private address is unreachable from anywhere else, as on the
 * internet.
 */
final class NatLab implements AutoCloseable {

  static final String ROOT_IP = "198.18.0.1";
  static final String RELAY_IP = "198.18.0.2";
  static final int ROOT_PORT = 9993;
  static final int RELAY_PORT = 4443;
  private static final long PLANET_ID = 0x7a744e41546c6162L;

  private final Path dir;
  private final List<Netns> namespaces = new ArrayList<>();
  private final List<LabMember> members = new ArrayList<>();
  private final String hostVeth;
  private Netns wan;
  private EventLoop rootLoop;
  private Vl1Node root;
  private EventLoop controllerLoop;
  private Vl1Node controllerNode;
  private NetworkController controller;
  private TcpRelayServer relay;
  private Path planetFile;
  private long nwid;

  private NatLab(Path dir) {
    this.dir = dir;
    this.hostVeth = "zn" + (ProcessHandle.current().pid() % 1_000_000);
  }

  /** Builds the public segment and starts the root, controller, relay and the lab network. */
  static NatLab start(Path dir) throws Exception {
    NatLab lab = new NatLab(dir);
    try {
      lab.buildPublicSegment();
      lab.startServices();
      return lab;
    } catch (Exception | Error e) {
      lab.close();
      throw e;
    }
  }

  private void buildPublicSegment() {
    wan = track(Netns.create("wan"));
    wan.ip("link", "add", "br0", "type", "bridge");
    wan.ip("link", "set", "br0", "up");
    host("ip", "link", "add", hostVeth, "type", "veth", "peer", "name", "host0", "netns", wan.name());
    wan.ip("link", "set", "host0", "master", "br0", "up");
    host("ip", "addr", "add", ROOT_IP + "/24", "dev", hostVeth);
    host("ip", "addr", "add", RELAY_IP + "/24", "dev", hostVeth);
    host("ip", "link", "set", hostVeth, "up");
  }

  private void startServices() throws Exception {
    InetAddress rootIp = InetAddress.getByName(ROOT_IP);
    Identity rootId = new IdentityStore(dir.resolve("root")).loadOrGenerate();
    Identity controllerId = new IdentityStore(dir.resolve("controller")).loadOrGenerate();
    WorldSigningKey key = WorldSigningKey.generate(new SecureRandom());
    World planet = World.sign(World.Type.PLANET, PLANET_ID, System.currentTimeMillis(), key.publicKey(),
        List.of(new World.Root(rootId.publicOnly(), List.of(new InetSocketAddress(rootIp, ROOT_PORT)))), key);
    planetFile = dir.resolve("planet");
    Files.write(planetFile, planet.serialize());
    rootLoop = new EventLoop("natlab-root").start();
    root = new Vl1Node(Vl1Config.of(rootId, planet, UnderlayConfig.bind(rootIp, ROOT_PORT)).withRoot(true), rootLoop);
    root.startOnLoop().get(1, TimeUnit.MINUTES);
    controllerLoop = new EventLoop("natlab-controller").start();
    controllerNode = new Vl1Node(Vl1Config.of(controllerId, planet, UnderlayConfig.bind(rootIp, 0)), controllerLoop);
    controllerNode.startOnLoop().get(1, TimeUnit.MINUTES);
    controller = new NetworkController(controllerNode,
        new ControllerDatabase(new FileControllerStore(dir.resolve("controller.d")), controllerId.address()));
    controller.start();
    nwid = controller.database().createNetwork(e -> e.name("natlab").privateNetwork(false)
        .addPool(IpPrefix.parseIp("10.147.70.10"), IpPrefix.parseIp("10.147.70.250"))
        .addRoute(IpPrefix.parse("10.147.70.0/24"), null)
        .v4AutoAssign(true));
    relay = TcpRelayServer.start(new InetSocketAddress(InetAddress.getByName(RELAY_IP), RELAY_PORT),
        InetAddress.getByName(RELAY_IP));
  }

  /** Adds a member behind a new router of the given type and starts its JVM (not waiting for it). */
  LabMember addMember(NatType nat) throws IOException {
    int i = members.size() + 1;
    String routerWan = "198.18.0." + (10 + i);
    String memberIp = "10." + i + ".0.2";
    Netns router = track(Netns.create("r" + i));
    Netns member = track(Netns.create("m" + i));
    router.ip("link", "add", "wan0", "type", "veth", "peer", "name", "r" + i, "netns", wan.name());
    wan.ip("link", "set", "r" + i, "master", "br0", "up");
    router.ip("addr", "add", routerWan + "/24", "dev", "wan0");
    router.ip("link", "set", "wan0", "up");
    router.ip("link", "add", "lan0", "type", "veth", "peer", "name", "eth0", "netns", member.name());
    router.ip("addr", "add", "10." + i + ".0.1/24", "dev", "lan0");
    router.ip("link", "set", "lan0", "up");
    member.ip("addr", "add", memberIp + "/24", "dev", "eth0");
    member.ip("link", "set", "eth0", "up");
    member.ip("route", "add", "default", "via", "10." + i + ".0.1");
    router.exec("sysctl", "-qw", "net.ipv4.ip_forward=1");
    Path rules = dir.resolve("nat-" + i + ".nft");
    Files.writeString(rules, nat.ruleset(memberIp), StandardCharsets.UTF_8);
    try {
      router.exec("nft", "-f", rules.toString());
    } catch (RuntimeException e) {
      throw new AssertionError("nftables rules for " + nat.label() + " failed (is the nftables package installed?): "
          + e.getMessage() + "\n" + nat.ruleset(memberIp), e);
    }
    Path storage = Files.createDirectories(dir.resolve("member-" + i));
    LabMember m = new LabMember(nat.label() + "#" + i, nat, member.name(), planetFile, NetworkId.toString(nwid),
        RELAY_IP + ":" + RELAY_PORT, storage, fallbackMillis(nat));
    members.add(m);
    return m;
  }

  /**
   * UDP silence before a member falls back to the TCP relay: ZeroTier One's 60 s, except behind the UDP-dropping
   * firewall, where the lab does not wait a minute for what is certain. (With 3 s for every member, an idle member
   * behind a working NAT fell back too, and in one run a symmetric↔symmetric pair then lost its traffic: a finding
   * left for issue #20.)
   */
  private static long fallbackMillis(NatType nat) {
    return nat == NatType.UDP_BLOCKED ? 3000 : TcpRelayConfig.DEFAULT_FALLBACK_AFTER_MILLIS;
  }

  TcpRelayServer relay() {
    return relay;
  }

  private Netns track(Netns ns) {
    namespaces.add(ns);
    return ns;
  }

  @Override
  public void close() {
    for (LabMember m : members) {
      m.close();
    }
    if (relay != null) {
      relay.close();
    }
    if (controller != null) {
      controller.close();
    }
    closeNode(controllerNode, controllerLoop);
    closeNode(root, rootLoop);
    for (int i = namespaces.size() - 1; i >= 0; i--) {
      namespaces.get(i).close(); // the wan namespace's removal also removes this JVM's veth end
    }
    hostQuietly("ip", "link", "del", hostVeth);
  }

  private static void closeNode(Vl1Node node, EventLoop loop) {
    if (node != null) {
      node.close();
    }
    if (loop != null) {
      loop.close();
    }
  }

  /** Runs a command in this JVM's (the host's) namespace; fails with its output. */
  private static void host(String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " failed: " + out.trim());
      }
    } catch (IOException e) {
      throw new AssertionError("cannot run " + String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted: " + String.join(" ", cmd), e);
    }
  }

  private static void hostQuietly(String... cmd) {
    try {
      host(cmd);
    } catch (AssertionError ignored) {
      // already gone with its namespace
    }
  }
}
