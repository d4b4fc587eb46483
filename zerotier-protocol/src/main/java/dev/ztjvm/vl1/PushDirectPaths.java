package dev.ztjvm.vl1;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * PUSH_DIRECT_PATHS (spec 3.15): {@code count (2)} then records {@code flags (1) | extension length (2) | extension |
 * address type (1: 4 or 6) | address length (1: 6 or 18) | IP | port (2)}.
 */
public record PushDirectPaths(List<Entry> entries) {

  /** Flag: forget this path (receivers skip such records). */
  public static final int FLAG_FORGET = 0x01;
  /** Flag: cluster redirect. */
  public static final int FLAG_CLUSTER_REDIRECT = 0x02;

  /** One advertised path. */
  public record Entry(int flags, byte[] extension, InetSocketAddress address) {
    public Entry {
      extension = extension.clone();
    }

    @Override
    public byte[] extension() {
      return extension.clone();
    }
  }

  public PushDirectPaths {
    entries = List.copyOf(entries);
  }

  /** Writes a complete PUSH_DIRECT_PATHS packet and returns its length. */
  public int write(byte[] buf, int off, long packetId, long destination, long source) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.PUSH_DIRECT_PATHS);
    WireWriter w = new WireWriter(buf, off + Packet.IDX_PAYLOAD).u16(entries.size());
    for (Entry e : entries) {
      byte[] ip = e.address().getAddress().getAddress();
      byte[] ext = e.extension;
      w.u8(e.flags()).u16(ext.length).bytes(ext);
      w.u8(ip.length == 4 ? 4 : 6).u8(ip.length + 2).bytes(ip).u16(e.address().getPort());
    }
    return w.position() - off;
  }

  /**
   * Parses a dearmored PUSH_DIRECT_PATHS packet; null if malformed. Records with an unknown address type are
   * skipped by their declared length, as the reference does.
   */
  public static @Nullable PushDirectPaths parse(byte[] pkt, int off, int len) {
    try {
      WireReader r = new WireReader(pkt, off, len);
      r.skip(Packet.IDX_PAYLOAD);
      int count = r.u16();
      List<Entry> entries = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        int flags = r.u8();
        byte[] ext = r.bytes(r.u16());
        int type = r.u8();
        int alen = r.u8();
        if ((type == 4 && alen == 6) || (type == 6 && alen == 18)) {
          byte[] ip = r.bytes(alen - 2);
          int port = r.u16();
          entries.add(new Entry(flags, ext, InetAddresses.of(ip, port)));
        } else {
          r.skip(alen);
        }
      }
      return new PushDirectPaths(entries);
    } catch (WireFormatException e) {
      return null;
    }
  }
}
