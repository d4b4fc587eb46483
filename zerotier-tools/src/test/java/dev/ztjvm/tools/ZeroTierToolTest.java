package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

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
}
