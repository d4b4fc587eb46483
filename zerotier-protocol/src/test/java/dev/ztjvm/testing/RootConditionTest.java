package dev.ztjvm.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link RootCondition} agrees with the operating system about who we are. */
class RootConditionTest {

  @Test
  void isRootAgreesWithIdU() throws IOException, InterruptedException {
    Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
    String uid = new String(id.getInputStream().readAllBytes()).trim();
    assertThat(id.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(RootCondition.isRoot()).isEqualTo(uid.equals("0"));
  }
}
