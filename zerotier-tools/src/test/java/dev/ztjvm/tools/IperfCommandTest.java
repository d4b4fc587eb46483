package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.vl2.NetworkId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code iperf -s} and {@code iperf -c} on two embedded nodes of an in-process {@link LocalZeroTier} network: the
 * client prints MB/s per second and the summary, normal and reverse, with parallel streams; the server prints its
 * view of each test. (Against the real iperf3: IperfLoopbackInteropTest and IperfNamespaceInteropTest.)
 */
class IperfCommandTest extends ToolCommandTest {

  private static final Pattern SUMMARY =
      Pattern.compile("(?m)^sender \\d+\\.\\d\\d MB/s, receiver \\d+\\.\\d\\d MB/s, cpu \\S+ core-ms/MB$");
  private static final Pattern INTERVAL = Pattern.compile(
      "(?m)^ *\\d+\\.\\d\\d- *\\d+\\.\\d\\d s +\\d+\\.\\d\\d MB/s$");

  @TempDir Path dir;

  @Test
  void clientAndServerMeasureOverZeroTierBothWays() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start()) {
      String nwid = NetworkId.toString(
          zt.createPublicNetwork("iperf", "10.155.0.0/16", "10.155.0.10", "10.155.0.250", false));
      String planet = Files.write(dir.resolve("planet"), zt.planetBytes()).toString();
      try (BackgroundTool server = BackgroundTool.start("iperf", "-s", "--network", nwid, "--planet", planet,
          "--allow-loopback")) {
        String address = server.await("iperf3 server on (10\\.155\\.\\d+\\.\\d+) port 5201 \\(network " + nwid
            + ", node [0-9a-f]{10}\\)");

        assertThat(run("iperf", "-c", address, "-t", "2", "--network", nwid, "--planet", planet,
            "--allow-loopback")).as(err).isZero();
        assertThat(out).contains("connected to " + address + " port 5201: 1 stream(s), 2 s, this side sends")
            .containsPattern(INTERVAL).containsPattern(SUMMARY).containsPattern("sent \\d+\\.\\d\\d MB in");
        assertThat(megabytesPerSecond(out, "sender")).isPositive();

        assertThat(run("iperf", "-c", address, "-t", "2", "-P", "2", "-R", "--network", nwid, "--planet", planet,
            "--allow-loopback")).as(err).isZero();
        assertThat(out).contains("2 stream(s), 2 s, the server sends (reverse)").containsPattern(SUMMARY);
        assertThat(megabytesPerSecond(out, "receiver")).isPositive();

        server.await("(?sm)this side receives.*" + SUMMARY.pattern().substring(4) + ".*this side sends \\(reverse\\)"
            + ".*" + SUMMARY.pattern().substring(4));
      }
    }
  }

  @Test
  void noServerIsAOneLineFailure() throws Exception {
    try (LocalZeroTier zt = LocalZeroTier.start(); ZeroTierNode member = zt.nodeBuilder().build()) {
      long id = zt.createPublicNetwork("iperf", "10.156.0.0/16", "10.156.0.10", "10.156.0.250", false);
      String nwid = NetworkId.toString(id);
      String planet = Files.write(dir.resolve("planet"), zt.planetBytes()).toString();
      member.start();
      String address = member.awaitNetworkReady(id, Duration.ofSeconds(60)).ipv4().orElseThrow().getHostAddress();
      assertThat(run("iperf", "-c", address, "-t", "1", "--network", nwid, "--planet", planet,
          "--allow-loopback")).isEqualTo(1);
      assertThat(err.strip()).startsWith("error: cannot connect to " + address + " port 5201: ")
          .doesNotContain("\n");
    }
  }

  @Test
  void rolesAndOptionsAreChecked() {
    assertThat(run("iperf", "--network", "8056c2e21c000001")).isEqualTo(2);
    assertThat(err).contains("-s", "-c");
    assertThat(run("iperf", "-s", "-c", "10.0.0.1", "--network", "8056c2e21c000001")).isEqualTo(2);
    assertThat(run("iperf", "-s", "-R", "--network", "8056c2e21c000001")).isEqualTo(2);
    assertThat(err).contains("client options");
    assertThat(run("iperf", "-c", "10.0.0.1", "-P", "0", "--network", "8056c2e21c000001")).isEqualTo(2);
    assertThat(err).contains("--parallel 0");
    assertThat(run("iperf", "-c", "server.example", "--network", "8056c2e21c000001")).isEqualTo(2);
    assertThat(err).contains("not an IP address");
  }

  private static double megabytesPerSecond(String output, String side) {
    var m = Pattern.compile(side + " (\\d+\\.\\d\\d) MB/s").matcher(output);
    assertThat(m.find()).as(output).isTrue();
    return Double.parseDouble(m.group(1));
  }
}
