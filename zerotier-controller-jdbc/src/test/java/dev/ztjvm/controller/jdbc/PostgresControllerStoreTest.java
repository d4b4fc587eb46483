package dev.ztjvm.controller.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.ControllerStore;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.identity.Address;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresControllerStoreTest {
  static final long CONTROLLER = 0xea7ca3b1d7L;
  static final long NWID = 0xea7ca3b1d7000001L;

  @TempDir Path tmp;
  private final List<AutoCloseable> closeables = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = closeables.size() - 1; i >= 0; i--) {
      closeables.get(i).close();
    }
  }

  private HikariDataSource database() throws Exception {
    HikariDataSource ds = PostgresServer.shared().newDatabase("store");
    closeables.add(ds);
    return ds;
  }

  private PostgresControllerStore open(HikariDataSource ds, String instance) throws Exception {
    PostgresControllerStore s = PostgresControllerStore.open(ds,
        PostgresControllerStore.Options.defaults().withInstanceId(instance).withInstanceTimeout(Duration.ofSeconds(3)));
    closeables.add(s);
    return s;
  }

  @Test
  void zerotierOneControllerDirectoryRoundTripsByteForByte() throws Exception {
    Path original = SharedData.capture("controller").resolve("controller.d-final");
    HikariDataSource ds = database();
    PostgresControllerStore in = open(ds, "importer");
    ControllerTransfer.Summary imported = ControllerTransfer.copy(new FileControllerStore(original), in);
    assertThat(imported).isEqualTo(new ControllerTransfer.Summary(1, 3));

    // a fresh instance reads everything back from the database (not from the importer's cache)
    PostgresControllerStore out = open(ds, "exporter");
    Path exported = tmp.resolve("controller.d");
    ControllerTransfer.copy(out, new FileControllerStore(exported));
    List<Path> files;
    try (Stream<Path> s = Files.walk(original)) {
      files = s.filter(Files::isRegularFile).map(original::relativize).sorted().toList();
    }
    assertThat(files).hasSize(4);
    for (Path f : files) {
      assertThat(Files.readAllBytes(exported.resolve(f))).as(f.toString())
          .isEqualTo(Files.readAllBytes(original.resolve(f)));
    }
    try (Stream<Path> s = Files.walk(exported)) { // the records and nothing else (but the writers' lock file)
      assertThat(s.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().equals(FileControllerStore.LOCK_FILE_NAME)).count())
          .isEqualTo(files.size());
    }
  }

  @Test
  void conditionalSaveRefusesAStaleRevisionAndTheDatabaseRetries() throws Exception {
    HikariDataSource ds = database();
    PostgresControllerStore a = open(ds, "a");
    PostgresControllerStore b = open(ds, "b");
    ControllerDatabase dbA = new ControllerDatabase(a, CONTROLLER);
    ControllerDatabase dbB = new ControllerDatabase(b, CONTROLLER);
    dbA.createNetwork(NWID, n -> n.name("one"));
    Map<String, Object> stale = b.network(NWID).orElseThrow();
    assertThat(stale).containsEntry("revision", 1L);

    dbA.updateNetwork(NWID, n -> n.name("two"));
    stale.put("name", "lost");
    stale.put("revision", 2L);
    assertThat(b.saveNetwork(NWID, stale, 1)).isFalse(); // A saved revision 2 first
    assertThat(b.network(NWID).orElseThrow()).containsEntry("name", "two"); // and B now holds A's record
    // B's edit through the database API re-reads and applies on top of A's
    dbB.updateNetwork(NWID, n -> n.mtu(1400));
    assertThat(b.network(NWID).orElseThrow()).containsEntry("name", "two").containsEntry("mtu", 1400L)
        .containsEntry("revision", 3L);
    NodeHarness.await("A reloads B's save", () -> a.network(NWID).orElseThrow().get("revision").equals(3L),
        Duration.ofSeconds(10));
    assertThat(a.network(NWID).orElseThrow()).containsEntry("name", "two").containsEntry("mtu", 1400L);
    assertThat(columnRevision(ds, NWID)).isEqualTo(3);
    // creating what exists is refused the same way
    assertThatThrownBy(() -> dbB.createNetwork(NWID, n -> {})).hasMessageContaining("exists");
  }

  @Test
  void anotherInstancesChangeIsReportedAndReloaded() throws Exception {
    HikariDataSource ds = database();
    PostgresControllerStore a = open(ds, "a");
    PostgresControllerStore b = open(ds, "b");
    BlockingQueue<ControllerStore.Change> seenByB = new LinkedBlockingQueue<>();
    BlockingQueue<ControllerStore.Change> seenByA = new LinkedBlockingQueue<>();
    b.watch(seenByB::add);
    a.watch(seenByA::add);
    ControllerDatabase dbA = new ControllerDatabase(a, CONTROLLER);
    dbA.createNetwork(NWID, n -> {});
    assertThat(seenByB.poll(10, TimeUnit.SECONDS)).isEqualTo(new ControllerStore.Change(NWID, 0));
    dbA.authorize(NWID, 0x1122334455L, true);
    assertThat(seenByB.poll(10, TimeUnit.SECONDS)).isEqualTo(new ControllerStore.Change(NWID, 0x1122334455L));
    assertThat(b.member(NWID, 0x1122334455L).orElseThrow()).containsEntry("authorized", true);
    assertThat(b.memberAddresses(NWID)).containsExactly(0x1122334455L);
    // a change made with plain SQL (another tool) is seen too
    try (Connection c = ds.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE zt_network SET revision = revision + 1,"
          + " record = jsonb_set(record, '{name}', '\"from psql\"') WHERE id = " + NWID);
    }
    assertThat(seenByB.poll(10, TimeUnit.SECONDS)).isEqualTo(new ControllerStore.Change(NWID, 0));
    assertThat(b.network(NWID).orElseThrow()).containsEntry("name", "from psql");
    // nobody reports its own saves to itself
    assertThat(seenByA.poll(10, TimeUnit.SECONDS)).isEqualTo(new ControllerStore.Change(NWID, 0));
    assertThat(seenByA).isEmpty();
    // deletes
    dbA.deleteNetwork(NWID);
    assertThat(seenByB.poll(10, TimeUnit.SECONDS)).isNotNull();
    NodeHarness.await("network gone from B", () -> b.network(NWID).isEmpty() && b.networkIds().isEmpty(),
        Duration.ofSeconds(10));
  }

  @Test
  void bookkeepingIsWrittenInBatchesWithoutARevision() throws Exception {
    HikariDataSource ds = database();
    PostgresControllerStore a = open(ds, "a");
    PostgresControllerStore b = open(ds, "b");
    ControllerDatabase dbA = new ControllerDatabase(a, CONTROLLER);
    dbA.createNetwork(NWID, n -> {});
    long m = 0x0a0b0c0d0eL;
    dbA.authorize(NWID, m, true);
    Map<String, Object> rec = a.member(NWID, m).orElseThrow();
    long revision = (Long) rec.get("revision");
    rec.put("identity", Address.toString(m) + ":0:abcd");
    rec.put("vMajor", 1L);
    rec.put("revision", revision + 1);
    assertThat(a.saveMember(NWID, m, rec, revision)).isTrue();
    // at once in this instance's view, without a new revision
    assertThat(a.member(NWID, m).orElseThrow()).containsEntry("vMajor", 1L).containsEntry("revision", revision);
    NodeHarness.await("bookkeeping written", () -> queryString(ds,
        "SELECT record->>'identity' FROM zt_member WHERE address = " + m) != null, Duration.ofSeconds(10));
    assertThat(queryString(ds, "SELECT revision FROM zt_member WHERE address = " + m)).isEqualTo("" + revision);
    // the other instance reloads it too (same revision: no change reported, just the fresh fields)
    NodeHarness.await("B sees the identity", () -> b.member(NWID, m).orElseThrow().containsKey("identity"),
        Duration.ofSeconds(10));
    // a real change after that keeps the bookkeeping
    new ControllerDatabase(b, CONTROLLER).updateMember(NWID, m, e -> e.name("laptop"));
    assertThat(queryString(ds, "SELECT record->>'identity' FROM zt_member WHERE address = " + m))
        .isEqualTo(Address.toString(m) + ":0:abcd");
    assertThat(a.state().healthy()).isTrue();
  }

  @Test
  void membersOfAStoppedInstanceAreHandedToAnother() throws Exception {
    HikariDataSource ds = database();
    PostgresControllerStore a = open(ds, "a");
    PostgresControllerStore b = open(ds, "b");
    new ControllerDatabase(a, CONTROLLER).createNetwork(NWID, n -> {});
    a.memberRequested(NWID, 0x0102030405L, new byte[] {1, 2, 3});
    NodeHarness.await("session written", () -> queryString(ds,
        "SELECT instance_id FROM zt_member_session WHERE address = " + 0x0102030405L) != null, Duration.ofSeconds(10));
    assertThat(b.orphanedSessions()).isEmpty(); // A is alive
    a.crash();
    List<ControllerStore.MemberSession> taken = new ArrayList<>();
    NodeHarness.await("B takes A's member", () -> {
      taken.addAll(b.orphanedSessions());
      return !taken.isEmpty();
    }, Duration.ofSeconds(15));
    assertThat(taken).singleElement().satisfies(s -> {
      assertThat(s.networkId()).isEqualTo(NWID);
      assertThat(s.memberAddress()).isEqualTo(0x0102030405L);
      assertThat(s.requestMetadata()).containsExactly(1, 2, 3);
    });
    assertThat(queryString(ds, "SELECT instance_id FROM zt_member_session WHERE address = " + 0x0102030405L))
        .isEqualTo("b");
  }

  @Test
  void schemaIsMigratedByFlywayWithItsOwnHistoryTable() throws Exception {
    HikariDataSource ds = database();
    open(ds, "a");
    assertThat(queryString(ds, "SELECT max(version) FROM " + PostgresSchema.HISTORY_TABLE + " WHERE success"))
        .isEqualTo("2");
    // opening again (another instance, a restart) migrates nothing and works
    assertThat(PostgresSchema.migrate(ds)).isEqualTo("2");
    assertThat(open(ds, "b").state().listening()).isTrue();
  }

  @Test
  void instancesStartingTogetherAgreeOnOneControllerIdentity() throws Exception {
    HikariDataSource ds = database();
    List<java.util.concurrent.Future<dev.ztjvm.identity.Identity>> ids = new ArrayList<>();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
    try {
      for (int i = 0; i < 4; i++) {
        ids.add(pool.submit(() -> ControllerIdentityTable.loadOrCreate(ds)));
      }
      dev.ztjvm.identity.Identity first = ids.get(0).get();
      assertThat(first.hasSecret()).isTrue();
      for (var f : ids) {
        assertThat(f.get().toSecretString()).isEqualTo(first.toSecretString());
      }
      assertThat(ControllerIdentityTable.loadOrCreate(ds).address()).isEqualTo(first.address());
    } finally {
      pool.shutdown();
    }
  }

  static long columnRevision(HikariDataSource ds, long nwid) throws Exception {
    return Long.parseLong(queryString(ds, "SELECT revision FROM zt_network WHERE id = " + nwid));
  }

  static String queryString(HikariDataSource ds, String sql) throws Exception {
    try (Connection c = ds.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? rs.getString(1) : null;
    }
  }
}
