package dev.ztjvm.nativeio.internal;

import com.sun.jna.Memory;
import java.nio.charset.StandardCharsets;

/**
 * {@code struct ifreq} of {@code <net/if.h>}, laid out by hand in native memory: a 16-byte interface name, then a
 * 24-byte union of which we use {@code short ifr_flags}, {@code int ifr_mtu} and {@code struct sockaddr ifr_hwaddr}
 * (all at offset 16). 40 bytes on every 64-bit Linux.
 */
public final class IfReq {

  /** {@code IFNAMSIZ}: names are at most 15 bytes plus the terminating NUL. */
  public static final int IFNAMSIZ = 16;

  public static final int SIZE = 40;
  private static final int UNION = 16;

  // <linux/if_tun.h>
  /** {@code _IOW('T', 202, int)}. */
  public static final long TUNSETIFF = 0x400454caL;
  public static final short IFF_TAP = 0x0002;
  public static final short IFF_NO_PI = 0x1000;

  // <linux/sockios.h>
  public static final long SIOCGIFFLAGS = 0x8913;
  public static final long SIOCSIFFLAGS = 0x8914;
  public static final long SIOCGIFMTU = 0x8921;
  public static final long SIOCSIFMTU = 0x8922;
  public static final long SIOCSIFHWADDR = 0x8924;
  public static final long SIOCGIFHWADDR = 0x8927;

  // <net/if.h>, <net/if_arp.h>
  public static final short IFF_UP = 0x1;
  public static final short ARPHRD_ETHER = 1;

  private final Memory memory = new Memory(SIZE);

  /** A zeroed request naming {@code name} (may be empty: the kernel then picks one). */
  public IfReq(String name) {
    memory.clear();
    byte[] b = name.getBytes(StandardCharsets.US_ASCII);
    if (b.length >= IFNAMSIZ) {
      throw new IllegalArgumentException("interface name longer than " + (IFNAMSIZ - 1) + " bytes: " + name);
    }
    memory.write(0, b, 0, b.length);
  }

  public Memory memory() {
    return memory;
  }

  /** The (NUL-terminated) name field, as the kernel may have rewritten it. */
  public String name() {
    byte[] b = memory.getByteArray(0, IFNAMSIZ);
    int n = 0;
    while (n < b.length && b[n] != 0) {
      n++;
    }
    return new String(b, 0, n, StandardCharsets.US_ASCII);
  }

  public short flags() {
    return memory.getShort(UNION);
  }

  public void flags(short flags) {
    memory.setShort(UNION, flags);
  }

  public int mtu() {
    return memory.getInt(UNION);
  }

  public void mtu(int mtu) {
    memory.setInt(UNION, mtu);
  }

  /** The 6-byte MAC of {@code ifr_hwaddr.sa_data}. */
  public byte[] hardwareAddress() {
    return memory.getByteArray(UNION + 2, 6);
  }

  /** Sets {@code ifr_hwaddr} to an Ethernet address. */
  public void hardwareAddress(byte[] mac) {
    memory.setShort(UNION, ARPHRD_ETHER);
    memory.write(UNION + 2, mac, 0, 6);
  }
}
