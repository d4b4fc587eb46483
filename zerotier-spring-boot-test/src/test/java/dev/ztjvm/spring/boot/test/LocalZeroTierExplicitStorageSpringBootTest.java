package dev.ztjvm.spring.boot.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.sockets.ZeroTierNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.util.FileSystemUtils;

/** A {@code zerotier.storage} the test sets itself is kept: {@link LocalZeroTierTest} only replaces the app's own. */
@SpringBootTest(webEnvironment = WebEnvironment.NONE, properties = {"zerotier.storage=target/explicit-test-storage",
    "zerotier.startup.timeout=0"})
@LocalZeroTierTest
class LocalZeroTierExplicitStorageSpringBootTest {

  @SpringBootApplication
  static class App {}

  @Autowired LocalZeroTierNetwork zerotier;
  @Autowired ZeroTierNode node;

  @AfterAll
  static void cleanUp() throws Exception {
    FileSystemUtils.deleteRecursively(Path.of("target/explicit-test-storage"));
  }

  @Test
  void explicitStorageIsUsed() {
    assertThat(zerotier.applicationStorage()).isNull();
    assertThat(Path.of("target/explicit-test-storage/identity.secret")).exists();
    assertThat(node.nodeId()).isEqualTo(zerotier.applicationNodeId());
    assertThat(Files.isDirectory(Path.of("target/explicit-test-storage"))).isTrue();
  }
}
