package dev.ztjvm.tools.natlab;

import dev.ztjvm.node.PathInfo;
import dev.ztjvm.sockets.NatLabAccess;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.PeerDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.sockets.ZeroTierServerSocket;
import dev.ztjvm.sockets.ZeroTierSocket;
import dev.ztjvm.underlay.TcpRelayClient;
import dev.ztjvm.vl2.NetworkId;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A lab member: one {@link ZeroTierNode} in a child JVM started inside the member's network namespace (so its UDP
 * socket lives behind that namespace's NAT). It joins the lab network, serves a TCP echo on {@value #ECHO_PORT}, prints
 * {@code NODE <id>} and {@code READY <ipv4>}, then runs commands read from standard input, each on its own thread,
 * answering {@code RESULT <tag> ...}:
 *
 * <ul>
 *   <li>{@code CONNECT <tag> <ip>}: a TCP connection to the peer's echo, one try; {@code ok <ms>} or {@code fail <why>}
 *   <li>{@code PING <tag> <ip>}: one ICMP echo over ZeroTier; {@code ok <ms>} or {@code fail <why>}
 *   <li>{@code PATHS <tag> <node-id>}: the peer's paths as {@code udp:<addr>} / {@code relay:<addr>} (alive only),
 *       or {@code none}; then {@code tcpRelay=<true|false>} for this node
 * </ul>
 *
 * <p>Arguments: planet file, network ID, TCP relay {@code ip:port}, storage directory, milliseconds of UDP silence
 * before falling back to the relay.
 */
public final class NatLabMember {

  static final int UDP_PORT = 9993;
  static final int ECHO_PORT = 7000;

  private NatLabMember() {}

  public static void main(String[] args) throws Exception {
    Path planet = Path.of(args[0]);
    long nwid = NetworkId.parse(args[1]);
    String[] relay = args[2].split(":");
    Path storage = Path.of(args[3]);
    long fallbackMillis = Long.parseLong(args[4]);
    ZeroTierNode.Builder builder = ZeroTierNode.builder()
        .storage(storage)
        .planetFile(planet)
        .port(UDP_PORT)
        .secondaryPort(false) // one UDP port, so the NAT rules can name it
        .cacheNetworks(false)
        .cachePeers(false)
        .tcpRelay(new InetSocketAddress(InetAddress.getByName(relay[0]), Integer.parseInt(relay[1])));
    NatLabAccess.tcpRelayFallbackAfterMillis(builder, fallbackMillis);
    ZeroTierNode node = builder.build();
    node.start();
    say("NODE " + node.nodeIdString());
    node.join(nwid);
    NetworkDetails net = node.awaitNetworkReady(nwid, Duration.ofMinutes(5));
    InetAddress ip = net.ipv4().orElseThrow();
    ZeroTierServerSocket echo = node.newServerSocket(ECHO_PORT);
    Thread server = new Thread(() -> serveEcho(echo), "echo");
    server.setDaemon(true);
    server.start();
    say("READY " + ip.getHostAddress());

    ExecutorService commands = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "command");
      t.setDaemon(true);
      return t;
    });
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    while ((line = in.readLine()) != null) {
      String[] cmd = line.trim().split("\\s+");
      if (cmd.length == 3) {
        commands.execute(() -> say("RESULT " + cmd[1] + " " + run(node, cmd[0], cmd[2])));
      }
    }
    // the lab closed our standard input: stop
    node.close();
    System.exit(0);
  }

  private static String run(ZeroTierNode node, String command, String argument) {
    try {
      switch (command) {
        case "CONNECT":
          return connect(node, InetAddress.getByName(argument));
        case "PING":
          return "ok " + node.ping(InetAddress.getByName(argument), Duration.ofSeconds(10)).toMillis();
        case "PATHS":
          return paths(node, Long.parseLong(argument, 16));
        default:
          return "fail unknown command " + command;
      }
    } catch (Exception e) {
      return "fail " + String.valueOf(e).replace('\n', ' ');
    }
  }

  /** One connect, no retry: the relay reliability question is whether the first try works. */
  private static String connect(ZeroTierNode node, InetAddress peer) throws IOException {
    long start = System.nanoTime();
    try (ZeroTierSocket s = node.newSocket()) {
      s.connect(new InetSocketAddress(peer, ECHO_PORT), 15_000);
      s.setSoTimeout(15_000);
      DataOutputStream out = new DataOutputStream(s.getOutputStream());
      out.writeUTF("hello");
      out.flush();
      String answer = new DataInputStream(s.getInputStream()).readUTF();
      if (!answer.equals("echo:hello")) {
        return "fail answer " + answer;
      }
    }
    return "ok " + (System.nanoTime() - start) / 1_000_000;
  }

  private static String paths(ZeroTierNode node, long peerId) {
    PeerDetails peer = node.peer(peerId);
    StringJoiner j = new StringJoiner(",");
    if (peer != null) {
      for (PathInfo p : peer.paths()) {
        if (p.alive()) {
          String kind = p.localSocket() == TcpRelayClient.SOCKET_ID ? "relay:" : "udp:";
          j.add(kind + p.remote().getAddress().getHostAddress() + "/" + p.remote().getPort());
        }
      }
    }
    String list = j.length() == 0 ? "none" : j.toString();
    return list + " tcpRelay=" + node.isTcpRelayActive();
  }

  private static void serveEcho(ZeroTierServerSocket server) {
    while (true) {
      ZeroTierSocket s;
      try {
        s = server.accept();
      } catch (IOException e) {
        return;
      }
      Thread t = new Thread(() -> {
        try (s) {
          s.setSoTimeout(30_000);
          String text = new DataInputStream(s.getInputStream()).readUTF();
          DataOutputStream out = new DataOutputStream(s.getOutputStream());
          out.writeUTF("echo:" + text);
          out.flush();
        } catch (IOException e) {
          // the client went away; the client side reports it
        }
      }, "echo-conn");
      t.setDaemon(true);
      t.start();
    }
  }

  private static synchronized void say(String line) {
    System.out.println(line);
    System.out.flush();
  }
}
