package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Rule;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TEE and REDIRECT rules move frames between three real members; a multicast limit of 0 stops broadcasts. */
class RuleActionsTest {

  @TempDir Path tmp;

  @Test
  void teeCopiesAndRedirectDivertsFramesAndMulticastLimitZeroStopsBroadcast() throws Exception {
    try (Vl2Lab lab = new Vl2Lab()) {
      ControllerDatabase db = lab.startController(tmp.resolve("controller.d")).database();
      Vl2Lab.Member a = lab.startMember("member1", "a");
      Vl2Lab.Member b = lab.startMember("member2", "b");
      Vl2Lab.Member c = lab.startMember("libzt", "c");
      long nwid = db.createNetwork(e -> e.name("rules").addRoute(IpPrefix.parse("10.7.0.0/16"), null)
          .rules(List.of(Rule.tee(c.address(), 0, 0), Rule.accept())));
      int i = 1;
      for (Vl2Lab.Member m : List.of(a, b, c)) {
        InetAddress ip = IpPrefix.parseIp("10.7.0." + i++);
        db.updateMember(nwid, m.address(), e -> e.authorized(true).addIp(ip));
      }
      VirtualTap tapA = a.joinCapturing(nwid);
      VirtualTap tapB = b.joinCapturing(nwid);
      c.joinCapturing(nwid);
      for (Vl2Lab.Member m : List.of(a, b, c)) {
        await("configured", () -> m.info(nwid).status() == NetworkStatus.OK);
      }
      InetAddress ipA = IpPrefix.parseIp("10.7.0.1");
      InetAddress ipB = IpPrefix.parseIp("10.7.0.2");

      // TEE: B gets the frame, C gets a copy still addressed to B
      byte[] f = TestFrames.udp(tapA.mac(), tapB.mac(), ipA, ipB, 1000, 2000, new byte[] {1, 2, 3, 4});
      tapA.sendFrame(f, 0, f.length);
      assertThat(b.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(f);
      byte[] copy = c.frames.poll(10, TimeUnit.SECONDS);
      assertThat(copy).as("TEE copy at C").isEqualTo(f);
      assertThat(c.node.counters().packetsIn(Verb.EXT_FRAME)).isPositive();

      // REDIRECT to C: B no longer gets A's frames, C does
      db.updateNetwork(nwid, e -> e.rules(List.of(Rule.matchSourceAddress(a.address()), Rule.redirect(c.address(), 0),
          Rule.accept())));
      long rev = (Long) db.network(nwid).orElseThrow().get("revision");
      for (Vl2Lab.Member m : List.of(a, b, c)) {
        await("new rules", () -> m.info(nwid).revision() == rev);
      }
      b.frames.clear();
      c.frames.clear();
      byte[] g = TestFrames.udp(tapA.mac(), tapB.mac(), ipA, ipB, 1000, 2001, new byte[] {5, 6});
      tapA.sendFrame(g, 0, g.length);
      assertThat(c.frames.poll(10, TimeUnit.SECONDS)).as("redirected to C").isEqualTo(g);
      // B -> A is not redirected (source rule), and B got nothing of A's frame
      byte[] h = TestFrames.udp(tapB.mac(), tapA.mac(), ipB, ipA, 2001, 1000, new byte[] {7});
      tapB.sendFrame(h, 0, h.length);
      assertThat(a.frames.poll(10, TimeUnit.SECONDS)).isEqualTo(h);
      assertThat(b.frames).isEmpty();

      // multicast limit 0: an ARP broadcast is dropped at the sender, no gather goes out
      db.updateNetwork(nwid, e -> e.multicastLimit(0).rules(List.of(Rule.accept())));
      long rev2 = (Long) db.network(nwid).orElseThrow().get("revision");
      await("ml=0 at a", () -> a.info(nwid).revision() == rev2);
      long gathers = a.node.counters().packetsOut(Verb.MULTICAST_GATHER);
      long dropped = tapA.framesDropped();
      byte[] arp = TestFrames.arpRequest(tapA.mac(), ipA, ipB);
      tapA.sendFrame(arp, 0, arp.length);
      a.node.loop().call(() -> null, java.time.Duration.ofSeconds(5)); // let the loop process it
      assertThat(tapA.framesDropped()).isEqualTo(dropped + 1);
      assertThat(a.node.counters().packetsOut(Verb.MULTICAST_GATHER)).isEqualTo(gathers);
    }
  }
}
