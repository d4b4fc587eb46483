package dev.ztjvm.controller;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Where a controller keeps its network and member records, as JSON objects shaped like zerotier-one's (spec 9.1; the
 * plain value shapes of {@link ControllerJson}). {@link FileControllerStore} is the {@code controller.d} layout;
 * {@code zerotier-controller-jdbc} keeps them in PostgreSQL for several controller instances at once. Implementations
 * must be thread-safe.
 *
 * <p>Writers (a running controller, the command line, the HTTP API — possibly in different processes) never lose each
 * other's updates: {@link ControllerDatabase} does every read-modify-write inside {@link #locked} and saves with a
 * compare-and-swap on the record's {@code revision} ({@link #saveNetwork}, {@link #saveMember}), retrying when the
 * swap fails. A store whose data several processes share must make {@link #locked} exclusive across them, or at least
 * make the compare-and-swap atomic (then the database's retries do the rest).
 *
 * <p>A store shared by several controller instances (same identity, one set of networks) also implements {@link
 * #watch} and the session hand-over ({@link #memberRequested}, {@link #orphanedSessions}); their defaults describe a
 * store one controller serves alone.
 */
public interface ControllerStore {

  /** The expected revision meaning "the record must not exist yet" (creating it). */
  long ABSENT = -1;

  /** A record that changed outside this process (another process edited the store). */
  record Change(long networkId, long memberAddress) {
    /** True for a network record (member address 0). */
    public boolean isNetwork() {
      return memberAddress == 0;
    }
  }

  /** What a member last asked a controller instance, so that another instance can serve it when that one stops. */
  record MemberSession(long networkId, long memberAddress, byte[] requestMetadata) {}

  /** Work done while holding the store's writer lock. */
  @FunctionalInterface
  interface LockedAction<T> {
    T run() throws IOException;
  }

  List<Long> networkIds() throws IOException;

  /**
   * The network record, or empty if there is none.
   *
   * @throws UnreadableRecordException if the record exists but cannot be read as a JSON object
   */
  Optional<Map<String, Object>> network(long networkId) throws IOException;

  /**
   * Saves a network record if the stored one's {@code revision} is {@code expectedRevision} ({@link #ABSENT}: if
   * there is none), atomically with that check.
   *
   * @return false, saving nothing, when the stored revision is not the expected one (someone else saved first)
   */
  boolean saveNetwork(long networkId, Map<String, Object> network, long expectedRevision) throws IOException;

  /** Deletes a network and its members; false if it did not exist. */
  boolean deleteNetwork(long networkId) throws IOException;

  List<Long> memberAddresses(long networkId) throws IOException;

  /**
   * The member record, or empty if there is none.
   *
   * @throws UnreadableRecordException if the record exists but cannot be read as a JSON object
   */
  Optional<Map<String, Object>> member(long networkId, long address) throws IOException;

  /** Saves a member record with a compare-and-swap on its revision, like {@link #saveNetwork}. */
  boolean saveMember(long networkId, long address, Map<String, Object> member, long expectedRevision)
      throws IOException;

  boolean deleteMember(long networkId, long address) throws IOException;

  /**
   * Runs {@code action} holding the store's writer lock: exclusive among the threads and processes that use the same
   * data, reentrant for the holder. The default holds nothing (then the compare-and-swap alone keeps updates).
   */
  default <T> T locked(LockedAction<T> action) throws IOException {
    return action.run();
  }

  /**
   * Records changed by someone else since the last call (the first call establishes the baseline and returns
   * nothing). Saves made through this store are not reported.
   */
  Set<Change> pollExternalChanges() throws IOException;

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
}
