package dev.ztjvm.controller.jdbc;

import dev.ztjvm.controller.ControllerJson;
import dev.ztjvm.controller.ControllerStore;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link ControllerStore} in PostgreSQL, shared by several controller instances that run with the same controller
 * identity (tables {@code zt_network} and {@code zt_member}: the JSON record of each {@code controller.d} file, as
 * {@code jsonb}, plus its revision).
 *
 * <ul>
 *   <li>Reads come from this instance's {@link RecordCache}; the other instances' changes arrive by LISTEN/NOTIFY (a
 *       trigger announces every row change), are reloaded and reported to {@link #watch} callbacks, so the instance
 *       a member talks to pushes it the new config.
 *   <li>Saves ({@link #saveNetwork}, {@link #saveMember}) are compare-and-swap on the revision column in one
 *       statement: two instances editing the same record cannot both
 *       win, so no update is lost and a network's revision increases by exactly one per save.
 *   <li>A member save that only changes bookkeeping fields ({@link Bookkeeping#FIELDS}: identity, versions) is
 *       applied to the cache at once and written in the next batch without a revision change, so config requests
 *       do not wait for the database. Which instance a member talks to is written the same way, and an instance whose
 *       heartbeat stops has its members taken over by the others ({@link #orphanedSessions()}).
 * </ul>
 *
 * One database (schema) holds one controller's networks. Open with {@link #open(DataSource, Options)}; close when the
 * controller stops.
 */
public final class PostgresControllerStore implements ControllerStore, AutoCloseable {
  private static final Logger LOG = Logger.getLogger(PostgresControllerStore.class.getName());

  /**
   * @param instanceId names this instance in the database (unique per running instance)
   * @param heartbeatInterval how often this instance says it is alive and looks for members of stopped instances
   * @param instanceTimeout after how long without a heartbeat an instance counts as stopped
   * @param flushInterval how often queued bookkeeping is written
   */
  public record Options(String instanceId, Duration heartbeatInterval, Duration instanceTimeout,
      Duration flushInterval) {
    public Options {
      Objects.requireNonNull(instanceId, "instanceId");
      if (instanceId.isBlank() || instanceId.contains(",")) {
        throw new IllegalArgumentException("instanceId must be non-blank and contain no ',': '" + instanceId + "'");
      }
      if (instanceTimeout.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException("instanceTimeout (" + instanceTimeout
            + ") must be at least twice heartbeatInterval (" + heartbeatInterval + ")");
      }
    }

    /** A random instance ID, a heartbeat every second, stopped after 5 s, bookkeeping written every 200 ms. */
    public static Options defaults() {
      return new Options("zt-" + UUID.randomUUID(), Duration.ofSeconds(1), Duration.ofSeconds(5),
          Duration.ofMillis(200));
    }

    public Options withInstanceId(String id) {
      return new Options(id, heartbeatInterval, instanceTimeout, flushInterval);
    }

    public Options withInstanceTimeout(Duration timeout) {
      return new Options(instanceId, heartbeatInterval, timeout, flushInterval);
    }
  }

  /**
   * What health checks show.
   *
   * @param listening whether the change notification connection is up (without it, other instances' changes are
   *     not seen)
   * @param lastError the last database error of the background work, null once it succeeds again
   */
  public record State(String instanceId, boolean listening, int networks, long members, int pendingWrites,
      @Nullable String lastError) {
    /** Listening and the background writes succeed. */
    public boolean healthy() {
      return listening && lastError == null;
    }
  }

  private final DataSource dataSource;
  private final Options options;
  private final RecordCache cache = new RecordCache();
  private final Bookkeeping bookkeeping;
  private final ChangeListener listener;
  private final ScheduledExecutorService background;
  private final List<Consumer<Change>> watchers = new CopyOnWriteArrayList<>();
  private final Set<Change> unpolled = new LinkedHashSet<>();
  private final ConcurrentLinkedQueue<MemberSession> orphans = new ConcurrentLinkedQueue<>();
  private boolean baseline;
  private volatile @Nullable String backgroundError;
  private volatile boolean closed;
  private long heartbeats;

  private PostgresControllerStore(DataSource dataSource, Options options) {
    this.dataSource = dataSource;
    this.options = options;
    this.bookkeeping = new Bookkeeping(options.instanceId());
    this.listener = new ChangeListener(dataSource, new ChangeListener.Receiver() {
      @Override
      public void notified(String payload) {
        onNotification(payload);
      }

      @Override
      public void reconnected() {
        try {
          reloadAll(true);
        } catch (IOException e) {
          LOG.log(Level.WARNING, "reloading the controller store after a reconnect failed", e);
        }
      }
    }, "zt-controller-store-listener");
    this.background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "zt-controller-store-writer");
      t.setDaemon(true);
      return t;
    });
  }

  /** Opens the store with {@link Options#defaults()}. */
  public static PostgresControllerStore open(DataSource dataSource) throws IOException {
    return open(dataSource, Options.defaults());
  }

  /**
   * Migrates the schema (Flyway), starts listening for other instances' changes, loads the records and starts the
   * background writer and heartbeat.
   *
   * @throws IOException naming the database problem if any step fails
   */
  public static PostgresControllerStore open(DataSource dataSource, Options options) throws IOException {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(options, "options");
    try {
      PostgresSchema.migrate(dataSource);
    } catch (RuntimeException e) {
      throw new IOException("PostgreSQL controller store: migrating the schema failed: " + e.getMessage(), e);
    }
    PostgresControllerStore store = new PostgresControllerStore(dataSource, options);
    try {
      store.listener.start(30_000); // before loading: nothing changed between load and LISTEN goes unseen
      store.reloadAll(false);
      store.heartbeat();
    } catch (SQLException | IOException | RuntimeException e) {
      store.close();
      throw new IOException("PostgreSQL controller store: " + e.getMessage(), e);
    }
    store.background.scheduleWithFixedDelay(store::flushQuietly, options.flushInterval().toMillis(),
        options.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
    store.background.scheduleWithFixedDelay(store::heartbeatQuietly, options.heartbeatInterval().toMillis(),
        options.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
    return store;
  }

  public Options options() {
    return options;
  }

  public State state() {
    return new State(options.instanceId(), listener.listening(), cache.networkCount(), cache.memberCount(),
        bookkeeping.pending(), backgroundError != null ? backgroundError : listener.lastError());
  }

  // ------------------------------------------------------------------------------------------------ reads

  @Override
  public List<Long> networkIds() {
    return cache.networkIds();
  }

  @Override
  public Optional<Map<String, Object>> network(long networkId) throws IOException {
    RecordCache.Entry e = cache.network(networkId);
    if (e == null) {
      e = loadNetwork(networkId); // created by another instance a moment ago?
    }
    return e == null ? Optional.empty() : Optional.of(RecordCache.copy(e));
  }

  @Override
  public List<Long> memberAddresses(long networkId) {
    return cache.memberAddresses(networkId);
  }

  @Override
  public Optional<Map<String, Object>> member(long networkId, long address) throws IOException {
    RecordCache.Entry e = cache.member(networkId, address);
    if (e == null) {
      e = loadMember(networkId, address);
    }
    return e == null ? Optional.empty() : Optional.of(RecordCache.copy(e));
  }

  // ------------------------------------------------------------------------------------------------ saves

  @Override
  public boolean saveNetwork(long networkId, Map<String, Object> network, long expectedRevision) throws IOException {
    String json = ControllerJson.write(network);
    long revision = ControllerJson.num(network, "revision", 0);
    int rows = expectedRevision == ABSENT
        ? update("INSERT INTO zt_network (id, revision, record) VALUES (?, ?, ?::jsonb) ON CONFLICT (id) DO NOTHING",
            ps -> {
              ps.setLong(1, networkId);
              ps.setLong(2, revision);
              ps.setString(3, json);
            })
        : update("""
            UPDATE zt_network SET revision = ?, record = ?::jsonb, updated_at = now() WHERE id = ? AND revision = ?
            """, ps -> {
          ps.setLong(1, revision);
          ps.setString(2, json);
          ps.setLong(3, networkId);
          ps.setLong(4, expectedRevision);
        });
    if (rows == 0) {
      loadNetwork(networkId); // someone else's save: the caller reads it from our cache when it retries
      return false;
    }
    cache.putNetwork(networkId, revision, ControllerJson.parseObject(json));
    return true;
  }

  @Override
  public boolean deleteNetwork(long networkId) throws IOException {
    int rows = update("DELETE FROM zt_network WHERE id = ?", ps -> ps.setLong(1, networkId));
    update("DELETE FROM zt_member_session WHERE network_id = ?", ps -> ps.setLong(1, networkId));
    cache.removeNetwork(networkId);
    return rows > 0;
  }

  @Override
  public boolean saveMember(long networkId, long address, Map<String, Object> member, long expectedRevision)
      throws IOException {
    RecordCache.Entry current = cache.member(networkId, address);
    if (expectedRevision != ABSENT && current != null && current.revision() == expectedRevision
        && onlyBookkeepingDiffers(current.record(), member)) {
      Map<String, Object> merged = RecordCache.copy(current);
      for (String k : Bookkeeping.FIELDS) {
        if (member.containsKey(k)) {
          merged.put(k, member.get(k));
        }
      }
      cache.putMember(networkId, address, expectedRevision, ControllerJson.copy(merged));
      bookkeeping.member(networkId, address, merged);
      return true;
    }
    String json = ControllerJson.write(member);
    long revision = ControllerJson.num(member, "revision", 0);
    boolean authorized = ControllerJson.bool(member, "authorized", false);
    int rows = expectedRevision == ABSENT
        ? update("""
            INSERT INTO zt_member (network_id, address, revision, authorized, record) VALUES (?, ?, ?, ?, ?::jsonb)
            ON CONFLICT (network_id, address) DO NOTHING
            """, ps -> {
          ps.setLong(1, networkId);
          ps.setLong(2, address);
          ps.setLong(3, revision);
          ps.setBoolean(4, authorized);
          ps.setString(5, json);
        })
        : update("""
            UPDATE zt_member SET revision = ?, authorized = ?, record = ?::jsonb, updated_at = now()
            WHERE network_id = ? AND address = ? AND revision = ?
            """, ps -> {
          ps.setLong(1, revision);
          ps.setBoolean(2, authorized);
          ps.setString(3, json);
          ps.setLong(4, networkId);
          ps.setLong(5, address);
          ps.setLong(6, expectedRevision);
        });
    if (rows == 0) {
      loadMember(networkId, address);
      return false;
    }
    cache.putMember(networkId, address, revision, ControllerJson.parseObject(json));
    return true;
  }

  private static boolean onlyBookkeepingDiffers(Map<String, Object> stored, Map<String, Object> next) {
    Map<String, Object> a = new LinkedHashMap<>(stored);
    Map<String, Object> b = new LinkedHashMap<>(next);
    for (String k : Bookkeeping.FIELDS) {
      a.remove(k);
      b.remove(k);
    }
    a.remove("revision");
    b.remove("revision");
    return ControllerJson.write(a).equals(ControllerJson.write(b));
  }

  @Override
  public boolean deleteMember(long networkId, long address) throws IOException {
    int rows = update("DELETE FROM zt_member WHERE network_id = ? AND address = ?", ps -> {
      ps.setLong(1, networkId);
      ps.setLong(2, address);
    });
    update("DELETE FROM zt_member_session WHERE network_id = ? AND address = ?", ps -> {
      ps.setLong(1, networkId);
      ps.setLong(2, address);
    });
    bookkeeping.forgetSession(networkId, address);
    cache.removeMember(networkId, address);
    return rows > 0;
  }

  // ------------------------------------------------------------------------------------------------ changes

  @Override
  public Set<Change> pollExternalChanges() {
    synchronized (unpolled) {
      Set<Change> out = new LinkedHashSet<>(unpolled);
      unpolled.clear();
      boolean first = !baseline;
      baseline = true;
      return first ? Set.of() : out;
    }
  }

  @Override
  public void watch(Consumer<Change> onChange) {
    watchers.add(onChange);
  }

  @Override
  public void memberRequested(long networkId, long memberAddress, byte[] requestMetadata) {
    bookkeeping.session(networkId, memberAddress, requestMetadata.clone(), System.currentTimeMillis());
  }

  @Override
  public List<MemberSession> orphanedSessions() {
    List<MemberSession> out = new ArrayList<>();
    for (MemberSession s; (s = orphans.poll()) != null;) {
      out.add(s);
    }
    return out;
  }

  private void fire(Change c) {
    if (watchers.isEmpty()) {
      synchronized (unpolled) {
        unpolled.add(c);
      }
      return;
    }
    for (Consumer<Change> w : watchers) {
      w.accept(c);
    }
  }

  /** A notification: another writer changed a row; reload it and report it if its revision moved. */
  private void onNotification(String payload) {
    String[] f = payload.split(",", -1);
    if (f.length != 3 || f[0].equals(options.instanceId())) {
      return;
    }
    long nwid = Long.parseLong(f[1]);
    long address = Long.parseLong(f[2]);
    try {
      if (address == 0) {
        RecordCache.Entry before = cache.network(nwid);
        RecordCache.Entry after = loadNetwork(nwid);
        if (after == null ? before != null : before == null || before.revision() != after.revision()) {
          fire(new Change(nwid, 0));
        }
      } else {
        RecordCache.Entry before = cache.member(nwid, address);
        RecordCache.Entry after = loadMember(nwid, address);
        if (after == null ? before != null : before == null || before.revision() != after.revision()) {
          fire(new Change(nwid, address));
        }
      }
    } catch (IOException e) {
      LOG.log(Level.WARNING, "reloading a changed controller record failed", e);
    }
  }

  /** Reloads every record (at open, and after the listener missed notifications, then reporting what changed). */
  private void reloadAll(boolean report) throws IOException {
    Map<Long, Long> networkRevisions = new HashMap<>();
    Map<Long, Map<Long, Long>> memberRevisions = new HashMap<>();
    query("SELECT id, revision, record::text FROM zt_network", ps -> {}, rs -> {
      long nwid = rs.getLong(1);
      networkRevisions.put(nwid, rs.getLong(2));
      RecordCache.Entry before = cache.network(nwid);
      cache.putNetwork(nwid, rs.getLong(2), ControllerJson.parseObject(rs.getString(3)));
      if (report && (before == null || before.revision() != rs.getLong(2))) {
        fire(new Change(nwid, 0));
      }
    });
    query("SELECT network_id, address, revision, record::text FROM zt_member", ps -> {}, rs -> {
      long nwid = rs.getLong(1);
      long address = rs.getLong(2);
      memberRevisions.computeIfAbsent(nwid, k -> new HashMap<>()).put(address, rs.getLong(3));
      RecordCache.Entry before = cache.member(nwid, address);
      cache.putMember(nwid, address, rs.getLong(3), ControllerJson.parseObject(rs.getString(4)));
      if (report && (before == null || before.revision() != rs.getLong(3))) {
        fire(new Change(nwid, address));
      }
    });
    for (long nwid : cache.networkIds()) {
      if (!networkRevisions.containsKey(nwid)) {
        cache.removeNetwork(nwid);
        if (report) {
          fire(new Change(nwid, 0));
        }
        continue;
      }
      Set<Long> present = memberRevisions.getOrDefault(nwid, Map.of()).keySet();
      for (long address : new HashSet<>(cache.memberAddresses(nwid))) {
        if (!present.contains(address) && cache.removeMember(nwid, address) && report) {
          fire(new Change(nwid, address));
        }
      }
    }
  }

  private RecordCache.@Nullable Entry loadNetwork(long nwid) throws IOException {
    RecordCache.Entry[] found = {null};
    query("SELECT revision, record::text FROM zt_network WHERE id = ?", ps -> ps.setLong(1, nwid),
        rs -> found[0] = new RecordCache.Entry(rs.getLong(1), ControllerJson.parseObject(rs.getString(2))));
    if (found[0] == null) {
      cache.removeNetwork(nwid);
      return null;
    }
    cache.putNetwork(nwid, found[0].revision(), found[0].record());
    return cache.network(nwid);
  }

  private RecordCache.@Nullable Entry loadMember(long nwid, long address) throws IOException {
    RecordCache.Entry[] found = {null};
    query("SELECT revision, record::text FROM zt_member WHERE network_id = ? AND address = ?", ps -> {
      ps.setLong(1, nwid);
      ps.setLong(2, address);
    }, rs -> found[0] = new RecordCache.Entry(rs.getLong(1), ControllerJson.parseObject(rs.getString(2))));
    if (found[0] == null) {
      cache.removeMember(nwid, address);
      return null;
    }
    cache.putMember(nwid, address, found[0].revision(), found[0].record());
    return cache.member(nwid, address);
  }

  // ------------------------------------------------------------------------------------------------ background

  private void flushQuietly() {
    try (Connection c = dataSource.getConnection()) {
      bookkeeping.flush(c);
      backgroundError = null;
    } catch (SQLException | RuntimeException e) {
      backgroundError = "writing member bookkeeping failed: " + e.getMessage();
      LOG.log(Level.WARNING, backgroundError, e);
    }
  }

  private void heartbeatQuietly() {
    try {
      heartbeat();
      claimOrphans();
      backgroundError = null;
    } catch (IOException | RuntimeException e) {
      backgroundError = "heartbeat failed: " + e.getMessage();
      LOG.log(Level.WARNING, backgroundError, e);
    }
  }

  private void heartbeat() throws IOException {
    update("""
        INSERT INTO zt_controller_instance (instance_id, heartbeat) VALUES (?, now())
        ON CONFLICT (instance_id) DO UPDATE SET heartbeat = now()
        """, ps -> ps.setString(1, options.instanceId()));
    if (++heartbeats % 600 == 1) {
      // instances stopped for a day have no members left to hand over (sessions older than 5 minutes are not taken)
      update("DELETE FROM zt_controller_instance WHERE heartbeat < now() - interval '1 day'", ps -> {});
    }
  }

  /**
   * Takes over the recently active members of instances whose heartbeat stopped: one instance wins each member (the
   * row is updated under its lock), and the controller pushes them their config.
   */
  private void claimOrphans() throws IOException {
    List<MemberSession> claimed = new ArrayList<>();
    query("""
        UPDATE zt_member_session s SET instance_id = ?, last_request = now()
        WHERE s.instance_id <> ? AND s.last_request > now() - interval '5 minutes'
          AND NOT EXISTS (SELECT 1 FROM zt_controller_instance i
                          WHERE i.instance_id = s.instance_id AND i.heartbeat > now() - make_interval(secs => ?))
        RETURNING s.network_id, s.address, s.metadata
        """, ps -> {
      ps.setString(1, options.instanceId());
      ps.setString(2, options.instanceId());
      ps.setDouble(3, options.instanceTimeout().toMillis() / 1000.0);
    }, rs -> claimed.add(new MemberSession(rs.getLong(1), rs.getLong(2), rs.getBytes(3))));
    for (MemberSession s : claimed) {
      loadMember(s.networkId(), s.memberAddress()); // its identity may only be in the other instance's bookkeeping
      orphans.add(s);
    }
    if (!claimed.isEmpty()) {
      LOG.info(() -> options.instanceId() + " took over " + claimed.size() + " member(s) of stopped instances");
    }
  }

  // ------------------------------------------------------------------------------------------------ JDBC

  /** Binds a statement's parameters. */
  private interface Binder {
    void bind(PreparedStatement ps) throws SQLException;
  }

  /** Consumes one row. */
  private interface Row {
    void accept(ResultSet rs) throws SQLException;
  }

  static void setOrigin(Connection c, String instanceId) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT set_config('zt.origin', ?, true)")) {
      ps.setString(1, instanceId);
      ps.execute();
    }
  }

  /** Runs one statement in its own transaction, marked as this instance's (so our own notifications are skipped). */
  private int update(String sql, Binder binder) throws IOException {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        setOrigin(c, options.instanceId());
        int rows;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
          binder.bind(ps);
          rows = ps.executeUpdate();
        }
        c.commit();
        return rows;
      } catch (SQLException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IOException("PostgreSQL controller store: " + e.getMessage(), e);
    }
  }

  private void query(String sql, Binder binder, Row row) throws IOException {
    try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
      binder.bind(ps);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          row.accept(rs);
        }
      }
    } catch (SQLException e) {
      throw new IOException("PostgreSQL controller store: " + e.getMessage(), e);
    }
  }

  /**
   * Stops listening and writing (after one last write of the queued bookkeeping). The instance's heartbeat row stays:
   * the other instances take its members over once it is older than {@link Options#instanceTimeout()}, exactly as
   * after a crash.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    background.shutdown();
    try {
      background.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    flushQuietly();
    listener.close();
  }

  /** Stops at once without writing anything more, as a crashed process would (for tests of the hand-over). */
  void crash() {
    closed = true;
    background.shutdownNow();
    listener.close();
  }
}
