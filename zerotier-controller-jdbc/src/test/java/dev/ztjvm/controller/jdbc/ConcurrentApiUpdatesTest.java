package dev.ztjvm.controller.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ztjvm.identity.Address;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.NetworkId;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * 1,000 API updates sent at once to two controller instances sharing one database: every one of them is in the final
 * state, and the revisions count every save exactly once.
 */
class ConcurrentApiUpdatesTest {
  static final int MEMBERS = 450;
  static final int RENAMES = 100;

  @Test
  void thousandConcurrentUpdatesAcrossTwoInstancesLoseNothing() throws Exception {
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    Identity controllerId = LoopbackPlanet.labIdentity("controller");
    try (NodeHarness nodes = new NodeHarness();
        HikariDataSource ds = PostgresServer.shared().newDatabase("concurrent")) {
      nodes.start(NodeHarness.rootConfig(rootId, planet, InetAddress.getLoopbackAddress(), rootPort), "root");
      try (ControllerInstance a = new ControllerInstance("a", controllerId, planet, ds, Duration.ofSeconds(5));
          ControllerInstance b = new ControllerInstance("b", controllerId, planet, ds, Duration.ofSeconds(5))) {
        long nwid = a.db.createNetwork(n -> n.name("start"));
        String net = "/controller/network/" + NetworkId.toString(nwid);
        NodeHarness.await("B sees the network", () -> b.store.network(nwid).isPresent(), Duration.ofSeconds(10));

        // per member: A authorizes it while B names it (both create-or-update the same record); plus renames of the
        // network through both instances, all interleaved
        List<Runnable> updates = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
          String member = net + "/member/" + Address.toString(0x1000000000L + i);
          int n = i;
          updates.add(call(() -> a.post(member, "{\"authorized\":true}")));
          updates.add(call(() -> b.post(member, "{\"name\":\"m-" + n + "\"}")));
        }
        for (int i = 0; i < RENAMES; i++) {
          ControllerInstance via = i % 2 == 0 ? a : b;
          int n = i;
          updates.add(call(() -> via.post(net, "{\"name\":\"rename-" + n + "\"}")));
        }
        assertThat(updates).hasSize(1_000);
        Collections.shuffle(updates, new java.util.Random(19));
        ExecutorService pool = Executors.newFixedThreadPool(32);
        try {
          List<Future<?>> done = new ArrayList<>();
          for (Runnable u : updates) {
            done.add(pool.submit(u));
          }
          for (Future<?> f : done) {
            f.get(); // every update answered 200
          }
        } finally {
          pool.shutdown();
        }

        PostgresControllerStore reader = freshStore(ds);
        for (PostgresControllerStore store : List.of(a.store, b.store, reader)) {
          NodeHarness.await("every update visible in " + store.options().instanceId(), () -> {
            Map<String, Object> network = store.network(nwid).orElseThrow();
            return network.get("revision").equals(1L + RENAMES) && store.memberAddresses(nwid).size() == MEMBERS;
          }, Duration.ofSeconds(20));
          for (int i = 0; i < MEMBERS; i++) {
            Map<String, Object> m = store.member(nwid, 0x1000000000L + i).orElseThrow();
            assertThat(m).as("member %d in %s", i, store.options().instanceId())
                .containsEntry("authorized", true).containsEntry("name", "m-" + i).containsEntry("revision", 2L);
          }
        }
        reader.close();
        assertThat(PostgresControllerStoreTest.columnRevision(ds, nwid)).isEqualTo(1L + RENAMES);
        assertThat(PostgresControllerStoreTest.queryString(ds,
            "SELECT count(*) FROM zt_member WHERE authorized AND revision = 2 AND record->>'name' LIKE 'm-%'"))
            .isEqualTo("" + MEMBERS);
      }
    }
  }

  private static PostgresControllerStore freshStore(HikariDataSource ds) throws Exception {
    return PostgresControllerStore.open(ds, PostgresControllerStore.Options.defaults().withInstanceId("reader"));
  }

  interface Call {
    void run() throws Exception;
  }

  private static Runnable call(Call c) {
    return () -> {
      try {
        c.run();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    };
  }
}
