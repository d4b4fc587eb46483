package dev.ztjvm.underlay;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * An IP prefix such as {@code 10.0.0.0/8} or {@code fd00::/8}.
 *
 * @param network the network address (host bits may be set; they are ignored by {@link #contains})
 * @param bits prefix length
 */
public record Prefix(InetAddress network, int bits) {

  public Prefix {
    Objects.requireNonNull(network, "network");
    int max = network.getAddress().length * 8;
    if (bits < 0 || bits > max) {
      throw new IllegalArgumentException("Prefix length " + bits + " out of range 0.." + max + " for " + network);
    }
  }

  /** Parses {@code address/bits}; a bare address means a host prefix. Only literal addresses are accepted. */
  public static Prefix parse(String text) {
    String s = text.trim();
    int slash = s.indexOf('/');
    String addr = slash < 0 ? s : s.substring(0, slash);
    if (!addr.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("Not an IP prefix: '" + text + "' (expected e.g. 10.0.0.0/8 or fd00::/8)");
    }
    try {
      InetAddress a = InetAddress.getByName(addr);
      int bits = slash < 0 ? a.getAddress().length * 8 : Integer.parseInt(s.substring(slash + 1));
      return new Prefix(a, bits);
    } catch (UnknownHostException | NumberFormatException e) {
      throw new IllegalArgumentException("Not an IP prefix: '" + text + "' (expected e.g. 10.0.0.0/8 or fd00::/8)", e);
    }
  }

  /** Whether {@code address} (same family) lies inside this prefix. */
  public boolean contains(InetAddress address) {
    byte[] a = address.getAddress();
    byte[] n = network.getAddress();
    if (a.length != n.length) {
      return false;
    }
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  @Override
  public String toString() {
    return network.getHostAddress() + "/" + bits;
  }
}
