package dev.ztjvm.sockets;

import dev.ztjvm.vl2.ManagedAddresses;
import java.net.Inet6Address;
import java.net.InetAddress;

/** Addresses and network IDs that can be computed without a controller (libzt's {@code zts_addr_compute_*}). */
public final class ZeroTierAddresses {
  private ZeroTierAddresses() {}

  /** The RFC4193 address ({@code fd<nwid>9993<node>}, prefix /88) of a node on a network. */
  public static InetAddress rfc4193(long networkId, long nodeId) {
    return ManagedAddresses.rfc4193(networkId, nodeId).address();
  }

  /** The 6PLANE address ({@code fc<nwid folded><node>::1}, prefix /40) of a node on a network. */
  public static InetAddress sixPlane(long networkId, long nodeId) {
    return ManagedAddresses.sixPlane(networkId, nodeId).address();
  }

  /**
   * The ID of an ad-hoc (controller-less, public, 6PLANE-only) network allowing TCP/UDP ports {@code startPort} to
   * {@code endPort}: {@code ff SSSS EEEE 000000}.
   */
  public static long adHocNetworkId(int startPort, int endPort) {
    if (startPort < 0 || startPort > 65535 || endPort < 0 || endPort > 65535) {
      throw new IllegalArgumentException("ad-hoc port range " + startPort + ".." + endPort + " not within 0..65535");
    }
    if (startPort > endPort) {
      throw new IllegalArgumentException("ad-hoc port range start " + startPort + " is above its end " + endPort);
    }
    return (0xffL << 56) | ((long) startPort << 40) | ((long) endPort << 24);
  }

  /**
   * The node whose RFC4193 or 6PLANE address on {@code networkId} this is, or -1 if it is neither (the node part
   * of such addresses is the 40-bit node ID).
   */
  public static long nodeOf(long networkId, InetAddress address) {
    if (!(address instanceof Inet6Address)) {
      return -1;
    }
    byte[] b = address.getAddress();
    if (ManagedAddresses.isRfc4193Of(networkId, b, 0)) {
      return read40(b, 11);
    }
    if (ManagedAddresses.isSixPlaneOf(networkId, b, 0)) {
      return read40(b, 5);
    }
    return -1;
  }

  private static long read40(byte[] b, int off) {
    long v = 0;
    for (int i = 0; i < 5; i++) {
      v = (v << 8) | (b[off + i] & 0xff);
    }
    return v;
  }
}
