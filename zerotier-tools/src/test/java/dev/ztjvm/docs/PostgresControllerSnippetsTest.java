package dev.ztjvm.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.jdbc.PostgresController;
import dev.ztjvm.controller.jdbc.PostgresServer;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.node.NodeHarness;
import dev.ztjvm.node.Vl1Config;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.world.World;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Runs the page's plain-Java instance twice with one identity on one database: both serve the same networks. */
class PostgresControllerSnippetsTest {

  @Test
  void twoInstancesFromTheSnippetShareTheirNetworks() throws Exception {
    PostgresServer pg = PostgresServer.shared();
    String url = pg.url(pg.createDatabase("snippet"));
    Identity rootId = LoopbackPlanet.labIdentity("root");
    int rootPort = LoopbackPlanet.freeUdpPort();
    World planet = LoopbackPlanet.withRoot(rootId, rootPort);
    Identity controller = LoopbackPlanet.labIdentity("controller");
    Vl1Config config = Vl1Config.of(controller, planet, UnderlayConfig.bind(InetAddress.getLoopbackAddress(), 0))
        .withPathPolicy(NodeHarness.LOOPBACK_OK);
    try (PostgresController a = PostgresControllerSnippets.instance(config, url, pg.user());
        PostgresController b = PostgresControllerSnippets.instance(config, url, pg.user())) {
      assertThat(a.udpEndpoint().getPort()).isNotEqualTo(b.udpEndpoint().getPort());
      NodeHarness.await("each instance sees both networks", () -> a.database().networkIds().size() == 2
          && b.database().networkIds().size() == 2, Duration.ofSeconds(10));
      for (long nwid : a.database().networkIds()) {
        Map<String, Object> n = b.database().network(nwid).orElseThrow();
        assertThat(n).containsEntry("name", "shared");
      }
    }
  }
}
