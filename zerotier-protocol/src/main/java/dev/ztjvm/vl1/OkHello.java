package dev.ztjvm.vl1;

import java.net.InetSocketAddress;
import org.jspecify.annotations.Nullable;

/**
 * The data of OK(HELLO) after the in-re fields (spec 3.2).
 *
 * @param timestamp the HELLO's timestamp, echoed (latency = now − timestamp)
 * @param externalAddress the requester's physical address as the responder saw it
 * @param worldUpdates zero or more serialized worlds
 */
public record OkHello(
    long timestamp,
    int protocolVersion,
    int major,
    int minor,
    int revision,
    @Nullable InetSocketAddress externalAddress,
    byte[] worldUpdates) {

  public OkHello {
    worldUpdates = worldUpdates.clone();
  }

  @Override
  public byte[] worldUpdates() {
    return worldUpdates.clone();
  }

  /** Writes the OK(HELLO) data at the writer (after {@link Responses#beginOk}). */
  public void writeTo(WireWriter w) {
    w.u64(timestamp).u8(protocolVersion).u8(major).u8(minor).u16(revision);
    InetAddresses.write(w, externalAddress);
    w.u16(worldUpdates.length).bytes(worldUpdates);
  }

  /** Parses the data of a dearmored OK(HELLO) packet {@code pkt[off..off+len)}; null if malformed. */
  public static @Nullable OkHello parse(byte[] pkt, int off, int len) {
    try {
      return read(new WireReader(pkt, off, len));
    } catch (WireFormatException e) {
      return null;
    }
  }

  private static OkHello read(WireReader r) {
    r.skip(Responses.IDX_OK_DATA);
    long ts = r.u64();
    int version = r.u8();
    int major = r.u8();
    int minor = r.u8();
    int revision = r.u16();
    InetSocketAddress ext = null;
    byte[] worlds = new byte[0];
    if (r.remaining() > 0) {
      ext = InetAddresses.read(r);
      if (r.remaining() >= 2) {
        worlds = r.bytes(r.u16());
      }
    }
    return new OkHello(ts, version, major, minor, revision, ext, worlds);
  }
}
