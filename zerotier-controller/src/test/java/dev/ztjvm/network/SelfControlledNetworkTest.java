package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.controller.FileControllerStore;
import dev.ztjvm.controller.NetworkController;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl2.IpPrefix;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that runs the controller and is also a member of its own private network, talking to a remote member. */
class SelfControlledNetworkTest {

  @TempDir Path tmp;

  @Test
  void controllerNodeJoinsItsOwnNetworkAndExchangesArpWithAMember() throws Exception {
    try (Vl2Lab lab = new Vl2Lab()) {
      Identity ctlId = LoopbackPlanet.labIdentity("controller");
      Vl2Lab.Member ctl = lab.startMember(ctlId, "ctl", NetworkOptions.inMemory());
      ControllerDatabase db = new ControllerDatabase(new FileControllerStore(tmp), ctlId.address());
      NetworkController controller = new NetworkController(ctl.node, db);
      controller.startBehind(ctl.manager);
      long nwid = db.createNetwork(e -> e.name("own").addRoute(IpPrefix.parse("10.6.0.0/16"), null));
      db.updateMember(nwid, ctlId.address(), m -> m.authorized(true).addIp(IpPrefix.parseIp("10.6.0.1")));
      Vl2Lab.Member a = lab.startMember("member1", "a");
      db.updateMember(nwid, a.address(), m -> m.authorized(true).addIp(IpPrefix.parseIp("10.6.0.2")));

      VirtualTap tapC = ctl.joinCapturing(nwid);
      VirtualTap tapA = a.joinCapturing(nwid);
      await("controller-member ok", () -> ctl.info(nwid).status() == NetworkStatus.OK);
      await("a ok", () -> a.info(nwid).status() == NetworkStatus.OK);
      assertThat(ctl.info(nwid).addresses()).containsExactly(IpPrefix.parse("10.6.0.1/16"));
      assertThat(ctl.info(nwid).name()).isEqualTo("own");

      InetAddress ipC = IpPrefix.parseIp("10.6.0.1");
      InetAddress ipA = IpPrefix.parseIp("10.6.0.2");
      byte[] request = TestFrames.arpRequest(tapA.mac(), ipA, ipC);
      byte[] got = null;
      for (int i = 0; i < 30 && got == null; i++) {
        tapA.sendFrame(request, 0, request.length);
        got = ctl.frames.poll(500, TimeUnit.MILLISECONDS);
      }
      assertThat(got).as("ARP request reached the controller's own port").isEqualTo(request);
      byte[] reply = TestFrames.arpReply(tapC.mac(), ipC, tapA.mac(), ipA);
      tapC.sendFrame(reply, 0, reply.length);
      assertThat(a.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(reply);

      // a change of its own network reaches the controller's own membership too
      db.updateNetwork(nwid, e -> e.name("renamed"));
      await("renamed locally", () -> ctl.info(nwid).name().equals("renamed"));
      await("renamed at a", () -> a.info(nwid).name().equals("renamed"));
    }
  }
}
