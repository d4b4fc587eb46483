package dev.ztjvm.controller.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tests' PostgreSQL: found where Debian installs it, and a clear failure (never a skip) where it is missing. */
class PostgresServerTest {

  @Test
  void withoutTheBinariesTheTestsFailSayingWhatToInstall(@TempDir Path empty) {
    assertThatThrownBy(() -> PostgresServer.binaries(empty))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("need a real PostgreSQL server")
        .hasMessageContaining("apt-get install postgresql");
  }

  @Test
  void theNewestInstalledVersionIsUsed(@TempDir Path base) throws Exception {
    for (String v : new String[] {"9", "15", "13"}) {
      Path bin = Files.createDirectories(base.resolve(v).resolve("bin"));
      for (String tool : new String[] {"initdb", "pg_ctl"}) {
        Path f = Files.createFile(bin.resolve(tool));
        assertThat(f.toFile().setExecutable(true)).isTrue();
      }
    }
    assertThat(PostgresServer.binaries(base)).isEqualTo(base.resolve("15").resolve("bin"));
  }
}
