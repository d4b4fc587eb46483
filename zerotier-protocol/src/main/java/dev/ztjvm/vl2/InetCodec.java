package dev.ztjvm.vl2;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The InetAddress encoding of spec 2.14 as VL2 uses it. Same bytes as {@link dev.ztjvm.vl1.InetAddresses}, kept
 * apart because in config blobs the 16-bit "port" of an IP is its prefix length, and config fields are decoded in
 * place; malformed input throws a {@link WireFormatException} naming the field.
 */
final class InetCodec {
  private InetCodec() {}

  /** A decoded value: an address (null for "none" and skipped reserved types) and its 16-bit port, plus length. */
  record Decoded(@Nullable InetAddress address, int port, int length) {}

  static Decoded read(byte[] b, int off, int end) {
    WireReader.requireRange(b, off, 1, end, "InetAddress");
    int type = b[off] & 0xff;
    switch (type) {
      case 0x00:
        return new Decoded(null, 0, 1);
      case 0x04: {
        WireReader.requireRange(b, off, 7, end, "IPv4 InetAddress");
        byte[] ip = new byte[4];
        System.arraycopy(b, off + 1, ip, 0, 4);
        return new Decoded(IpPrefix.ip(ip), Bytes.u16(b, off + 5), 7);
      }
      case 0x06: {
        WireReader.requireRange(b, off, 19, end, "IPv6 InetAddress");
        byte[] ip = new byte[16];
        System.arraycopy(b, off + 1, ip, 0, 16);
        return new Decoded(IpPrefix.ip(ip), Bytes.u16(b, off + 17), 19);
      }
      case 0x01:
      case 0x02:
        WireReader.requireRange(b, off, 7, end, "reserved InetAddress");
        return new Decoded(null, 0, 7);
      case 0x03: {
        WireReader.requireRange(b, off, 3, end, "other InetAddress");
        int l = Bytes.u16(b, off + 1);
        WireReader.requireRange(b, off, 3 + l, end, "other InetAddress");
        return new Decoded(null, 0, 3 + l);
      }
      default:
        throw new WireFormatException("InetAddress: unknown type byte 0x" + Integer.toHexString(type));
    }
  }

  static void write(WireWriter out, @Nullable InetAddress a, int port) {
    if (a == null) {
      out.u8(0);
      return;
    }
    byte[] ip = a.getAddress();
    out.u8(ip.length == 4 ? 0x04 : 0x06).bytes(ip).u16(port);
  }

  static void write(WireWriter out, IpPrefix p) {
    write(out, p.address(), p.bits());
  }

  static void write(WireWriter out, @Nullable InetSocketAddress s) {
    if (s == null) {
      out.u8(0);
    } else {
      write(out, s.getAddress(), s.getPort());
    }
  }
}
