package dev.ztjvm.controller;

import dev.ztjvm.identity.Address;
import dev.ztjvm.vl2.NetworkId;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The controller's Java API for creating and editing networks and members, over a {@link ControllerStore}. Fills in
 * zerotier-one's defaults, keeps revision counters (a save that changes anything but {@code revision} bumps it), and
 * tells listeners (the running {@link NetworkController}) which records changed. Thread-safe. Usable without a running
 * controller (the command line edits a data directory this way; a controller running on it notices).
 */
public final class ControllerDatabase {

  private final ControllerStore store;
  private final long controllerAddress;
  private final SecureRandom random = new SecureRandom();
  private final List<Consumer<ControllerStore.Change>> listeners = new CopyOnWriteArrayList<>();

  /** Compare-and-swap attempts before an edit gives up (only a store without an exclusive lock ever retries). */
  private static final int MAX_ATTEMPTS = 100;

  /**
   * Records listed in ascending order, and the ones that could not be read (each message names its record; the
   * listing goes on without them).
   */
  public record Listing(Map<Long, Map<String, Object>> records, List<String> unreadable) {
    public Listing {
      records = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(records));
      unreadable = List.copyOf(unreadable);
    }
  }

  /** @param controllerAddress the controller's ZeroTier address (top 40 bits of its network IDs) */
  public ControllerDatabase(ControllerStore store, long controllerAddress) {
    this.store = Objects.requireNonNull(store, "store");
    this.controllerAddress = controllerAddress;
  }

  public ControllerStore store() {
    return store;
  }

  public long controllerAddress() {
    return controllerAddress;
  }

  /** Called after every save made through this database (on the saving thread). */
  public void addListener(Consumer<ControllerStore.Change> l) {
    listeners.add(l);
  }

  // ------------------------------------------------------------------------------------------------ networks

  /**
   * Creates a network with a random non-zero 24-bit suffix (as 1.x does) and the default fields, then applies {@code
   * edit}. Returns the new network ID.
   */
  public synchronized long createNetwork(Consumer<NetworkEditor> edit) throws IOException {
    long nwid;
    do {
      long suffix = random.nextInt(1 << 24);
      nwid = (controllerAddress << 24) | suffix;
    } while ((nwid & 0xffffff) == 0 || store.network(nwid).isPresent());
    return createNetwork(nwid, edit);
  }

  /** Creates a network with a given ID (which must belong to this controller). */
  public synchronized long createNetwork(long nwid, Consumer<NetworkEditor> edit) throws IOException {
    if (NetworkId.controllerAddress(nwid) != controllerAddress) {
      throw new IllegalArgumentException("network " + NetworkId.toString(nwid) + " does not belong to controller "
          + Address.toString(controllerAddress));
    }
    return store.locked(() -> {
      if (store.network(nwid).isPresent()) {
        throw new IllegalArgumentException("network " + NetworkId.toString(nwid) + " exists");
      }
      Map<String, Object> n = defaultNetwork(nwid, System.currentTimeMillis());
      edit.accept(new NetworkEditor(n));
      RuleSchema.checkNetwork(n, Map.of());
      n.put("revision", 1L);
      if (!store.saveNetwork(nwid, n, ControllerStore.ABSENT)) {
        throw new IllegalArgumentException("network " + NetworkId.toString(nwid) + " exists");
      }
      fire(new ControllerStore.Change(nwid, 0));
      return nwid;
    });
  }

  static Map<String, Object> defaultNetwork(long nwid, long now) {
    Map<String, Object> n = new LinkedHashMap<>();
    String id = NetworkId.toString(nwid);
    n.put("id", id);
    n.put("nwid", id);
    n.put("objtype", "network");
    n.put("name", "");
    n.put("private", true);
    n.put("creationTime", now);
    n.put("revision", 0L);
    n.put("multicastLimit", 32L);
    n.put("enableBroadcast", true);
    n.put("mtu", 2800L);
    Map<String, Object> v4 = new LinkedHashMap<>();
    v4.put("zt", false);
    n.put("v4AssignMode", v4);
    Map<String, Object> v6 = new LinkedHashMap<>();
    v6.put("rfc4193", false);
    v6.put("zt", false);
    v6.put("6plane", false);
    n.put("v6AssignMode", v6);
    n.put("ipAssignmentPools", new ArrayList<>());
    n.put("routes", new ArrayList<>());
    Map<String, Object> accept = new LinkedHashMap<>();
    accept.put("type", "ACTION_ACCEPT");
    accept.put("not", false);
    accept.put("or", false);
    n.put("rules", new ArrayList<>(List.of(accept)));
    n.put("rulesSource", "");
    n.put("capabilities", new ArrayList<>());
    n.put("tags", new ArrayList<>());
    n.put("authTokens", new ArrayList<>(List.of(ControllerJson.NULL)));
    n.put("dns", new ArrayList<>());
    n.put("remoteTraceTarget", ControllerJson.NULL);
    n.put("remoteTraceLevel", 0L);
    n.put("ssoEnabled", false);
    n.put("clientId", "");
    n.put("authorizationEndpoint", "");
    return n;
  }

  /**
   * Edits a network; saves (and bumps its revision) only if something changed. The read, the edit and the save are
   * one step under the store's lock, and the save is a compare-and-swap on the revision read (retried on a conflict).
   *
   * @throws IllegalArgumentException if there is no such network, or the edit leaves rules, capabilities or tags that
   *     do not follow the rule schema ({@link RuleSchema})
   */
  public synchronized void updateNetwork(long nwid, Consumer<NetworkEditor> edit) throws IOException {
    store.locked(() -> {
      for (int attempt = 0;; attempt++) {
        Map<String, Object> n = store.network(nwid).orElseThrow(
            () -> new IllegalArgumentException("no network " + NetworkId.toString(nwid)));
        Map<String, Object> before = ControllerJson.copy(n);
        edit.accept(new NetworkEditor(n));
        if (!changed(before, n)) {
          return null;
        }
        RuleSchema.checkNetwork(n, before);
        long revision = ControllerJson.num(before, "revision", 0);
        n.put("revision", revision + 1);
        if (store.saveNetwork(nwid, n, revision)) {
          fire(new ControllerStore.Change(nwid, 0));
          return null;
        }
        checkAttempts(attempt, "network " + NetworkId.toString(nwid));
      }
    });
  }

  /** A save that keeps losing its compare-and-swap means a store without a lock under heavy contention. */
  private static void checkAttempts(int attempt, String what) throws IOException {
    if (attempt >= MAX_ATTEMPTS) {
      throw new IOException(what + " kept changing while being saved (" + MAX_ATTEMPTS + " attempts)");
    }
  }

  public synchronized boolean deleteNetwork(long nwid) throws IOException {
    boolean r = store.deleteNetwork(nwid);
    if (r) {
      fire(new ControllerStore.Change(nwid, 0));
    }
    return r;
  }

  public synchronized List<Long> networkIds() throws IOException {
    return store.networkIds();
  }

  /** Every readable network record; unreadable ones are skipped and named. */
  public synchronized Listing networks() throws IOException {
    Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (long id : store.networkIds()) {
      try {
        store.network(id).ifPresent(n -> out.put(id, n));
      } catch (UnreadableRecordException e) {
        unreadable.add(e.getMessage());
      }
    }
    return new Listing(out, unreadable);
  }

  /** Every readable member record of a network; unreadable ones are skipped and named. */
  public synchronized Listing members(long nwid) throws IOException {
    Map<Long, Map<String, Object>> out = new LinkedHashMap<>();
    List<String> unreadable = new ArrayList<>();
    for (long a : store.memberAddresses(nwid)) {
      try {
        store.member(nwid, a).ifPresent(m -> out.put(a, m));
      } catch (UnreadableRecordException e) {
        unreadable.add(e.getMessage());
      }
    }
    return new Listing(out, unreadable);
  }

  /**
   * Runs {@code action} as one step against other writers of the store (this database's monitor, then the store's
   * lock): the controller decides a member's config this way, so that an authorization saved meanwhile is not lost.
   */
  synchronized <T> T locked(ControllerStore.LockedAction<T> action) throws IOException {
    return store.locked(action);
  }

  /** A copy of a network record. */
  public synchronized Optional<Map<String, Object>> network(long nwid) throws IOException {
    return store.network(nwid);
  }

  // ------------------------------------------------------------------------------------------------ members

  /**
   * Edits a member, creating it with defaults if absent (the network must exist). Read, edit and save are one step
   * under the store's lock; the save is a compare-and-swap on the revision read.
   */
  public synchronized void updateMember(long nwid, long address, Consumer<MemberEditor> edit) throws IOException {
    store.locked(() -> {
      if (store.network(nwid).isEmpty()) {
        throw new IllegalArgumentException("no network " + NetworkId.toString(nwid));
      }
      for (int attempt = 0;; attempt++) {
        long now = System.currentTimeMillis();
        Optional<Map<String, Object>> existing = store.member(nwid, address);
        Map<String, Object> m = existing.orElseGet(() -> defaultMember(nwid, address, now));
        Map<String, Object> before = existing.isPresent() ? ControllerJson.copy(m) : Map.of();
        edit.accept(new MemberEditor(m, now));
        if (existing.isPresent() && !changed(before, m)) {
          return null;
        }
        long revision = existing.isPresent() ? ControllerJson.num(before, "revision", 0) : ControllerStore.ABSENT;
        m.put("revision", (existing.isPresent() ? revision : 0) + 1);
        if (store.saveMember(nwid, address, m, revision)) {
          fire(new ControllerStore.Change(nwid, address));
          return null;
        }
        checkAttempts(attempt, "member " + Address.toString(address));
      }
    });
  }

  /** Authorizes (or de-authorizes) a member. */
  public void authorize(long nwid, long address, boolean authorized) throws IOException {
    updateMember(nwid, address, e -> e.authorized(authorized));
  }

  public synchronized boolean deleteMember(long nwid, long address) throws IOException {
    boolean r = store.deleteMember(nwid, address);
    if (r) {
      fire(new ControllerStore.Change(nwid, address));
    }
    return r;
  }

  public synchronized Optional<Map<String, Object>> member(long nwid, long address) throws IOException {
    return store.member(nwid, address);
  }

  public synchronized List<Long> memberAddresses(long nwid) throws IOException {
    return store.memberAddresses(nwid);
  }

  /**
   * Saves a member record as the controller updated it while answering a request (no listener call). Called inside
   * {@link #locked} after reading {@code before} there, so the compare-and-swap only fails if a store has no lock.
   *
   * @throws IOException if the record changed since it was read
   */
  synchronized void saveMemberQuietly(long nwid, long address, Map<String, Object> m, Map<String, Object> before)
      throws IOException {
    if (changed(before, m)) {
      long revision = before.isEmpty() ? ControllerStore.ABSENT : ControllerJson.num(before, "revision", 0);
      m.put("revision", (revision == ControllerStore.ABSENT ? 0 : revision) + 1);
      if (!store.saveMember(nwid, address, m, revision)) {
        throw new IOException("member " + Address.toString(address) + " changed while its config was decided");
      }
    }
  }

  static Map<String, Object> defaultMember(long nwid, long address, long now) {
    Map<String, Object> m = new LinkedHashMap<>();
    String a = Address.toString(address);
    m.put("id", a);
    m.put("address", a);
    m.put("nwid", NetworkId.toString(nwid));
    m.put("objtype", "member");
    m.put("authorized", false);
    m.put("activeBridge", false);
    m.put("noAutoAssignIps", false);
    m.put("ipAssignments", new ArrayList<>());
    m.put("tags", new ArrayList<>());
    m.put("capabilities", new ArrayList<>());
    m.put("creationTime", now);
    m.put("revision", 0L);
    m.put("lastAuthorizedTime", 0L);
    m.put("lastDeauthorizedTime", 0L);
    m.put("lastAuthorizedCredentialType", ControllerJson.NULL);
    m.put("lastAuthorizedCredential", ControllerJson.NULL);
    m.put("authenticationExpiryTime", 0L);
    m.put("ssoExempt", false);
    m.put("vMajor", -1L);
    m.put("vMinor", -1L);
    m.put("vRev", -1L);
    m.put("vProto", -1L);
    m.put("remoteTraceTarget", ControllerJson.NULL);
    m.put("remoteTraceLevel", 0L);
    return m;
  }

  private static boolean changed(Map<String, Object> before, Map<String, Object> after) {
    Map<String, Object> a = new LinkedHashMap<>(before);
    Map<String, Object> b = new LinkedHashMap<>(after);
    a.remove("revision");
    b.remove("revision");
    return !ControllerJson.write(a).equals(ControllerJson.write(b));
  }

  private void fire(ControllerStore.Change c) {
    for (Consumer<ControllerStore.Change> l : listeners) {
      l.accept(c);
    }
  }
}
