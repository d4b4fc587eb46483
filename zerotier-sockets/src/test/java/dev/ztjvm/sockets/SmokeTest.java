package dev.ztjvm.sockets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class SmokeTest {
  @Test
  void sharedTestDataIsVisible() {
    assertThat(Files.isDirectory(Path.of(System.getProperty("zt.shared.dir"), "zt-vectors"))).isTrue();
  }
}
