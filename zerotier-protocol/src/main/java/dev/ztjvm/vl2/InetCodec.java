package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The InetAddress encoding of spec 2.14 as VL2 uses it. Same bytes as {@link dev.ztjvm.vl1.InetAddresses}, kept
 * apart because the contract differs: malformed input throws {@link Vl2FormatException} naming the field (VL1 marks
 * its reader failed instead), it reads and writes VL2's {@link ByteSink}, and in config blobs the 16-bit "port" of
 * an IP is its prefix length.
 */
final class InetCodec {
  private InetCodec() {}

  /** A decoded value: an address (null for "none" and skipped reserved types) and its 16-bit port, plus length. */
  record Decoded(@Nullable InetAddress address, int port, int length) {}

  static Decoded read(byte[] b, int off, int end) {
    Cursor.requireRange(b, off, 1, end, "InetAddress");
    int type = b[off] & 0xff;
    switch (type) {
      case 0x00:
        return new Decoded(null, 0, 1);
      case 0x04: {
        Cursor.requireRange(b, off, 7, end, "IPv4 InetAddress");
        byte[] ip = new byte[4];
        System.arraycopy(b, off + 1, ip, 0, 4);
        return new Decoded(IpPrefix.ip(ip), Bytes.u16(b, off + 5), 7);
      }
      case 0x06: {
        Cursor.requireRange(b, off, 19, end, "IPv6 InetAddress");
        byte[] ip = new byte[16];
        System.arraycopy(b, off + 1, ip, 0, 16);
        return new Decoded(IpPrefix.ip(ip), Bytes.u16(b, off + 17), 19);
      }
      case 0x01:
      case 0x02:
        Cursor.requireRange(b, off, 7, end, "reserved InetAddress");
        return new Decoded(null, 0, 7);
      case 0x03: {
        Cursor.requireRange(b, off, 3, end, "other InetAddress");
        int l = Bytes.u16(b, off + 1);
        Cursor.requireRange(b, off, 3 + l, end, "other InetAddress");
        return new Decoded(null, 0, 3 + l);
      }
      default:
        throw new Vl2FormatException("InetAddress: unknown type byte 0x" + Integer.toHexString(type));
    }
  }

  static void write(ByteSink out, @Nullable InetAddress a, int port) {
    if (a == null) {
      out.u8(0);
      return;
    }
    byte[] ip = a.getAddress();
    out.u8(ip.length == 4 ? 0x04 : 0x06).bytes(ip).u16(port);
  }

  static void write(ByteSink out, IpPrefix p) {
    write(out, p.address(), p.bits());
  }

  static void write(ByteSink out, @Nullable InetSocketAddress s) {
    if (s == null) {
      out.u8(0);
    } else {
      write(out, s.getAddress(), s.getPort());
    }
  }
}
