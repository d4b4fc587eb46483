package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * IPv6 NDP emulation (spec 8.2): on networks with flag 0x04, a neighbor solicitation for an address inside our
 * RFC4193 (/88) or 6PLANE (/40) prefix is answered locally, because the target's ZeroTier address — and so its MAC —
 * is embedded in the address. Nothing is sent on the wire.
 */
public final class NdpEmulation {
  private NdpEmulation() {}

  /**
   * A synthesised neighbor advertisement.
   *
   * @param sourceMac Ethernet source of the reply: the MAC of the node the solicited address belongs to (the
   *     Ethernet destination is the soliciting frame's source)
   * @param ipv6Packet the 72-byte IPv6 packet (ethertype 0x86dd) to hand back to the local stack
   */
  public record Reply(long sourceMac, byte[] ipv6Packet) {}

  /**
   * Answers an outbound IPv6 frame if it is a neighbor solicitation that 1.14 would emulate; null otherwise (the
   * frame then goes out normally). The caller checks that the network has NDP emulation enabled.
   *
   * @param nwid network ID
   * @param selfAddress our ZeroTier address (solicitations for ourselves are not answered)
   * @param staticIps our managed addresses from the config
   * @param payload the IPv6 packet (Ethernet payload)
   */
  public static @Nullable Reply answer(long nwid, long selfAddress, List<IpPrefix> staticIps, byte[] payload,
      int off, int len) {
    if (len < 40 + 8 + 16 || (payload[off + 6] & 0xff) != 0x3a || (payload[off + 40] & 0xff) != 0x87) {
      return null;
    }
    int target = off + 48;
    byte[] mine = null;
    long embedded = 0;
    for (IpPrefix ip : staticIps) {
      byte[] my6 = ip.address().getAddress();
      if (my6.length != 16) {
        continue;
      }
      if (ip.bits() == 88 && (my6[0] & 0xff) == 0xfd && (my6[9] & 0xff) == 0x99 && (my6[10] & 0xff) == 0x93) {
        if (IpPrefix.prefixEquals(my6, 0, payload, target, 88)) {
          mine = my6;
          embedded = Bytes.u40(payload, target + 11);
          break;
        }
      } else if (ip.bits() == 40 && ManagedAddresses.isSixPlaneOf(nwid, my6, 0)) {
        if (IpPrefix.prefixEquals(my6, 0, payload, target, 40)) {
          mine = my6;
          embedded = Bytes.u40(payload, target + 5);
          break;
        }
      }
    }
    if (mine == null || embedded == 0 || embedded == selfAddress) {
      return null;
    }
    long peerMac = NodeMac.forNode(nwid, embedded);
    byte[] adv = new byte[72];
    adv[0] = 0x60;
    adv[5] = 0x20; // payload length 32
    adv[6] = 0x3a; // ICMPv6
    adv[7] = (byte) 0xff; // hop limit 255
    System.arraycopy(payload, target, adv, 8, 16); // source = the solicited address
    System.arraycopy(mine, 0, adv, 24, 16); // destination = our matching address
    adv[40] = (byte) 0x88; // neighbor advertisement
    adv[44] = 0x60; // solicited + override
    System.arraycopy(payload, target, adv, 48, 16);
    adv[64] = 2; // target link-layer address option, length 1 (8 bytes)
    adv[65] = 1;
    MacAddress.write(peerMac, adv, 66);
    long sum = 0;
    for (int i = 8; i < 40; i += 2) {
      sum += Bytes.u16(adv, i); // pseudo-header addresses
    }
    sum += 32 + 0x3a; // upper-layer length and next header
    for (int i = 40; i < 72; i += 2) {
      sum += Bytes.u16(adv, i);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    Bytes.put16(adv, 42, (int) ~sum & 0xffff);
    return new Reply(peerMac, adv);
  }
}
