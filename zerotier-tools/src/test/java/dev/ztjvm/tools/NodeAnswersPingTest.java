package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.NetworkId;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code node} and the {@code examples} join with an in-JVM stack: another member of the network (a plain
 * {@link ZeroTierNode}, as a stock ZeroTier member would) pings them over IPv4 and IPv6; {@code --allow-loopback}
 * makes them reach the loopback root of a {@link LocalZeroTier}.
 */
class NodeAnswersPingTest {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;

  @Test
  void aMemberPingsTheNodeCommandsAddresses() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("ping", "10.151.0.0/16", "10.151.0.10", "10.151.0.250", true);
      Path planet = Files.write(dir.resolve("planet"), zt.planetBytes());
      try (BackgroundTool node = BackgroundTool.start("node", "--storage", dir.resolve("node").toString(),
          "--planet", planet.toString(), "--port", "0", "--join", NetworkId.toString(nwid), "--allow-loopback");
          ZeroTierNode member = zt.nodeBuilder().build()) {
        List<InetAddress> addresses = parseAddresses(node.await("\"addresses\":\\[([^\\]]+)\\]"));
        assertThat(addresses).as(node.out()).hasSize(2); // 10.151.x.y and the RFC 4193 address
        member.start();
        member.awaitNetworkReady(nwid, WAIT);
        for (InetAddress a : addresses) {
          assertThat(member.ping(a, WAIT)).as("ping %s", a).isPositive();
        }
        assertThat(node.out()).contains("\"event\":\"online\",\"online\":true")
            .contains("\"status\":\"OK\"").contains("\"name\":\"ping\"");
      }
    }
  }

  @Test
  void thePingableNodeExampleJoinsThroughALoopbackRootAndAnswersPing() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      long nwid = zt.createPublicNetwork("examples", "10.152.0.0/16", "10.152.0.10", "10.152.0.250", false);
      Path planet = Files.write(dir.resolve("planet"), zt.planetBytes());
      try (BackgroundTool pingable = BackgroundTool.start("examples", "pingable-node", "--network",
          NetworkId.toString(nwid), "--planet", planet.toString(), "--allow-loopback");
          ZeroTierNode member = zt.nodeBuilder().build()) {
        InetAddress a = InetAddress.getByName(pingable.await("address (10\\.152\\.\\d+\\.\\d+)/16"));
        member.start();
        member.awaitNetworkReady(nwid, WAIT);
        assertThat(member.ping(a, WAIT)).isPositive();
      }
    }
  }

  @Test
  void tcpServerAndClientExamplesTalkThroughALoopbackRoot() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      String nwid = NetworkId.toString(
          zt.createPublicNetwork("examples", "10.153.0.0/16", "10.153.0.10", "10.153.0.250", false));
      String planet = Files.write(dir.resolve("planet"), zt.planetBytes()).toString();
      try (BackgroundTool server = BackgroundTool.start("examples", "tcp-server", "--network", nwid, "--planet",
          planet, "--allow-loopback", "--listen-port", "8080")) {
        String address = server.await("address (10\\.153\\.\\d+\\.\\d+)/16");
        try (BackgroundTool client = BackgroundTool.start("examples", "tcp-client", "--network", nwid, "--planet",
            planet, "--allow-loopback", address, "8080", "over loopback")) {
          assertThat(client.awaitExit()).as(client.err()).isZero();
          assertThat(client.out()).contains("echo: over loopback");
        }
        assertThat(server.awaitExit()).as(server.err()).isZero();
        assertThat(server.out()).contains("received: over loopback");
      }
    }
  }

  private static List<InetAddress> parseAddresses(String json) throws Exception {
    List<InetAddress> out = new ArrayList<>();
    Matcher m = Pattern.compile("\"([^\"/]+)/\\d+\"").matcher(json);
    while (m.find()) {
      out.add(InetAddress.getByName(m.group(1)));
    }
    return out;
  }
}
