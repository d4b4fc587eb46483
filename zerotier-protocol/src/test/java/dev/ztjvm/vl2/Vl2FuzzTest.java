package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Mutation fuzzing of the dictionary, config, chunk, credential and request parsers. */
class Vl2FuzzTest {

  @Test
  void shortRunOnlyThrowsTheDocumentedException() {
    long parsed = new Vl2Fuzzer().run(0xF00DL, 10_000);
    // the mutations must leave a good share parseable, or the fuzzer only tests the first bounds check
    assertThat(parsed).isGreaterThan(1_000);
  }

  @Test
  @Tag("fuzz")
  void millionInputs() {
    Vl2Fuzzer f = new Vl2Fuzzer();
    long parsed = 0;
    for (int round = 0; round < 20; round++) {
      parsed += f.run(0xC0FFEE00L + round, 50_000);
    }
    assertThat(parsed).isGreaterThan(100_000);
  }
}
