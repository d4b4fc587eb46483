package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ZeroTierToolTest {

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
      StringWriter err = new StringWriter();
      int code = ZeroTierTool.execute(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
      assertThat(code).as(String.join(" ", args)).isEqualTo(2);
      assertThat(err.toString()).as(String.join(" ", args)).contains("Missing subcommand").contains("Usage:");
    }
  }
}
