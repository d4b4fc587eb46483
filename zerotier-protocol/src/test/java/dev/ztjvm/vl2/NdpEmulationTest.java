package dev.ztjvm.vl2;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ztjvm.netstack.ethernet.MacAddress;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class NdpEmulationTest {
  static final long NWID = 0x8056c2e21c000001L;
  static final long SELF = 0x1111111111L;
  static final long PEER = 0x89e92ceee5L;

  static int checksum(byte[] ipv6) {
    long sum = 0;
    for (int i = 8; i < 40; i += 2) {
      sum += ((ipv6[i] & 0xff) << 8) | (ipv6[i + 1] & 0xff);
    }
    int plen = ((ipv6[4] & 0xff) << 8) | (ipv6[5] & 0xff);
    sum += plen + (ipv6[6] & 0xff);
    for (int i = 40; i < 40 + plen; i += 2) {
      sum += ((ipv6[i] & 0xff) << 8) | (ipv6[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    return (int) sum;
  }

  @Test
  void answersSolicitationsForRfc4193And6planePeers() {
    IpPrefix myRfc = ManagedAddresses.rfc4193(NWID, SELF);
    IpPrefix my6p = ManagedAddresses.sixPlane(NWID, SELF);
    List<IpPrefix> mine = List.of(IpPrefix.parse("10.0.0.1/24"), myRfc, my6p);
    String peerRfc = IpPrefix.format(ManagedAddresses.rfc4193(NWID, PEER).address());
    byte[] ns = Frames.ndp(135, IpPrefix.format(myRfc.address()), "ff02::1:ff2c:eee5", peerRfc);
    NdpEmulation.Reply r = NdpEmulation.answer(NWID, SELF, mine, ns, 0, ns.length);
    assertThat(r).isNotNull();
    assertThat(r.sourceMac()).isEqualTo(NodeMac.forNode(NWID, PEER));
    byte[] na = r.ipv6Packet();
    assertThat(na).hasSize(72);
    assertThat(na[7] & 0xff).isEqualTo(255);
    assertThat(na[40] & 0xff).isEqualTo(136);
    assertThat(Arrays.copyOfRange(na, 8, 24)).isEqualTo(ManagedAddresses.rfc4193(NWID, PEER).address().getAddress());
    assertThat(Arrays.copyOfRange(na, 24, 40)).isEqualTo(myRfc.address().getAddress());
    assertThat(MacAddress.read(na, 66)).isEqualTo(NodeMac.forNode(NWID, PEER));
    assertThat(checksum(na)).isEqualTo(0xffff);

    // 6PLANE: any address inside the peer's /80
    byte[] peer6p = ManagedAddresses.sixPlane(NWID, PEER).address().getAddress();
    peer6p[15] = 0x42;
    byte[] ns6 = Frames.ndp(135, "fe80::1", "ff02::1:ff00:42", IpPrefix.format(IpPrefix.ip(peer6p)));
    NdpEmulation.Reply r6 = NdpEmulation.answer(NWID, SELF, mine, ns6, 0, ns6.length);
    assertThat(r6.sourceMac()).isEqualTo(NodeMac.forNode(NWID, PEER));
    assertThat(Arrays.copyOfRange(r6.ipv6Packet(), 24, 40)).isEqualTo(my6p.address().getAddress());
    assertThat(checksum(r6.ipv6Packet())).isEqualTo(0xffff);
  }

  @Test
  void leavesOtherPacketsAlone() {
    List<IpPrefix> mine = List.of(ManagedAddresses.rfc4193(NWID, SELF));
    byte[] forSelf = Frames.ndp(135, "::", "ff02::1", IpPrefix.format(ManagedAddresses.rfc4193(NWID, SELF).address()));
    assertThat(NdpEmulation.answer(NWID, SELF, mine, forSelf, 0, forSelf.length)).isNull();
    byte[] foreign = Frames.ndp(135, "::", "ff02::1", "fd00::1234");
    assertThat(NdpEmulation.answer(NWID, SELF, mine, foreign, 0, foreign.length)).isNull();
    byte[] adv = Frames.ndp(136, "::", "ff02::1", IpPrefix.format(ManagedAddresses.rfc4193(NWID, PEER).address()));
    assertThat(NdpEmulation.answer(NWID, SELF, mine, adv, 0, adv.length)).isNull();
    byte[] ns = Frames.ndp(135, "::", "ff02::1", IpPrefix.format(ManagedAddresses.rfc4193(NWID, PEER).address()));
    assertThat(NdpEmulation.answer(NWID, SELF, List.of(IpPrefix.parse("10.0.0.1/8")), ns, 0, ns.length)).isNull();
    assertThat(NdpEmulation.answer(NWID, SELF, mine, ns, 0, 40)).isNull();
  }
}
