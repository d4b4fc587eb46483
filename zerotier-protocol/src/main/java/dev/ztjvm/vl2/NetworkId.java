package dev.ztjvm.vl2;

import java.util.Optional;

/**
 * Helpers for 64-bit ZeroTier network IDs (spec 7.1). A network ID is held as a {@code long}; its top 40 bits are the
 * controller's address, the low 24 bits are chosen by the controller. IDs whose first byte is {@code 0xff} are
 * ad-hoc networks that have no controller.
 */
public final class NetworkId {
  private NetworkId() {}

  /** The address of the controller that issues configs for this network: {@code nwid >>> 24}. */
  public static long controllerAddress(long nwid) {
    return nwid >>> 24;
  }

  /** 16 lowercase hex digits. */
  public static String toString(long nwid) {
    String s = Long.toHexString(nwid);
    return "0000000000000000".substring(s.length()) + s;
  }

  /**
   * Parses 16 hex digits (either case).
   *
   * @throws IllegalArgumentException if the text is not exactly 16 hex digits
   */
  public static long parse(String hex16) {
    if (hex16.length() != 16) {
      throw new IllegalArgumentException("network ID must be 16 hex digits: '" + hex16 + "'");
    }
    try {
      return Long.parseUnsignedLong(hex16, 16);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("network ID is not hex: '" + hex16 + "'");
    }
  }

  /** True for ad-hoc networks (first byte 0xff): no controller, config synthesised locally. */
  public static boolean isAdHoc(long nwid) {
    return (nwid >>> 56) == 0xff;
  }

  /** An inclusive port range of an ad-hoc network {@code ffSSSSEEEE000000}. */
  public record PortRange(int first, int last) {}

  /**
   * For an ad-hoc network of the port-range form {@code ffSSSSEEEE000000} (low 24 bits zero, EEEE ≥ SSSS) the
   * allowed destination port range; empty for every other ID.
   */
  public static Optional<PortRange> adHocPortRange(long nwid) {
    if (!isAdHoc(nwid) || (nwid & 0xffffffL) != 0) {
      return Optional.empty();
    }
    int first = (int) ((nwid >>> 40) & 0xffff);
    int last = (int) ((nwid >>> 24) & 0xffff);
    if (last < first) {
      return Optional.empty();
    }
    return Optional.of(new PortRange(first, last));
  }

  /**
   * For an ad-hoc network of the IPv4 form {@code ffAAHHHHHHHHHH01} the /8 prefix byte AA; empty for other IDs.
   */
  public static Optional<Integer> adHocIpv4Prefix(long nwid) {
    if (!isAdHoc(nwid) || (nwid & 0xff) != 0x01) {
      return Optional.empty();
    }
    return Optional.of((int) ((nwid >>> 48) & 0xff));
  }

  /** For an ad-hoc network of the IPv4 form, the optional anchor/hub address (0 = none). */
  public static long adHocHubAddress(long nwid) {
    return (nwid >>> 8) & 0xffffffffffL;
  }
}
