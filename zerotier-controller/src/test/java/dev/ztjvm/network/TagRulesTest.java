package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NetworkConfig;
import dev.ztjvm.vl2.Rule;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Member tags set in the controller's JSON are issued, signed, exchanged and used by the rules of every member. */
class TagRulesTest {

  @TempDir Path tmp;

  @Test
  void onlySendersWithTheRightTagGetThrough() throws Exception {
    try (Vl2Lab lab = new Vl2Lab()) {
      ControllerDatabase db = lab.startController(tmp.resolve("controller.d")).database();
      Vl2Lab.Member a = lab.startMember("member1", "a");
      Vl2Lab.Member b = lab.startMember("member2", "b");
      Vl2Lab.Member c = lab.startMember("libzt", "c");
      // accept frames whose sender holds tag 1 = 42, or ARP; drop the rest
      long nwid = db.createNetwork(e -> e.name("tags").addRoute(IpPrefix.parse("10.8.0.0/16"), null)
          .rules(List.of(Rule.matchTag(Rule.MATCH_TAG_SENDER, 1, 42), Rule.accept(), Rule.drop())));
      db.updateMember(nwid, a.address(), e -> e.authorized(true).addIp(ip(1)).tag(1, 42));
      db.updateMember(nwid, b.address(), e -> e.authorized(true).addIp(ip(2)).tag(1, 42));
      db.updateMember(nwid, c.address(), e -> e.authorized(true).addIp(ip(3)).tag(1, 7));
      VirtualTap tapA = a.joinCapturing(nwid);
      VirtualTap tapB = b.joinCapturing(nwid);
      VirtualTap tapC = c.joinCapturing(nwid);
      for (Vl2Lab.Member m : List.of(a, b, c)) {
        await("configured", () -> m.info(nwid).status() == NetworkStatus.OK);
      }
      NetworkConfig ca = a.manager.config(nwid);
      assertThat(ca.tags()).hasSize(1);
      assertThat(ca.tags().get(0).id()).isEqualTo(1);
      assertThat(ca.tags().get(0).value()).isEqualTo(42);
      assertThat(c.manager.config(nwid).tags().get(0).value()).isEqualTo(7);

      byte[] fromA = TestFrames.udp(tapA.mac(), tapB.mac(), ip(1), ip(2), 1, 2, new byte[] {1});
      tapA.sendFrame(fromA, 0, fromA.length);
      assertThat(b.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(fromA);

      long droppedAtC = tapC.framesDropped();
      byte[] fromC = TestFrames.udp(tapC.mac(), tapB.mac(), ip(3), ip(2), 1, 2, new byte[] {2});
      tapC.sendFrame(fromC, 0, fromC.length);
      await("c's frame dropped by its own outbound rules", () -> tapC.framesDropped() > droppedAtC);
      // and B still answers A (its own tag is 42)
      byte[] fromB = TestFrames.udp(tapB.mac(), tapA.mac(), ip(2), ip(1), 2, 1, new byte[] {3});
      tapB.sendFrame(fromB, 0, fromB.length);
      assertThat(a.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(fromB);
      assertThat(b.frames).isEmpty();
    }
  }

  private static InetAddress ip(int last) {
    return IpPrefix.parseIp("10.8.0." + last);
  }
}
