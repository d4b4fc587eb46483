package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The libzt examples run end to end: local root + controller + two nodes, IPv4 and IPv6. */
class ExamplesCommandTest extends ToolCommandTest {

  @Test
  void demoRunsEveryExampleBetweenTwoNodes() {
    int code = run("examples", "demo");
    assertThat(code).as("stderr: %s%nstdout: %s", err, out).isZero();
    assertThat(out).containsPattern("network [0-9a-f]{16} address 10\\.144\\.0\\.\\d+/16")
        .containsPattern("ping 10\\.144\\.0\\.\\d+: \\d+ us")
        .containsPattern("ping fd[0-9a-f:]+: \\d+ us")
        .containsPattern("tcp 10\\.144\\.0\\.\\d+: server got 'hello from [0-9a-f]{10}', client got 'echo: hello from")
        .containsPattern("tcp fd[0-9a-f:]+: server got 'hello from")
        .contains("udp: server got 'datagram', client got 'DATAGRAM'")
        .contains("non-blocking echo: 'non-blocking hello'");
  }

  @Test
  void examplesNeedANetworkId() {
    assertThat(run("examples", "tcp-client", "10.0.0.1", "80")).isEqualTo(2);
    assertThat(err).contains("--network");
  }

  @Test
  void everyNodeExampleTakesTheNodeOptionsAndItsOwnArguments() {
    CommandLine examples = ZeroTierTool.commandLine().getSubcommands().get("examples");
    for (String name : List.of("pingable-node", "tcp-server", "tcp-client", "udp-server", "udp-client")) {
      CommandSpec spec = examples.getSubcommands().get(name).getCommandSpec();
      assertThat(spec.findOption("--network").required()).as(name).isTrue();
      for (String option : List.of("--storage", "--planet", "--port", "--allow-loopback", "--timeout", "--help")) {
        assertThat(spec.findOption(option)).as(name + " " + option).isNotNull();
      }
    }
    CommandLine tcpServer = examples.getSubcommands().get("tcp-server");
    assertThat(tcpServer.getCommandSpec().findOption("--listen-port").defaultValue()).isEqualTo("8080");
    assertThat(examples.getSubcommands().get("udp-server").getCommandSpec().findOption("--listen-port").defaultValue())
        .isEqualTo("9999");
    for (String client : List.of("tcp-client", "udp-client")) {
      assertThat(examples.getSubcommands().get(client).getCommandSpec().positionalParameters())
          .as(client).extracting(p -> p.paramLabel()).containsExactly("<address>", "<port>", "<message>");
    }
    assertThat(examples.getSubcommands().get("pingable-node").getCommandSpec().positionalParameters()).isEmpty();
  }
}
