package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** The libzt examples run end to end: local root + controller + two nodes, IPv4 and IPv6. */
class ExamplesCommandTest {

  @Test
  void demoRunsEveryExampleBetweenTwoNodes() {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int code = ZeroTierTool.execute(new PrintWriter(o), new PrintWriter(e), "examples", "demo");
    String out = o.toString();
    assertThat(code).as("stderr: %s%nstdout: %s", e, out).isZero();
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
    StringWriter e = new StringWriter();
    int code = ZeroTierTool.execute(new PrintWriter(new StringWriter()), new PrintWriter(e),
        "examples", "tcp-client", "10.0.0.1", "80");
    assertThat(code).isEqualTo(2);
    assertThat(e.toString()).contains("--network");
  }
}
