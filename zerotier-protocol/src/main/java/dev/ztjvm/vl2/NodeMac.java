package dev.ztjvm.vl2;

/**
 * The MAC address of a ZeroTier node on a network (spec 8.1): derived from the network ID and the node's address,
 * and back. MACs themselves are {@link dev.ztjvm.netstack.ethernet.MacAddress}.
 */
public final class NodeMac {

  private NodeMac() {}

  /** First octet of every node MAC on this network: locally administered unicast, never 0x52 (KVM/libvirt). */
  public static int firstOctet(long nwid) {
    int f = (int) ((nwid & 0xfe) | 0x02);
    return f == 0x52 ? 0x32 : f;
  }

  /** The MAC of node {@code address} on network {@code nwid} (spec 8.1). */
  public static long forNode(long nwid, long address) {
    long m = (long) firstOctet(nwid) << 40;
    m |= (address ^ xorMask(nwid)) & 0xffffffffffL;
    return m;
  }

  /** True if this MAC is a node MAC derived for this network (first octet matches). */
  public static boolean isNodeMac(long nwid, long mac) {
    return (int) ((mac >>> 40) & 0xff) == firstOctet(nwid);
  }

  /** The ZeroTier address behind a node MAC, or -1 if the MAC is not derived for this network. */
  public static long nodeAddress(long nwid, long mac) {
    if (!isNodeMac(nwid, mac)) {
      return -1;
    }
    return (mac ^ xorMask(nwid)) & 0xffffffffffL;
  }

  /**
   * Address byte k (k = 0 most significant) is XORed with network-ID byte k + 1 counted from the least significant
   * end, i.e. with network-ID bytes 1..5 in reversed order.
   */
  private static long xorMask(long nwid) {
    long x = 0;
    for (int k = 1; k <= 5; k++) {
      x = (x << 8) | ((nwid >>> (8 * k)) & 0xff);
    }
    return x;
  }
}
