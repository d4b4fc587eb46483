package dev.ztjvm.controller.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.ControllerStore;
import dev.ztjvm.node.NodeHarness;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The notification connection breaks: the store reports itself unhealthy while it cannot listen, reconnects when the
 * database is back, and reloads what changed meanwhile (notifications sent while it was away are lost).
 */
class ConnectionLossTest {
  static final long CONTROLLER = 0xea7ca3b1d7L;
  static final long NWID = 0xea7ca3b1d7000001L;

  @Test
  void aLostListenerIsReportedThenRecoversWithoutLosingChanges() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String name = pg.createDatabase("loss");
    try (HikariDataSource dsA = pg.dataSource(name);
        HikariDataSource dsB = pg.dataSource(name);
        PostgresControllerStore a = PostgresControllerStore.open(dsA,
            PostgresControllerStore.Options.defaults().withInstanceId("a"));
        PostgresControllerStore b = PostgresControllerStore.open(dsB,
            PostgresControllerStore.Options.defaults().withInstanceId("b"))) {
      BlockingQueue<ControllerStore.Change> seenByB = new LinkedBlockingQueue<>();
      b.watch(seenByB::add);
      ControllerDatabase dbA = new ControllerDatabase(a, CONTROLLER);
      dbA.createNetwork(NWID, n -> n.name("before"));
      assertThat(seenByB.poll(10, TimeUnit.SECONDS)).isEqualTo(new ControllerStore.Change(NWID, 0));
      assertThat(b.state().healthy()).isTrue();

      // the database refuses new connections and drops B's: B cannot listen and says so
      try (Connection admin = DriverManager.getConnection(pg.url("postgres"), pg.user(), "");
          Statement s = admin.createStatement()) {
        s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS false");
        dsB.getHikariPoolMXBean().softEvictConnections();
        s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + name
            + "' AND query LIKE 'LISTEN%'");
        NodeHarness.await("B reports it is not listening", () -> !b.state().listening() && !b.state().healthy()
            && b.state().lastError() != null, Duration.ofSeconds(15));
        // A (its pooled connections still open) changes the network meanwhile: B cannot hear it
        dbA.updateNetwork(NWID, n -> n.name("while B was away"));
        s.execute("ALTER DATABASE " + name + " ALLOW_CONNECTIONS true");
      }
      // back: B reconnects, reloads, reports the change it missed
      NodeHarness.await("B listening again", () -> b.state().listening(), Duration.ofSeconds(30));
      ControllerStore.Change missed = null;
      for (ControllerStore.Change c; (c = seenByB.poll(10, TimeUnit.SECONDS)) != null;) {
        if (c.equals(new ControllerStore.Change(NWID, 0))) {
          missed = c;
          break;
        }
      }
      assertThat(missed).as("the change made while B was away").isNotNull();
      assertThat(b.network(NWID).orElseThrow()).containsEntry("name", "while B was away");
      NodeHarness.await("B healthy again", () -> b.state().healthy(), Duration.ofSeconds(15));
    }
  }
}
