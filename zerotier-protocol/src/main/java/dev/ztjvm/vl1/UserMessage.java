package dev.ztjvm.vl1;

import dev.ztjvm.netstack.Bytes;
import org.jspecify.annotations.Nullable;

/**
 * USER_MESSAGE (spec 3.16): {@code message type ID (8) | payload}. Type IDs up to 65,535 are reserved by ZeroTier.
 */
public record UserMessage(long typeId, byte[] payload) {

  /** Highest type ID reserved by ZeroTier. */
  public static final long MAX_RESERVED_TYPE_ID = 65_535;

  public UserMessage {
    payload = payload.clone();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  /** Writes a complete USER_MESSAGE packet (uncompressed) and returns its length. */
  public int write(byte[] buf, int off, long packetId, long destination, long source) {
    Packet.writeHeader(buf, off, packetId, destination, source, Verb.USER_MESSAGE);
    WireWriter w = new WireWriter(buf, off + Packet.IDX_PAYLOAD).u64(typeId).bytes(payload);
    return w.position() - off;
  }

  /** Parses a dearmored, decompressed USER_MESSAGE packet; null if shorter than the type ID. */
  public static @Nullable UserMessage parse(byte[] pkt, int off, int len) {
    if (len < Packet.IDX_PAYLOAD + 8) {
      return null;
    }
    byte[] data = new byte[len - Packet.IDX_PAYLOAD - 8];
    System.arraycopy(pkt, off + Packet.IDX_PAYLOAD + 8, data, 0, data.length);
    return new UserMessage(Bytes.u64(pkt, off + Packet.IDX_PAYLOAD), data);
  }
}
