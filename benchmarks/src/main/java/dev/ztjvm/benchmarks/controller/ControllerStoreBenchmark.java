package dev.ztjvm.benchmarks.controller;

import com.zaxxer.hikari.HikariDataSource;
import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.ControllerStore;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.controller.jdbc.PostgresControllerStore;
import dev.ztjvm.controller.jdbc.PostgresServer;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.network.NetworkInfo;
import dev.ztjvm.network.NetworkManager;
import dev.ztjvm.network.NetworkOptions;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.runtime.EventLoop;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Rule;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One network with {@code members} authorized member records (10,000 by default), {@code live} of them real member
 * nodes on loopback, served by one controller node with the file store ({@code controller.d}) and then with the
 * PostgreSQL store (a private server started like the tests start theirs). Records, per store: the time to create the
 * records, the config-request latency seen by the live members (p50/p99 over {@code rounds} requests each), and the
 * time for a rule change to reach every live member, made through the serving controller's own database and made by
 * another writer (file: a second process's edit, noticed by the controller's 1-second poll; PostgreSQL: another
 * controller instance, announced by NOTIFY). Run:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.ztjvm.benchmarks.controller.ControllerStoreBenchmark
 * [members] [live] [rounds]}.
 */
public final class ControllerStoreBenchmark {
  private static final InetAddress LO = InetAddress.getLoopbackAddress();
  private static final PhysicalPathPolicy LOOPBACK_OK = PhysicalPathPolicy.DEFAULT.withAllowLoopback(true);
  private static final int CHANGES = 5;

  private ControllerStoreBenchmark() {}

  /** What one store gives. */
  record Result(String store, double populateSeconds, double p50Millis, double p99Millis, int samples,
      double ownChangeMillis, double ownChangeMaxMillis, double otherChangeMillis, double otherChangeMaxMillis) {}

  /** Opens the serving store and, on the same data, the store of "another writer". */
  interface Stores extends AutoCloseable {
    ControllerStore serving() throws Exception;

    ControllerStore other() throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int members = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int live = args.length > 1 ? Integer.parseInt(args[1]) : 20;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    System.out.printf("%d member records, %d live members, %d config requests per live member%n", members, live,
        rounds);
    Identity controllerId = Identity.generate();
    List<Identity> liveIds = new ArrayList<>();
    for (int i = 0; i < live; i++) {
      liveIds.add(Identity.generate());
    }
    List<Result> results = new ArrayList<>();
    Path dir = Files.createTempDirectory("zt-bench-controller-");
    results.add(run("file", new Stores() {
      @Override
      public ControllerStore serving() {
        return new FileControllerStore(dir.resolve("controller.d"));
      }

      @Override
      public ControllerStore other() {
        return new FileControllerStore(dir.resolve("controller.d"));
      }

      @Override
      public void close() {}
    }, controllerId, liveIds, members, rounds));
    PostgresServer pg = PostgresServer.shared();
    HikariDataSource ds = pg.newDatabase("bench");
    results.add(run("postgresql", new Stores() {
      final List<PostgresControllerStore> opened = new ArrayList<>();

      @Override
      public ControllerStore serving() throws Exception {
        return open("serving");
      }

      @Override
      public ControllerStore other() throws Exception {
        return open("other");
      }

      private ControllerStore open(String name) throws Exception {
        PostgresControllerStore s = PostgresControllerStore.open(ds,
            PostgresControllerStore.Options.defaults().withInstanceId(name));
        opened.add(s);
        return s;
      }

      @Override
      public void close() {
        opened.forEach(PostgresControllerStore::close);
        ds.close();
      }
    }, controllerId, liveIds, members, rounds));

    System.out.println();
    System.out.println("| store | create records | config request p50 | p99 | samples | rule change, same instance"
        + " (median / max) | rule change, other writer (median / max) |");
    System.out.println("|---|---|---|---|---|---|---|");
    for (Result r : results) {
      System.out.printf("| %s | %.1f s | %.1f ms | %.1f ms | %d | %.0f / %.0f ms | %.0f / %.0f ms |%n", r.store(),
          r.populateSeconds(), r.p50Millis(), r.p99Millis(), r.samples(), r.ownChangeMillis(),
          r.ownChangeMaxMillis(), r.otherChangeMillis(), r.otherChangeMaxMillis());
    }
    System.exit(0); // the private PostgreSQL server is stopped by its shutdown hook
  }

