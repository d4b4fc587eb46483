package dev.ztjvm.vl2;

import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A tag (spec 7.5): a controller-signed (id, value) pair issued to one member, consulted by tag rules. Immutable.
 * IDs and values are unsigned 32-bit held in longs.
 */
public final class Tag extends ControllerSignedCredential<Tag> {
  private final long timestamp;
  private final long id;
  private final long value;
  private final long issuedTo;

  private Tag(long networkId, long timestamp, long id, long value, long issuedTo, long signedBy, byte[] signature) {
    super(networkId, signedBy, signature);
    this.timestamp = timestamp;
    this.id = id & 0xffffffffL;
    this.value = value & 0xffffffffL;
    this.issuedTo = issuedTo;
  }

  /** An unsigned tag. */
  public static Tag of(long networkId, long timestamp, long id, long value, long issuedTo) {
    return new Tag(networkId, timestamp, id, value, issuedTo, 0, new byte[0]);
  }

  @Override
  Tag withSignature(long signedBy, byte[] signature) {
    return new Tag(networkId, timestamp, id, value, issuedTo, signedBy, signature);
  }

  @Override
  void writeBody(WireWriter m) {
    m.u64(networkId).u64(timestamp).u32(id).u32(value).u40(issuedTo).u40(signedBy);
  }

  @Override
  int bodyLength() {
    return 34;
  }

  public static Parsed<Tag> read(byte[] b, int off, int end) {
    WireReader c = WireReader.of(b, off, end, "tag");
    long nwid = c.u64();
    long ts = c.u64();
    long id = c.u32();
    long value = c.u32();
    long to = c.u40();
    long by = c.u40();
    byte[] sig = Credentials.readSignatureTriple(c);
    c.skip(c.u16());
    return new Parsed<>(new Tag(nwid, ts, id, value, to, by, sig), c.position() - off);
  }

  public long timestamp() {
    return timestamp;
  }

  public long id() {
    return id;
  }

  public long value() {
    return value;
  }

  public long issuedTo() {
    return issuedTo;
  }

  public byte[] signature() {
    return signature.clone();
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Tag t && t.networkId == networkId && t.timestamp == timestamp && t.id == id
        && t.value == value && t.issuedTo == issuedTo && t.signedBy == signedBy
        && Arrays.equals(t.signature, signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(networkId ^ id * 31 ^ value * 17 ^ issuedTo);
  }

  @Override
  public String toString() {
    return "Tag{" + id + "=" + value + ", to=" + Long.toHexString(issuedTo) + ", ts=" + timestamp + "}";
  }
}
