package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ethernet.MacAddress;
import java.net.Inet4Address;
import java.net.Inet6Address;

/**
 * A multicast group: a multicast MAC plus a 32-bit "additional distinguishing information" value (spec 7.10). The
 * ADI is 0 except for IPv4 ARP, where broadcast is scoped to the target IPv4 address.
 *
 * @param mac 48-bit MAC in the low bits
 * @param adi 32-bit ADI (unsigned, held in an int)
 */
public record MulticastGroup(long mac, int adi) {
  /** Plain broadcast (ff:ff:ff:ff:ff:ff, ADI 0). */
  public static final MulticastGroup BROADCAST = new MulticastGroup(MacAddress.BROADCAST.value(), 0);

  public MulticastGroup {
    mac &= 0xffffffffffffL;
  }

  /** The group an ARP request for {@code target} is sent to: broadcast MAC with ADI = the IPv4 address. */
  public static MulticastGroup forArpTarget(Inet4Address target) {
    byte[] a = target.getAddress();
    return new MulticastGroup(MacAddress.BROADCAST.value(), (int) Bytes.u32(a, 0));
  }

  /** ARP group from a raw big-endian IPv4 value. */
  public static MulticastGroup forArpTarget(int ipv4) {
    return new MulticastGroup(MacAddress.BROADCAST.value(), ipv4);
  }

  /** IPv6 solicited-node group {@code 33:33:ff:xx:xx:xx} (last three address bytes), ADI 0. */
  public static MulticastGroup forIpv6SolicitedNode(Inet6Address a) {
    byte[] b = a.getAddress();
    long mac = 0x3333ff000000L | ((b[13] & 0xffL) << 16) | ((b[14] & 0xffL) << 8) | (b[15] & 0xffL);
    return new MulticastGroup(mac, 0);
  }

  /**
   * The group an outbound broadcast Ethernet frame belongs to (spec 8.2): an IPv4 ARP request goes to the ARP group
   * of its target address; any other broadcast goes to {@link #BROADCAST}. {@code payload} is the Ethernet payload
   * (after the 14-byte header).
   */
  public static MulticastGroup forBroadcastFrame(int etherType, byte[] payload, int off, int len) {
    if (etherType == 0x0806 && len >= 28
        && payload[off + 2] == 0x08 && payload[off + 3] == 0x00
        && payload[off + 4] == 6 && payload[off + 5] == 4 && payload[off + 7] == 1) {
      return forArpTarget((int) Bytes.u32(payload, off + 24));
    }
    return BROADCAST;
  }

  /**
   * The groups a node subscribes to (MULTICAST_LIKE) for its addresses on a network (spec 8.3): the ARP group of each
   * IPv4 address, the solicited-node group of each IPv6 address, and plain broadcast if the network enables it.
   * Duplicates are removed, order is stable.
   */
  public static java.util.List<MulticastGroup> subscriptionsFor(java.util.Collection<IpPrefix> addresses,
      boolean broadcastEnabled) {
    java.util.LinkedHashSet<MulticastGroup> out = new java.util.LinkedHashSet<>();
    for (IpPrefix p : addresses) {
      if (p.address() instanceof Inet4Address v4) {
        out.add(forArpTarget(v4));
      } else if (p.address() instanceof Inet6Address v6) {
        out.add(forIpv6SolicitedNode(v6));
      }
    }
    if (broadcastEnabled) {
      out.add(BROADCAST);
    }
    return java.util.List.copyOf(out);
  }

  /** Whether this is an IPv4 ARP group (broadcast MAC with a non-zero ADI). */
  public boolean isArpGroup() {
    return mac == MacAddress.BROADCAST.value() && adi != 0;
  }

  @Override
  public String toString() {
    return MacAddress.toString(mac) + "/" + Integer.toHexString(adi);
  }
}
