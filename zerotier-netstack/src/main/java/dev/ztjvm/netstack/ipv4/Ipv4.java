package dev.ztjvm.netstack.ipv4;

import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.netstack.ip.InternetChecksum;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** IPv4 header layout (RFC 791) and helpers for addresses held as ints (first octet in the top byte). */
public final class Ipv4 {

  private Ipv4() {}

  public static final int MIN_HEADER_LENGTH = 20;
  public static final int FLAG_DONT_FRAGMENT = 0x4000;
  public static final int FLAG_MORE_FRAGMENTS = 0x2000;
  public static final int OFFSET_MASK = 0x1fff;
  public static final int LIMITED_BROADCAST = 0xffffffff;

  public static int version(byte[] b, int off) {
    return (b[off] & 0xff) >>> 4;
  }

  public static int headerLength(byte[] b, int off) {
    return (b[off] & 0x0f) * 4;
  }

  public static int totalLength(byte[] b, int off) {
    return Bytes.u16(b, off + 2);
  }

  public static int identification(byte[] b, int off) {
    return Bytes.u16(b, off + 4);
  }

  /** Flags and fragment offset (in 8-byte units) as one 16-bit field. */
  public static int flagsAndOffset(byte[] b, int off) {
    return Bytes.u16(b, off + 6);
  }

  public static int ttl(byte[] b, int off) {
    return b[off + 8] & 0xff;
  }

  public static int protocol(byte[] b, int off) {
    return b[off + 9] & 0xff;
  }

  public static int source(byte[] b, int off) {
    return Bytes.i32(b, off + 12);
  }

  public static int destination(byte[] b, int off) {
    return Bytes.i32(b, off + 16);
  }

  /** Writes a 20-byte header (no options) with its checksum. */
  public static void writeHeader(
      byte[] b, int off, int totalLength, int id, int flagsAndOffset, int ttl, int protocol, int src, int dst) {
    b[off] = 0x45;
    b[off + 1] = 0;
    Bytes.put16(b, off + 2, totalLength);
    Bytes.put16(b, off + 4, id);
    Bytes.put16(b, off + 6, flagsAndOffset);
    b[off + 8] = (byte) ttl;
    b[off + 9] = (byte) protocol;
    b[off + 10] = 0;
    b[off + 11] = 0;
    Bytes.put32(b, off + 12, src);
    Bytes.put32(b, off + 16, dst);
    Bytes.put16(b, off + 10, InternetChecksum.of(b, off, MIN_HEADER_LENGTH));
  }

  public static boolean isMulticast(int address) {
    return (address >>> 28) == 0xe;
  }

  /** Netmask for a prefix length 0..32. */
  public static int mask(int prefixLength) {
    return prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
  }

  public static int toInt(byte[] address) {
    return Bytes.i32(address, 0);
  }

  public static int toInt(Inet4Address address) {
    return Bytes.i32(address.getAddress(), 0);
  }

  /** The 4 big-endian bytes of an IPv4 address held as an int. */
  public static byte[] toBytes(int address) {
    byte[] b = new byte[4];
    Bytes.put32(b, 0, address);
    return b;
  }

  public static Inet4Address toInetAddress(int address) {
    try {
      return (Inet4Address) InetAddress.getByAddress(toBytes(address));
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  public static String toString(int address) {
    return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
  }
}
