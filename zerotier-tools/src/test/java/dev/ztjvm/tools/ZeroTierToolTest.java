package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ZeroTierToolTest extends ToolCommandTest {

  @Test
  void missingSubcommandIsAUsageError() {
    assertThat(ZeroTierTool.execute()).isEqualTo(2);
  }

  @Test
  void unknownOptionIsAUsageError() {
    assertThat(ZeroTierTool.execute("--no-such-option")).isEqualTo(2);
  }

  @Test
  void everyGroupCommandWithoutASubcommandIsAUsageError() {
    String[][] groups = {{}, {"identity"}, {"planet"}, {"controller", "network"}, {"controller", "member"}};
    for (String[] args : groups) {
      assertThat(run(args)).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err).as(String.join(" ", args)).contains("Missing subcommand").contains("Usage:");
    }
  }
}
