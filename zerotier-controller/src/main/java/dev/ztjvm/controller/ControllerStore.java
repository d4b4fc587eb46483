package dev.ztjvm.controller;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a controller keeps its network and member records, as JSON objects shaped like zerotier-one's (spec 9.1).
 * {@link FileControllerStore} is the {@code controller.d} layout; {@code zerotier-controller-jdbc} keeps them in
 * PostgreSQL for several controller instances at once. Implementations must be thread-safe.
 *
 * <p>A store shared by several writers implements the conditional saves ({@link #saveNetwork(long, Map, long)},
 * {@link #saveMember(long, long, Map, long)}), {@link #watch} and the session hand-over ({@link #memberRequested},
 * {@link #orphanedSessions}); their defaults describe a store with a single writer.
 */
public interface ControllerStore {

  /** A record that changed outside this process (another process edited the store). */
  record Change(long networkId, long memberAddress) {
    /** True for a network record (member address 0). */
    public boolean isNetwork() {
      return memberAddress == 0;
    }
  }

  /**
   * A conditional save found another revision than the one the caller read: someone else saved the record in between.
   * The caller reads the record again and re-applies its change.
   */
  final class RevisionConflictException extends IOException {
    private static final long serialVersionUID = 1L;

    public RevisionConflictException(String message) {
      super(message);
    }
  }

  /** What a member last asked a controller instance, so that another instance can serve it when that one stops. */
  record MemberSession(long networkId, long memberAddress, byte[] requestMetadata) {}

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
   * Saves a network only if its stored {@code revision} is still {@code expectedRevision} ({@code -1}: only if it does
   * not exist yet). The default saves unconditionally (a store with one writer).
   *
   * @throws RevisionConflictException if the stored revision differs
   */
  default void saveNetwork(long networkId, Map<String, Object> network, long expectedRevision) throws IOException {
    saveNetwork(networkId, network);
  }

  /** {@link #saveNetwork(long, Map, long)} for a member record. */
  default void saveMember(long networkId, long address, Map<String, Object> member, long expectedRevision)
      throws IOException {
    saveMember(networkId, address, member);
  }

  /**
   * Registers a callback for changes made by someone else as soon as the store learns of them (on a thread of the
   * store's) instead of at the next {@link #pollExternalChanges()}. The default never calls it.
   */
  default void watch(Consumer<Change> onChange) {}

  /**
   * A member asked this controller instance for a config ({@code requestMetadata}: its request's metadata
   * dictionary). Must not block: a store may record it later. The default forgets it.
   */
  default void memberRequested(long networkId, long memberAddress, byte[] requestMetadata) {}

  /**
   * Members whose controller instance stopped and that this instance should serve from now on (each reported once).
   * The default has none.
   */
  default List<MemberSession> orphanedSessions() throws IOException {
    return List.of();
  }

  /**
   * Records changed by someone else since the last call (the first call establishes the baseline and returns
   * nothing). Saves made through this store are not reported.
   */
  Set<Change> pollExternalChanges() throws IOException;
}
