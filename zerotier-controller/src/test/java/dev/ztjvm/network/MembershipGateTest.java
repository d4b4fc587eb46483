package dev.ztjvm.network;

import static dev.ztjvm.network.Vl2Lab.await;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.NodeMac;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The COM gate on a private network: frames from a peer whose COM we do not hold are refused with ERROR
 * NEED_MEMBERSHIP_CERTIFICATE, the peer pushes NETWORK_CREDENTIALS, then frames pass; after the controller revokes the
 * peer's COM (de-authorization) its frames are refused again.
 */
class MembershipGateTest {

  @TempDir Path tmp;

  /** A FRAME from {@code source} to {@code a}, handed to a's VL2 layer as VL1 would after authentication. */
  private static boolean inject(Vl2Lab.Member a, long source, long nwid, byte[] ethernetPayload) throws Exception {
    byte[] pkt = new byte[Packet.HEADER_LENGTH + 10 + ethernetPayload.length];
    Packet.writeHeader(pkt, 0, System.nanoTime(), a.address(), source, Verb.FRAME);
    int p = Packet.IDX_PAYLOAD;
    for (int i = 0; i < 8; i++) {
      pkt[p + i] = (byte) (nwid >>> (56 - 8 * i));
    }
    pkt[p + 8] = 0x08;
    pkt[p + 9] = 0x00;
    System.arraycopy(ethernetPayload, 0, pkt, p + 10, ethernetPayload.length);
    VirtualTap tap = a.manager.tap(nwid);
    long before = tap.framesToStack();
    a.node.loop().call(() -> {
      a.manager.onPacket(a.node, source, Verb.FRAME.code(), pkt, 0, pkt.length, 0, a.node.now());
      return null;
    }, java.time.Duration.ofSeconds(5));
    return tap.framesToStack() > before;
  }

  @Test
  void framesNeedAnAgreeingComAndRevocationsAreHonoured() throws Exception {
    try (Vl2Lab lab = new Vl2Lab()) {
      ControllerDatabase db = lab.startController(tmp.resolve("controller.d")).database();
      long nwid = db.createNetwork(e -> e.name("gated").addRoute(IpPrefix.parse("10.5.0.0/16"), null));
      Vl2Lab.Member a = lab.startMember("member1", "a");
      Vl2Lab.Member b = lab.startMember("member2", "b");
      db.authorize(nwid, a.address(), true);
      db.authorize(nwid, b.address(), true);
      a.joinCapturing(nwid);
      b.joinCapturing(nwid);
      await("a ok", () -> a.info(nwid).status() == NetworkStatus.OK);
      await("b ok", () -> b.info(nwid).status() == NetworkStatus.OK);
      byte[] ipPacket = new byte[40];
      ipPacket[0] = 0x45;

      // B never pushed its credentials to A: refused, and A asks B for its certificate
      long errorsAtB = b.node.counters().packetsIn(Verb.ERROR);
      long credsAtA = a.node.counters().packetsIn(Verb.NETWORK_CREDENTIALS);
      assertThat(inject(a, b.address(), nwid, ipPacket)).isFalse();
      await("ERROR NEED_MEMBERSHIP_CERTIFICATE reached b", () -> b.node.counters().packetsIn(Verb.ERROR) > errorsAtB);
      await("b pushed its credentials to a",
          () -> a.node.counters().packetsIn(Verb.NETWORK_CREDENTIALS) > credsAtA);
      assertThat(inject(a, b.address(), nwid, ipPacket)).isTrue();
      byte[] delivered = a.frames.poll(5, TimeUnit.SECONDS);
      assertThat(delivered).isNotNull();
      assertThat(TestFrames.srcMac(delivered)).isEqualTo(NodeMac.forNode(nwid, b.address()));
      assertThat(TestFrames.dstMac(delivered)).isEqualTo(NodeMac.forNode(nwid, a.address()));

      // a node that is no member at all (the root's address) is refused
      assertThat(inject(a, lab.root.address(), nwid, ipPacket)).isFalse();

      // de-authorizing B makes the controller send A a COM revocation: B's frames are refused again
      long credsBeforeRevocation = a.node.counters().packetsIn(Verb.NETWORK_CREDENTIALS);
      db.authorize(nwid, b.address(), false);
      await("revocation reached a",
          () -> a.node.counters().packetsIn(Verb.NETWORK_CREDENTIALS) > credsBeforeRevocation);
      await("b denied", () -> b.info(nwid).status() == NetworkStatus.ACCESS_DENIED);
      assertThat(inject(a, b.address(), nwid, ipPacket)).isFalse();
    }
  }
}
