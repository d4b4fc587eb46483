package dev.ztjvm.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.node.Vl1Node;
import dev.ztjvm.testing.LoopbackPlanet;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl2.NodeMac;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutation fuzz of the VL2 receive path: well-formed FRAME, EXT_FRAME, MULTICAST_FRAME, MULTICAST_LIKE,
 * MULTICAST_GATHER, NETWORK_CREDENTIALS, NETWORK_CONFIG, OK and ERROR packets for a joined (ad-hoc, public) network are
 * mutated and handed to the manager: every packet is either processed or dropped, never an unexpected exception.
 */
class NetworkManagerFuzzTest {

  private static final long NWID = 0xff0a000000000001L; // ad-hoc 10.0.0.0/8 network: public, multicast on

  @Test
  void mutatedVl2PacketsNeverBreakTheReceivePath() throws Exception {
    fuzz(10_000, 0x5eed_2026L);
  }

  @Tag("fuzz")
  @Test
  void mutatedVl2PacketsNeverBreakTheReceivePathLong() throws Exception {
    fuzz(1_000_000, 0x5eed_2027L);
  }

  private static void fuzz(int count, long seed) throws Exception {
    try (Vl2Lab lab = new Vl2Lab()) {
      Vl2Lab.Member a = lab.startMember("member1", "a");
      VirtualTap tap = a.manager.join(NWID);
      tap.setReceiver((f, o, l) -> {});
      long peer = LoopbackPlanet.labIdentity("member2").address();
      List<byte[]> templates = templates(a.address(), peer);
      Random r = new Random(seed);
      Vl1Node node = a.node;
      node.loop().call(() -> {
        byte[] buf = new byte[12_000];
        for (int i = 0; i < count; i++) {
          byte[] t = templates.get(r.nextInt(templates.size()));
          int len = Math.min(buf.length, Math.max(Packet.IDX_PAYLOAD, t.length + r.nextInt(9) - 4));
          System.arraycopy(t, 0, buf, 0, Math.min(len, t.length));
          for (int k = t.length; k < len; k++) {
            buf[k] = (byte) r.nextInt();
          }
          int flips = r.nextInt(4);
          for (int k = 0; k < flips; k++) {
            int at = Packet.IDX_PAYLOAD + r.nextInt(Math.max(1, len - Packet.IDX_PAYLOAD));
            if (at < len) {
              buf[at] = (byte) r.nextInt();
            }
          }
          int verb = buf[Packet.IDX_VERB] & 0x1f;
          a.manager.onPacket(node, peer, verb, buf, 0, len, 0, node.now());
        }
        return null;
      }, Duration.ofMinutes(30));
      assertThat(a.manager.unexpectedErrors()).as("seed %x", seed).isZero();
      assertThat(a.manager.droppedPackets()).as("seed %x: malformed packets are counted", seed).isPositive();
    }
  }

  private static byte[] packet(long dest, long source, Verb verb, byte[] payload) {
    byte[] p = new byte[Packet.HEADER_LENGTH + payload.length];
    Packet.writeHeader(p, 0, 0x1122334455667788L, dest, source, verb);
    System.arraycopy(payload, 0, p, Packet.IDX_PAYLOAD, payload.length);
    return p;
  }

  private static byte[] cat(Object... parts) {
    java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream();
    for (Object x : parts) {
      if (x instanceof byte[] b) {
        o.writeBytes(b);
      } else if (x instanceof Long l) {
        for (int i = 7; i >= 0; i--) {
          o.write((int) (l >>> (8 * i)));
        }
      } else if (x instanceof Integer n) {
        o.write(n);
      }
    }
    return o.toByteArray();
  }

  private static byte[] mac(long m) {
    byte[] b = new byte[6];
    MacAddress.write(m, b, 0);
    return b;
  }

  private static List<byte[]> templates(long self, long peer) {
    long peerMac = NodeMac.forNode(NWID, peer);
    long selfMac = NodeMac.forNode(NWID, self);
    byte[] ipv4 = new byte[60];
    ipv4[0] = 0x45;
    ipv4[9] = 17;
    byte[] group = cat(mac(MacAddress.BROADCAST.value()), new byte[] {10, 0, 0, 1});
    List<byte[]> t = new ArrayList<>();
    t.add(packet(self, peer, Verb.FRAME, cat(NWID, new byte[] {8, 0}, ipv4)));
    t.add(packet(self, peer, Verb.EXT_FRAME, cat(NWID, 0x10, mac(selfMac), mac(peerMac), new byte[] {8, 0}, ipv4)));
    t.add(packet(self, peer, Verb.EXT_FRAME, cat(NWID, 0x01, 1, new byte[] {0, 1}, new byte[24], new byte[5],
        mac(selfMac), mac(peerMac), new byte[] {8, 6}, ipv4)));
    t.add(packet(self, peer, Verb.MULTICAST_FRAME, cat(NWID, 0x06, new byte[] {0, 0, 0, 5}, mac(peerMac), group,
        new byte[] {8, 6}, ipv4)));
    t.add(packet(self, peer, Verb.MULTICAST_FRAME, cat(NWID, 0x00, group, new byte[] {8, 6}, ipv4)));
    t.add(packet(self, peer, Verb.MULTICAST_LIKE, cat(NWID, group, NWID, mac(0x3333ff000001L), new byte[4])));
    t.add(packet(self, peer, Verb.MULTICAST_GATHER, cat(NWID, 0, group, new byte[] {0, 0, 0, 8})));
    t.add(packet(self, peer, Verb.NETWORK_CREDENTIALS, cat(1, new byte[] {0, 1}, new byte[24], new byte[5], 0,
        new byte[] {0, 0, 0, 0, 0, 1}, new byte[60], new byte[] {0, 0, 0, 0})));
    t.add(packet(self, peer, Verb.NETWORK_CONFIG, cat(NWID, new byte[] {0, 4}, "v=7\n".getBytes(), 0, 7L,
        new byte[] {0, 0, 0, 4}, new byte[4], 1, new byte[] {0, 96}, new byte[96])));
    t.add(packet(self, peer, Verb.OK, cat(Verb.MULTICAST_GATHER.code(), 1L, NWID, group, new byte[] {0, 0, 0, 2},
        new byte[] {0, 2}, new byte[10])));
    t.add(packet(self, peer, Verb.OK, cat(Verb.MULTICAST_FRAME.code(), 1L, NWID, group, 2, new byte[] {0, 0, 0, 1},
        new byte[] {0, 1}, new byte[5])));
    t.add(packet(self, peer, Verb.OK, cat(Verb.NETWORK_CONFIG_REQUEST.code(), 1L, NWID, new byte[] {0, 1}, 0)));
    t.add(packet(self, peer, Verb.ERROR, cat(Verb.FRAME.code(), 1L, 6, NWID)));
    t.add(packet(self, peer, Verb.ERROR, cat(Verb.MULTICAST_FRAME.code(), 1L, 8, NWID, group)));
    t.add(packet(self, peer, Verb.ERROR, cat(Verb.NETWORK_CONFIG_REQUEST.code(), 1L, 9, NWID, new byte[] {0, 4},
        "aU=x".getBytes())));
    t.add(packet(self, peer, Verb.NETWORK_CONFIG_REQUEST, cat(NWID, new byte[] {0, 3}, "v=7".getBytes())));
    return t;
  }
}
