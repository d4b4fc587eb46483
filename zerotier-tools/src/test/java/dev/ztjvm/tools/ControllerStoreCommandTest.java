package dev.ztjvm.tools;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.jdbc.PostgresServer;
import dev.ztjvm.testing.SharedData;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code controller-store import/export} against a real PostgreSQL: zerotier-one's files survive the round trip. */
class ControllerStoreCommandTest {
  @TempDir Path tmp;

  private String out;
  private String err;

  private int run(String... args) {
    StringWriter o = new StringWriter();
    StringWriter e = new StringWriter();
    int rc = ZeroTierTool.execute(new PrintWriter(o), new PrintWriter(e), args);
    out = o.toString();
    err = e.toString();
    return rc;
  }

  @Test
  void importThenExportGivesZerotierOnesFilesBack() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String url = pg.url(pg.createDatabase("tools"));
    Path original = SharedData.capture("controller").resolve("controller.d-final");

    assertThat(run("controller-store", "import", "--data", original.toString(), "--jdbc-url", url, "--user",
        pg.user())).as(err).isZero();
    assertThat(out).contains("\"event\":\"imported\",\"networks\":1,\"members\":3");
    try (Connection c = DriverManager.getConnection(url, pg.user(), "");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM zt_member WHERE network_id = "
            + Long.parseUnsignedLong("ea7ca3b1d7000001", 16))) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(3);
    }

    Path exported = tmp.resolve("exported");
    assertThat(run("controller-store", "export", "--data", exported.toString(), "--jdbc-url", url, "--user",
        pg.user())).as(err).isZero();
    assertThat(out).contains("\"event\":\"exported\",\"networks\":1,\"members\":3");
    List<Path> files;
    try (Stream<Path> s = Files.walk(original)) {
      files = s.filter(Files::isRegularFile).map(original::relativize).toList();
    }
    assertThat(files).hasSize(4);
    for (Path f : files) {
      assertThat(Files.readAllBytes(exported.resolve(f))).as(f.toString())
          .isEqualTo(Files.readAllBytes(original.resolve(f)));
    }
  }

  @Test
  void badInputIsNamed() throws Exception {
    assertThat(run("controller-store", "import", "--data", tmp.toString(), "--jdbc-url", "jdbc:mysql://x/y"))
        .isEqualTo(2);
    assertThat(err).contains("--jdbc-url must be a PostgreSQL JDBC URL");
    PostgresServer pg = PostgresServer.shared();
    String url = pg.url(pg.createDatabase("tools"));
    assertThat(run("controller-store", "import", "--data", tmp.toString(), "--jdbc-url", url, "--user", pg.user()))
        .isEqualTo(1);
    assertThat(err).contains("no controller.d here");
    assertThat(run("controller-store", "export", "--data", tmp.toString(), "--jdbc-url",
        "jdbc:postgresql://127.0.0.1:1/none")).isEqualTo(1);
    assertThat(err).startsWith("error: PostgreSQL controller store");
  }
}
