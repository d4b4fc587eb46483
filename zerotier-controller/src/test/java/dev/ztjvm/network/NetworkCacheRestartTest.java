package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.identity.IdentityStore;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.NetworkId;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node restarted with the same storage keeps its identity, re-joins, and reports the cached config. */
class NetworkCacheRestartTest {

  @TempDir Path tmp;

  @Test
  void restartedNodeKeepsIdentityRejoinsAndUsesCachedConfigWhileControllerIsDown() throws Exception {
    Path home = tmp.resolve("home");
    new IdentityStore(home).save(LoopbackPlanet.labIdentity("libzt"));
    try (Vl2Lab lab = new Vl2Lab()) {
      NetworkController controller = lab.startController(tmp.resolve("controller.d"));
      long nwid = controller.database().createNetwork(e -> e.name("cached")
          .addRoute(IpPrefix.parse("10.9.0.0/16"), null));
      Identity first = new IdentityStore(home).loadOrGenerate();
      controller.database().updateMember(nwid, first.address(),
          m -> m.authorized(true).addIp(IpPrefix.parseIp("10.9.1.2")));

      Vl2Lab.Member m1 = lab.startMember(first, "m1", NetworkOptions.withStorage(home));
      m1.manager.join(nwid);
      await("ok", () -> m1.info(nwid).status() == NetworkStatus.OK);
      NetworkInfo before = m1.info(nwid);
      assertThat(before.fromCache()).isFalse();
      assertThat(before.addresses()).containsExactly(IpPrefix.parse("10.9.1.2/16"));
      Path conf = home.resolve("networks.d").resolve(NetworkId.toString(nwid) + ".conf");
      assertThat(conf).exists();
      NetworkConfig onDisk = NetworkConfig.parse(Files.readAllBytes(conf));
      assertThat(onDisk.name()).isEqualTo("cached");
      assertThat(onDisk.issuedTo()).isEqualTo(first.address());
      lab.stop(m1);
      controller.close();
      controller.database().store(); // the controller is down from here on

      Identity second = new IdentityStore(home).loadOrGenerate();
      assertThat(second.address()).isEqualTo(first.address());
      assertThat(second.toSecretString()).isEqualTo(first.toSecretString());
      Vl2Lab.Member m2 = lab.startMember(second, "m2", NetworkOptions.withStorage(home));
      assertThat(m2.manager.networkIds()).containsExactly(nwid);
      NetworkInfo after = m2.info(nwid);
      assertThat(after.status()).isEqualTo(NetworkStatus.OK);
      assertThat(after.fromCache()).isTrue();
      assertThat(after.name()).isEqualTo("cached");
      assertThat(after.addresses()).isEqualTo(before.addresses());
      assertThat(after.revision()).isEqualTo(before.revision());

      // leaving removes the cache entry; a cache-less manager re-joins nothing
      m2.manager.leave(nwid);
      assertThat(conf).doesNotExist();
    }
  }

  @Test
  void cacheToggleOffWritesNothing() throws Exception {
    Path home = tmp.resolve("home2");
    try (Vl2Lab lab = new Vl2Lab()) {
      Vl2Lab.Member m = lab.startMember(LoopbackPlanet.labIdentity("member1"), "m",
          NetworkOptions.withStorage(home).withCacheNetworks(false));
      long adhoc = NetworkId.parse("ff1f401f41000000");
      m.manager.join(adhoc);
      m.manager.join(0x1234567890000001L);
      assertThat(home.resolve("networks.d")).doesNotExist();
    }
  }
}
