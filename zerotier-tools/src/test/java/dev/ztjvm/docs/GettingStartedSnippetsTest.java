package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Runs the offline example of {@code docs/getting-started.md}: two nodes on an in-process ZeroTier, one TCP line. */
class GettingStartedSnippetsTest {

  @Test
  void offlineExampleCarriesALineFromOneNodeToTheOther() throws Exception {
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream original = System.out;
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      OfflineLab.main(new String[0]);
    } finally {
      System.setOut(original);
    }
    assertThat(captured.toString(StandardCharsets.UTF_8)).contains("hello over ZeroTier");
  }
}