  private static Result run(String label, Stores stores, Identity controllerId, List<Identity> liveIds, int members,
      int rounds) throws Exception {
    System.out.println("== " + label);
    List<AutoCloseable> closeables = new ArrayList<>();
    try (LocalZeroTier roots = LocalZeroTier.start(); stores) {
      World planet = roots.planet();
      Vl1Node controllerNode = node(controllerId, planet, "controller-" + label, closeables);
      ControllerDatabase db = new ControllerDatabase(stores.serving(), controllerId.address());
      NetworkController controller = new NetworkController(controllerNode, db);
      closeables.add(controller);
      controller.start();
      InetAddress first = InetAddress.getByName("10.80.0.1");
      InetAddress last = InetAddress.getByName("10.80.255.254");
      long nwid = db.createNetwork(e -> e.name("bench").addRoute(IpPrefix.parse("10.80.0.0/16"), null)
          .addPool(first, last).v4AutoAssign(true));

      long t0 = System.nanoTime();
      int records = members - liveIds.size();
      for (int i = 0; i < records; i++) {
        InetAddress ip = ip(10_000 + i);
        db.updateMember(nwid, 0x2000000000L + i, e -> e.authorized(true).addIp(ip));
      }
      for (int i = 0; i < liveIds.size(); i++) {
        InetAddress ip = ip(i + 2);
        db.updateMember(nwid, liveIds.get(i).address(), e -> e.authorized(true).addIp(ip));
      }
      double populate = (System.nanoTime() - t0) / 1e9;
      System.out.printf("created %d member records in %.1f s%n", members, populate);

      List<NetworkManager> managers = new ArrayList<>();
      for (Identity id : liveIds) {
        NetworkManager m = new NetworkManager(node(id, planet, "member-" + id.addressString(), closeables),
            NetworkOptions.inMemory());
        closeables.add(m);
        m.start();
        m.join(nwid);
        managers.add(m);
      }
      await("live members configured", 300, () -> managers.stream().allMatch(
          m -> m.network(nwid) != null && m.network(nwid).status() == NetworkStatus.OK));

      // config requests, each member at most once a second (the controller's rate limit)
      Thread.sleep(1_200); // past the rate limit of the members' first requests
      double[] latencies = new double[rounds * managers.size()];
      int n = 0;
      int resent = 0;
      for (int r = 0; r < rounds; r++) {
        long roundStart = System.nanoTime();
        for (NetworkManager m : managers) {
          long before = m.network(nwid).configTimestamp();
          long s = System.nanoTime();
          m.refresh(nwid);
          // a request right after the member's own periodic one is dropped by the controller's rate limit: ask again,
          // and leave that sample out (it measures the rate limit, not the controller)
          boolean firstTry = true;
          while (!answered(m, nwid, before, 2)) {
            resent++;
            firstTry = false;
            m.refresh(nwid);
          }
          if (firstTry) {
            latencies[n++] = (System.nanoTime() - s) / 1e6;
          }
        }
        long spent = (System.nanoTime() - roundStart) / 1_000_000;
        if (spent < 1_100) {
          Thread.sleep(1_100 - spent);
        }
      }
      latencies = Arrays.copyOf(latencies, n);
      Arrays.sort(latencies);
      double p50 = latencies[latencies.length / 2];
      double p99 = latencies[Math.min(latencies.length - 1, (int) Math.ceil(latencies.length * 0.99) - 1)];
      System.out.printf("config request latency p50 %.1f ms, p99 %.1f ms (%d samples, %d requests sent again)%n", p50,
          p99, n, resent);

      double[] own = propagate(db, nwid, managers, 0);
      ControllerDatabase other = new ControllerDatabase(stores.other(), controllerId.address());
      double[] others = propagate(other, nwid, managers, 1);
      System.out.printf("rule change to all %d live members: same instance median %.0f ms (max %.0f), other writer"
          + " median %.0f ms (max %.0f)%n", managers.size(), own[0], own[1], others[0], others[1]);
      return new Result(label, populate, p50, p99, n, own[0], own[1], others[0], others[1]);
    } finally {
      for (int i = closeables.size() - 1; i >= 0; i--) {
        closeables.get(i).close();
      }
    }
  }

  /** Changes the rules {@link #CHANGES} times through {@code db}; median and max time until all members have it. */
  private static double[] propagate(ControllerDatabase db, long nwid, List<NetworkManager> managers, int salt)
      throws Exception {
    double[] times = new double[CHANGES];
    for (int c = 0; c < CHANGES; c++) {
      int vlan = 1 + salt * 100 + c;
      long s = System.nanoTime();
      db.updateNetwork(nwid, e -> e.rules(List.of(Rule.matchVlanId(vlan), Rule.drop(), Rule.accept())));
      long revision = (Long) db.network(nwid).orElseThrow().get("revision");
      await("rule change reached every member", 60, () -> managers.stream().allMatch(m -> {
        NetworkInfo i = m.network(nwid);
        return i != null && i.revision() >= revision;
      }));
      times[c] = (System.nanoTime() - s) / 1e6;
      Thread.sleep(300);
    }
    double[] sorted = times.clone();
    Arrays.sort(sorted);
    return new double[] {sorted[CHANGES / 2], sorted[CHANGES - 1]};
  }

  private static InetAddress ip(int index) throws Exception {
    return InetAddress.getByAddress(new byte[] {10, 80, (byte) (index >>> 8), (byte) index});
  }

  private static Vl1Node node(Identity id, World planet, String name, List<AutoCloseable> closeables)
      throws Exception {
    EventLoop loop = new EventLoop(name).start();
    closeables.add(loop);
    Vl1Node node = new Vl1Node(Vl1Config.of(id, planet, UnderlayConfig.bind(LO, 0)).withPathPolicy(LOOPBACK_OK), loop);
    closeables.add(node);
    node.startOnLoop().get(30, TimeUnit.SECONDS);
    return node;
  }

  /** Whether the member got a new config within {@code seconds}. */
  private static boolean answered(NetworkManager m, long nwid, long before, int seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (m.network(nwid).configTimestamp() == before) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(0, 200_000);
    }
    return true;
  }

  private static void await(String what, int seconds, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out: " + what);
      }
      Thread.sleep(0, 200_000);
    }
  }
}
