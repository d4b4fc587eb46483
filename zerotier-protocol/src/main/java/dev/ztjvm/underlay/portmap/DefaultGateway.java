package dev.ztjvm.underlay.portmap;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Finds the IPv4 default gateway, where the PCP/NAT-PMP server of a home router listens. Linux only. */
public final class DefaultGateway {
  private DefaultGateway() {}

  /** The IPv4 default gateway from {@code /proc/net/route}, or null when there is none or the file is absent. */
  public static @Nullable InetAddress ipv4() {
    try {
      return parse(Files.readAllLines(Path.of("/proc/net/route")));
    } catch (IOException e) {
      return null;
    }
  }

  /** Lines of /proc/net/route: the default route has destination 00000000; addresses are little-endian hex. */
  static @Nullable InetAddress parse(List<String> lines) {
    for (String line : lines) {
      String[] f = line.trim().split("\\s+");
      if (f.length < 3 || !f[1].equals("00000000") || f[2].equals("00000000")) {
        continue;
      }
      try {
        long le = Long.parseLong(f[2], 16);
        byte[] ip = {(byte) le, (byte) (le >> 8), (byte) (le >> 16), (byte) (le >> 24)};
        return InetAddress.getByAddress(ip);
      } catch (NumberFormatException | IOException e) {
        // not a route line
      }
    }
    return null;
  }
}
