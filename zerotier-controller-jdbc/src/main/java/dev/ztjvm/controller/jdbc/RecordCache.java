package dev.ztjvm.controller.jdbc;

import dev.ztjvm.controller.ControllerJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.jspecify.annotations.Nullable;

/**
 * This instance's copy of the records, so that answering a config request (which reads the network and all of its
 * members) costs no database round trip. Kept current by this instance's saves and by the other instances' change
 * notifications; an entry only ever moves to an equal or higher revision, so a late reload cannot undo a newer save.
 * Records are handed out as deep copies (callers edit them).
 */
final class RecordCache {

  /** One cached record and its revision (the {@code revision} column). The map is never handed out. */
  record Entry(long revision, Map<String, Object> record) {}

  private final ConcurrentMap<Long, Entry> networks = new ConcurrentHashMap<>();
  private final ConcurrentMap<Long, ConcurrentSkipListMap<Long, Entry>> members = new ConcurrentHashMap<>();

  @Nullable
  Entry network(long nwid) {
    return networks.get(nwid);
  }

  @Nullable
  Entry member(long nwid, long address) {
    Map<Long, Entry> m = members.get(nwid);
    return m == null ? null : m.get(address);
  }

  List<Long> networkIds() {
    List<Long> out = new ArrayList<>(networks.keySet());
    out.sort(Long::compareUnsigned);
    return out;
  }

  /** Member addresses in ascending unsigned order (addresses are 40 bits: signed order is the same). */
  List<Long> memberAddresses(long nwid) {
    Map<Long, Entry> m = members.get(nwid);
    return m == null ? List.of() : new ArrayList<>(m.keySet());
  }

  int networkCount() {
    return networks.size();
  }

  long memberCount() {
    long n = 0;
    for (Map<Long, Entry> m : members.values()) {
      n += m.size();
    }
    return n;
  }

  /** Stores a network read or written at {@code revision}; false (and nothing changes) if we hold a newer one. */
  boolean putNetwork(long nwid, long revision, Map<String, Object> record) {
    boolean[] stored = {false};
    networks.compute(nwid, (k, old) -> {
      if (old != null && old.revision() > revision) {
        return old;
      }
      stored[0] = true;
      return new Entry(revision, record);
    });
    return stored[0];
  }

  boolean putMember(long nwid, long address, long revision, Map<String, Object> record) {
    boolean[] stored = {false};
    members.computeIfAbsent(nwid, k -> new ConcurrentSkipListMap<>()).compute(address, (k, old) -> {
      if (old != null && old.revision() > revision) {
        return old;
      }
      stored[0] = true;
      return new Entry(revision, record);
    });
    return stored[0];
  }

  /** Forgets a network and its members; true if it was cached. */
  boolean removeNetwork(long nwid) {
    members.remove(nwid);
    return networks.remove(nwid) != null;
  }

  boolean removeMember(long nwid, long address) {
    Map<Long, Entry> m = members.get(nwid);
    return m != null && m.remove(address) != null;
  }

  /** A copy to hand out. */
  static Map<String, Object> copy(Entry e) {
    return ControllerJson.copy(e.record());
  }
}
