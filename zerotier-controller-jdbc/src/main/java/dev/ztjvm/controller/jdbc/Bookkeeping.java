package dev.ztjvm.controller.jdbc;

import dev.ztjvm.controller.ControllerJson;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a controller learns from each request and that no decision depends on (the member's identity once known, its
 * software version, which instance it talks to) is queued here and written in one batch per flush, so config requests
 * never wait for the database. A member's fields are merged into its stored record ({@code record || fields}), which
 * keeps whatever else another instance saved meanwhile; the revision does not change.
 */
final class Bookkeeping {

  /** Record fields written here instead of through a compare-and-swap save. */
  static final String[] FIELDS = {"identity", "vMajor", "vMinor", "vRev", "vProto"};

  /** A member session is written again only after this long (or when the member's metadata changes). */
  static final long SESSION_REFRESH_MILLIS = 30_000;

  private record Key(long nwid, long address) {}

  private record SessionWrite(byte[] metadata, long atMillis) {}

  private final ConcurrentHashMap<Key, Map<String, Object>> fields = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<Key, SessionWrite> sessions = new ConcurrentHashMap<>();
  /** Sessions as last written by this instance (guarded by itself). */
  private final Map<Key, SessionWrite> written = new HashMap<>();
  private final String instanceId;

  Bookkeeping(String instanceId) {
    this.instanceId = instanceId;
  }

  /** Queues the bookkeeping fields of {@code record} for the member. */
  void member(long nwid, long address, Map<String, Object> record) {
    Map<String, Object> f = new LinkedHashMap<>();
    for (String k : FIELDS) {
      Object v = record.get(k);
      if (v != null) {
        f.put(k, ControllerJson.copy(Map.of(k, v)).get(k));
      }
    }
    fields.merge(new Key(nwid, address), f, (a, b) -> {
      Map<String, Object> m = new LinkedHashMap<>(a);
      m.putAll(b);
      return m;
    });
  }

  /** Notes that the member asked this instance (written if new, changed or due for a refresh). */
  void session(long nwid, long address, byte[] metadata, long nowMillis) {
    Key k = new Key(nwid, address);
    synchronized (written) {
      SessionWrite w = written.get(k);
      if (w != null && Arrays.equals(w.metadata(), metadata) && nowMillis - w.atMillis() < SESSION_REFRESH_MILLIS) {
        return;
      }
      written.put(k, new SessionWrite(metadata, nowMillis));
    }
    sessions.put(k, new SessionWrite(metadata, nowMillis));
  }

  /** Forgets that this instance wrote a session (it was taken over or the member deleted). */
  void forgetSession(long nwid, long address) {
    synchronized (written) {
      written.remove(new Key(nwid, address));
    }
  }

  int pending() {
    return fields.size() + sessions.size();
  }

  /** Writes everything queued in one transaction; on failure the entries are queued again. */
  void flush(Connection c) throws SQLException {
    if (fields.isEmpty() && sessions.isEmpty()) {
      return;
    }
    Map<Key, Map<String, Object>> f = drain(fields);
    Map<Key, SessionWrite> s = drain(sessions);
    try {
      c.setAutoCommit(false);
      PostgresControllerStore.setOrigin(c, instanceId);
      if (!f.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE zt_member SET record = record || ?::jsonb, updated_at = now() WHERE network_id = ? AND address = ?")) {
          for (Map.Entry<Key, Map<String, Object>> e : f.entrySet()) {
            ps.setString(1, ControllerJson.write(e.getValue()));
            ps.setLong(2, e.getKey().nwid());
            ps.setLong(3, e.getKey().address());
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      if (!s.isEmpty()) {
        try (PreparedStatement ps = c.prepareStatement("""
            INSERT INTO zt_member_session (network_id, address, instance_id, last_request, metadata)
            VALUES (?, ?, ?, now(), ?)
            ON CONFLICT (network_id, address) DO UPDATE
              SET instance_id = excluded.instance_id, last_request = excluded.last_request, metadata = excluded.metadata
            """)) {
          for (Map.Entry<Key, SessionWrite> e : s.entrySet()) {
            ps.setLong(1, e.getKey().nwid());
            ps.setLong(2, e.getKey().address());
            ps.setString(3, instanceId);
            ps.setBytes(4, e.getValue().metadata());
            ps.addBatch();
          }
          ps.executeBatch();
        }
      }
      c.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        c.rollback();
      } catch (SQLException ignored) {
        // the connection is broken; the entries are queued again below
      }
      f.forEach((k, v) -> fields.merge(k, v, (newer, older) -> {
        Map<String, Object> m = new LinkedHashMap<>(older);
        m.putAll(newer);
        return m;
      }));
      s.forEach(sessions::putIfAbsent);
      throw e;
    } finally {
      c.setAutoCommit(true);
    }
  }

  private static <V> Map<Key, V> drain(ConcurrentHashMap<Key, V> from) {
    Map<Key, V> out = new HashMap<>();
    for (Key k : from.keySet()) {
      V v = from.remove(k); // atomically: a value queued after this stays for the next flush
      if (v != null) {
        out.put(k, v);
      }
    }
    return out;
  }
}
