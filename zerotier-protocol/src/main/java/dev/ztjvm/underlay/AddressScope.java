package dev.ztjvm.underlay;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;

/** The scope of a physical IP address, as ZeroTier classifies it to decide what may be a path. */
public enum AddressScope {
  /** Unspecified, reserved or otherwise unusable (0.0.0.0/8, 240.0.0.0/4, ::). */
  NONE,
  /** 127.0.0.0/8, ::1. */
  LOOPBACK,
  /** 169.254.0.0/16, fe80::/10. */
  LINK_LOCAL,
  /** Multicast ranges. */
  MULTICAST,
  /** 100.64.0.0/10 (carrier-grade NAT). */
  SHARED,
  /** Ranges that are globally routable but used privately in practice (old military blocks etc.). */
  PSEUDOPRIVATE,
  /** RFC 1918 and fc00::/7. */
  PRIVATE,
  /** Everything else. */
  GLOBAL;

  /** Classifies an address. */
  public static AddressScope of(InetAddress address) {
    byte[] a = address.getAddress();
    if (address instanceof Inet4Address) {
      int b0 = a[0] & 0xff;
      int b1 = a[1] & 0xff;
      if (b0 == 0 || b0 >= 240) {
        return NONE;
      }
      if (b0 == 127) {
        return LOOPBACK;
      }
      if (b0 >= 224) {
        return MULTICAST;
      }
      if (b0 == 10 || (b0 == 172 && (b1 & 0xf0) == 16) || (b0 == 192 && b1 == 168)) {
        return PRIVATE;
      }
      if (b0 == 169 && b1 == 254) {
        return LINK_LOCAL;
      }
      if (b0 == 100 && (b1 & 0xc0) == 64) {
        return SHARED;
      }
      // Blocks of the US DoD and others that many networks use internally (ZeroTier calls them pseudo-private).
      if (b0 == 6 || b0 == 7 || b0 == 11 || b0 == 21 || b0 == 22 || b0 == 26 || b0 == 28 || b0 == 29 || b0 == 30
          || b0 == 33 || b0 == 55 || b0 == 214 || b0 == 215) {
        return PSEUDOPRIVATE;
      }
      return GLOBAL;
    }
    if (address instanceof Inet6Address) {
      int b0 = a[0] & 0xff;
      int b1 = a[1] & 0xff;
      if (address.isLoopbackAddress()) {
        return LOOPBACK;
      }
      if (address.isAnyLocalAddress()) {
        return NONE;
      }
      if (b0 == 0xff) {
        return MULTICAST;
      }
      if (b0 == 0xfe && (b1 & 0xc0) == 0x80) {
        return LINK_LOCAL;
      }
      if ((b0 & 0xfe) == 0xfc) {
        return PRIVATE;
      }
      if (((Inet6Address) address).isIPv4CompatibleAddress()) {
        return NONE;
      }
      return GLOBAL;
    }
    return NONE;
  }
}
