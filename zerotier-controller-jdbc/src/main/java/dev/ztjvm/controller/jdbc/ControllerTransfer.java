package dev.ztjvm.controller.jdbc;

import dev.ztjvm.controller.ControllerJson;
import dev.ztjvm.controller.ControllerStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Copies every network and member record from one {@link ControllerStore} to another, unchanged (revisions included):
 * a {@code controller.d} directory into PostgreSQL and back. The target's copy of each record is replaced (a
 * compare-and-swap on what the target holds, retried if a running controller saves it meanwhile); records only in the
 * target stay.
 */
public final class ControllerTransfer {
  private ControllerTransfer() {}

  /** How much was copied. */
  public record Summary(int networks, int members) {}

  public static Summary copy(ControllerStore from, ControllerStore to) throws IOException {
    int networks = 0;
    int members = 0;
    for (long nwid : from.networkIds()) {
      Optional<Map<String, Object>> network = from.network(nwid);
      if (network.isEmpty()) {
        continue; // deleted while we copied
      }
      Map<String, Object> n = network.get();
      replace(to.network(nwid), n, r -> to.saveNetwork(nwid, n, r), "network " + nwid);
      networks++;
      for (long address : from.memberAddresses(nwid)) {
        Optional<Map<String, Object>> member = from.member(nwid, address);
        if (member.isPresent()) {
          Map<String, Object> m = member.get();
          replace(to.member(nwid, address), m, r -> to.saveMember(nwid, address, m, r),
              "member " + address + " of " + nwid);
          members++;
        }
      }
    }
    return new Summary(networks, members);
  }

  /** A compare-and-swap save given the expected revision. */
  private interface Save {
    boolean save(long expectedRevision) throws IOException;
  }

  /**
   * Saves {@code record} over what the target holds. Over an existing record of the same or a higher revision the
   * copy gets the next revision (a record's revision only goes up: controllers push by it).
   */
  private static void replace(Optional<Map<String, Object>> current, Map<String, Object> record, Save save,
      String what) throws IOException {
    long expected = current.map(r -> ControllerJson.num(r, "revision", 0)).orElse(ControllerStore.ABSENT);
    if (expected != ControllerStore.ABSENT && ControllerJson.num(record, "revision", 0) <= expected) {
      record.put("revision", expected + 1);
    }
    if (!save.save(expected)) {
      throw new IOException(what + " changed while it was copied; run the copy again");
    }
  }
}
