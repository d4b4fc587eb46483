package dev.ztjvm.controller.jdbc;

import dev.ztjvm.controller.ControllerStore;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;

/**
 * Copies every network and member record from one {@link ControllerStore} to another, unchanged (revisions included):
 * a {@code controller.d} directory into PostgreSQL and back. Records are written with the unconditional saves, so the
 * target's copy of each record is replaced; records only in the target stay.
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
      to.saveNetwork(nwid, network.get());
      networks++;
      for (long address : from.memberAddresses(nwid)) {
        Optional<Map<String, Object>> member = from.member(nwid, address);
        if (member.isPresent()) {
          to.saveMember(nwid, address, member.get());
          members++;
        }
      }
    }
    return new Summary(networks, members);
  }
}
