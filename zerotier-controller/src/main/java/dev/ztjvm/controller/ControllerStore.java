package dev.ztjvm.controller;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a controller keeps its network and member records, as JSON objects shaped like zerotier-one's (spec 9.1).
 * {@link FileControllerStore} is the {@code controller.d} layout; a database can implement this later.
 * Implementations must be thread-safe.
 */
public interface ControllerStore {

  /** A record that changed outside this process (another process edited the store). */
  record Change(long networkId, long memberAddress) {
    /** True for a network record (member address 0). */
    public boolean isNetwork() {
      return memberAddress == 0;
    }
  }

  List<Long> networkIds() throws IOException;

  Optional<Map<String, Object>> network(long networkId) throws IOException;

  void saveNetwork(long networkId, Map<String, Object> network) throws IOException;

  /** Deletes a network and its members; false if it did not exist. */
  boolean deleteNetwork(long networkId) throws IOException;

  List<Long> memberAddresses(long networkId) throws IOException;

  Optional<Map<String, Object>> member(long networkId, long address) throws IOException;

  void saveMember(long networkId, long address, Map<String, Object> member) throws IOException;

  boolean deleteMember(long networkId, long address) throws IOException;

  /**
   * Records changed by someone else since the last call (the first call establishes the baseline and returns
   * nothing). Saves made through this store are not reported.
   */
  Set<Change> pollExternalChanges() throws IOException;
}
