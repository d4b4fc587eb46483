package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;

/** The automatically computed IPv6 addresses of a node on a network (spec 7.9). */
public final class ManagedAddresses {
  private ManagedAddresses() {}

  /** RFC4193: {@code fd ‖ nwid (8) ‖ 99 93 ‖ address (5)}, prefix /88. */
  public static IpPrefix rfc4193(long nwid, long address) {
    byte[] b = new byte[16];
    b[0] = (byte) 0xfd;
    Bytes.put64(b, 1, nwid);
    b[9] = (byte) 0x99;
    b[10] = (byte) 0x93;
    Bytes.put40(b, 11, address);
    return new IpPrefix(IpPrefix.ip(b), 88);
  }

  /**
   * 6PLANE: {@code fc ‖ (nwid ^ nwid>>>32) low 32 bits ‖ address (5) ‖ 00 00 00 00 00 01}, prefix /40; the node owns
   * the /80 that ends before the last 6 bytes.
   */
  public static IpPrefix sixPlane(long nwid, long address) {
    byte[] b = new byte[16];
    b[0] = (byte) 0xfc;
    Bytes.put32(b, 1, (nwid ^ (nwid >>> 32)) & 0xffffffffL);
    Bytes.put40(b, 5, address);
    b[15] = 1;
    return new IpPrefix(IpPrefix.ip(b), 40);
  }

  /** True if the 16-byte IPv6 address has this network's RFC4193 prefix (first 11 bytes). */
  public static boolean isRfc4193Of(long nwid, byte[] ip16, int off) {
    byte[] p = rfc4193(nwid, 0).address().getAddress();
    return IpPrefix.prefixEquals(p, 0, ip16, off, 88);
  }

  /** True if the 16-byte IPv6 address has this network's 6PLANE prefix (first 5 bytes). */
  public static boolean isSixPlaneOf(long nwid, byte[] ip16, int off) {
    byte[] p = sixPlane(nwid, 0).address().getAddress();
    return IpPrefix.prefixEquals(p, 0, ip16, off, 40);
  }
}
