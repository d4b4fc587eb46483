package dev.ztjvm.vl1.pcap;

import dev.ztjvm.vl1.InetAddresses;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the UDP datagrams out of a classic libpcap file (either byte order, microsecond or nanosecond timestamps).
 * Link types: Ethernet (with 802.1Q/802.1ad tags), Linux cooked SLL and SLL2, raw IP, and BSD loopback. Network
 * layer: IPv4 (first fragments only) and IPv6 (hop-by-hop, routing, destination-options extension headers skipped).
 * Records that are not UDP are skipped silently; a truncated record ends the file. pcapng is not supported.
 */
public final class PcapReader {

  public static final int LINKTYPE_NULL = 0;
  public static final int LINKTYPE_ETHERNET = 1;
  public static final int LINKTYPE_RAW = 101;
  public static final int LINKTYPE_LINUX_SLL = 113;
  public static final int LINKTYPE_LINUX_SLL2 = 276;

  private PcapReader() {}

  /** Reads a capture file. */
  public static List<UdpDatagram> read(Path file) throws IOException {
    return read(Files.readAllBytes(file));
  }

  /**
   * Parses a whole capture held in memory.
   *
   * @throws IOException if it is not a classic pcap file or uses an unsupported link type
   */
  public static List<UdpDatagram> read(byte[] data) throws IOException {
    if (data.length < 24) {
      throw new IOException("not a pcap file: shorter than its 24-byte header");
    }
    ByteBuffer bb = ByteBuffer.wrap(data);
    int magic = bb.order(ByteOrder.LITTLE_ENDIAN).getInt(0);
    boolean nanos;
    if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) {
      bb.order(ByteOrder.LITTLE_ENDIAN);
      nanos = magic == 0xa1b23c4d;
    } else if (magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1) {
      bb.order(ByteOrder.BIG_ENDIAN);
      nanos = magic == 0x4d3cb2a1;
    } else if (magic == 0x0a0d0d0a) {
      throw new IOException("pcapng files are not supported; convert with: editcap -F pcap in.pcapng out.pcap");
    } else {
      throw new IOException(String.format("not a pcap file (magic 0x%08x)", magic));
    }
    int linkType = bb.getInt(20) & 0x0fff_ffff;
    if (linkType != LINKTYPE_ETHERNET && linkType != LINKTYPE_LINUX_SLL && linkType != LINKTYPE_LINUX_SLL2
        && linkType != LINKTYPE_RAW && linkType != LINKTYPE_NULL) {
      throw new IOException("unsupported pcap link type " + linkType);
    }
    List<UdpDatagram> out = new ArrayList<>();
    int pos = 24;
    int frame = 0;
    while (pos + 16 <= data.length) {
      long sec = bb.getInt(pos) & 0xffff_ffffL;
      long frac = bb.getInt(pos + 4) & 0xffff_ffffL;
      int inclLen = bb.getInt(pos + 8);
      pos += 16;
      if (inclLen < 0 || inclLen > data.length - pos) {
        break;
      }
      frame++;
      long micros = sec * 1_000_000L + (nanos ? frac / 1000 : frac);
      decodeFrame(data, pos, inclLen, linkType, frame, micros, out);
      pos += inclLen;
    }
    return out;
  }

  private static void decodeFrame(byte[] d, int off, int len, int linkType, int frame, long micros,
      List<UdpDatagram> out) {
    int end = off + len;
    int etherType;
    int p;
    switch (linkType) {
      case LINKTYPE_ETHERNET:
        if (len < 14) {
          return;
        }
        p = off + 12;
        etherType = u16(d, p);
        p += 2;
        while ((etherType == 0x8100 || etherType == 0x88a8) && p + 4 <= end) {
          etherType = u16(d, p + 2);
          p += 4;
        }
        break;
      case LINKTYPE_LINUX_SLL:
        if (len < 16) {
          return;
        }
        etherType = u16(d, off + 14);
        p = off + 16;
        break;
      case LINKTYPE_LINUX_SLL2:
        if (len < 20) {
          return;
        }
        etherType = u16(d, off);
        p = off + 20;
        break;
      case LINKTYPE_NULL: {
        if (len < 4) {
          return;
        }
        int family = (d[off] & 0xff) | ((d[off + 1] & 0xff) << 8); // host order, little-endian in practice
        if (family == 0) {
          family = d[off + 3] & 0xff;
        }
        etherType = family == 2 ? 0x0800 : (family == 24 || family == 28 || family == 30) ? 0x86dd : -1;
        p = off + 4;
        break;
      }
      default: // raw IP
        p = off;
        etherType = len > 0 && (d[off] & 0xf0) == 0x60 ? 0x86dd : 0x0800;
        break;
    }
    if (etherType == 0x0800) {
      ipv4(d, p, end, frame, micros, out);
    } else if (etherType == 0x86dd) {
      ipv6(d, p, end, frame, micros, out);
    }
  }

  private static void ipv4(byte[] d, int p, int end, int frame, long micros, List<UdpDatagram> out) {
    if (end - p < 20 || (d[p] & 0xf0) != 0x40) {
      return;
    }
    int ihl = (d[p] & 0x0f) * 4;
    int total = u16(d, p + 2);
    int fragOffset = u16(d, p + 6) & 0x1fff;
    boolean moreFragments = (d[p + 6] & 0x20) != 0;
    if (ihl < 20 || total < ihl || d[p + 9] != 17 || fragOffset != 0 || moreFragments) {
      return;
    }
    int ipEnd = Math.min(end, p + total);
    byte[] src = Arrays.copyOfRange(d, p + 12, p + 16);
    byte[] dst = Arrays.copyOfRange(d, p + 16, p + 20);
    udp(d, p + ihl, ipEnd, src, dst, frame, micros, out);
  }

  private static void ipv6(byte[] d, int p, int end, int frame, long micros, List<UdpDatagram> out) {
    if (end - p < 40 || (d[p] & 0xf0) != 0x60) {
      return;
    }
    int payloadLen = u16(d, p + 4);
    int next = d[p + 6] & 0xff;
    byte[] src = Arrays.copyOfRange(d, p + 8, p + 24);
    byte[] dst = Arrays.copyOfRange(d, p + 24, p + 40);
    int ipEnd = Math.min(end, p + 40 + payloadLen);
    int q = p + 40;
    while ((next == 0 || next == 43 || next == 60) && q + 8 <= ipEnd) {
      next = d[q] & 0xff;
      q += 8 + (d[q + 1] & 0xff) * 8;
    }
    if (next == 17) {
      udp(d, q, ipEnd, src, dst, frame, micros, out);
    }
  }

  private static void udp(byte[] d, int p, int end, byte[] src, byte[] dst, int frame, long micros,
      List<UdpDatagram> out) {
    if (end - p < 8) {
      return;
    }
    int udpLen = u16(d, p + 4);
    if (udpLen < 8 || udpLen > end - p) {
      return; // truncated by the snap length
    }
    out.add(new UdpDatagram(frame, micros, InetAddresses.of(src, u16(d, p)), InetAddresses.of(dst, u16(d, p + 2)),
        Arrays.copyOfRange(d, p + 8, p + udpLen)));
  }

  private static int u16(byte[] d, int p) {
    return ((d[p] & 0xff) << 8) | (d[p + 1] & 0xff);
  }
}
