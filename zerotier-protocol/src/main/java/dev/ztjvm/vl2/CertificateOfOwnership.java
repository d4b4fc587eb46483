package dev.ztjvm.vl2;

import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Certificate of ownership (spec 7.5): the controller certifies that a member owns MACs and IP addresses; rules use it
 * for the "sender IP/MAC authenticated" characteristics. Immutable.
 */
public final class CertificateOfOwnership extends ControllerSignedCredential<CertificateOfOwnership> {
  public static final int THING_MAC = 1;
  public static final int THING_IPV4 = 2;
  public static final int THING_IPV6 = 3;
  /** 1.x keeps at most this many things. */
  public static final int MAX_THINGS = 16;

  /** One owned thing: type and its value (16 bytes, zero-padded). */
  public record Thing(int type, byte[] value) {
    public Thing {
      if (value.length != 16) {
        throw new IllegalArgumentException("thing value must be 16 bytes");
      }
      value = value.clone();
    }

    /** A copy of the value bytes. */
    @Override
    public byte[] value() {
      return value.clone();
    }

    public static Thing ip(InetAddress a) {
      byte[] raw = a.getAddress();
      return new Thing(raw.length == 4 ? THING_IPV4 : THING_IPV6, Arrays.copyOf(raw, 16));
    }

    public static Thing mac(long mac) {
      byte[] v = new byte[16];
      MacAddress.write(mac, v, 0);
      return new Thing(THING_MAC, v);
    }

    @Override
    public boolean equals(@Nullable Object o) {
      return o instanceof Thing t && t.type == type && Arrays.equals(t.value, value);
    }

    @Override
    public int hashCode() {
      return type * 31 + Arrays.hashCode(value);
    }
  }

  private final long timestamp;
  private final long flags;
  private final long id;
  private final List<Thing> things;
  private final long issuedTo;

  private CertificateOfOwnership(long networkId, long timestamp, long flags, long id, List<Thing> things,
      long issuedTo, long signedBy, byte[] signature) {
    super(networkId, signedBy, signature);
    this.timestamp = timestamp;
    this.flags = flags;
    this.id = id & 0xffffffffL;
    this.things = List.copyOf(things);
    this.issuedTo = issuedTo;
  }

  /**
   * An unsigned certificate.
   *
   * @throws IllegalArgumentException with more than 16 things
   */
  public static CertificateOfOwnership of(long networkId, long timestamp, long flags, long id, List<Thing> things,
      long issuedTo) {
    if (things.size() > MAX_THINGS) {
      throw new IllegalArgumentException("at most " + MAX_THINGS + " things");
    }
    return new CertificateOfOwnership(networkId, timestamp, flags, id, things, issuedTo, 0, new byte[0]);
  }

  @Override
  CertificateOfOwnership withSignature(long signedBy, byte[] signature) {
    return new CertificateOfOwnership(networkId, timestamp, flags, id, things, issuedTo, signedBy, signature);
  }

  /** Whether this certificate lists the IP ({@code len} 4 or 16 bytes at {@code off}). */
  public boolean ownsIp(byte[] ip, int off, int len) {
    int type = len == 4 ? THING_IPV4 : len == 16 ? THING_IPV6 : -1;
    for (Thing t : things) {
      if (t.type == type && Arrays.equals(t.value, 0, len, ip, off, off + len)) {
        return true;
      }
    }
    return false;
  }

  public boolean ownsIp(InetAddress a) {
    byte[] raw = a.getAddress();
    return ownsIp(raw, 0, raw.length);
  }

  public boolean ownsMac(long mac) {
    byte[] m = new byte[6];
    MacAddress.write(mac, m, 0);
    for (Thing t : things) {
      if (t.type == THING_MAC && Arrays.equals(t.value, 0, 6, m, 0, 6)) {
        return true;
      }
    }
    return false;
  }

  @Override
  void writeBody(WireWriter m) {
    m.u64(networkId).u64(timestamp).u64(flags).u32(id).u16(things.size());
    for (Thing t : things) {
      m.u8(t.type).bytes(t.value);
    }
    m.u40(issuedTo).u40(signedBy);
  }

  @Override
  int bodyLength() {
    return 40 + 17 * things.size();
  }

  /**
   * Reads one certificate. Things beyond 16 are skipped, as 1.x does.
   *
   * @throws WireFormatException if truncated or the signature length is wrong
   */
  public static Parsed<CertificateOfOwnership> read(byte[] b, int off, int end) {
    WireReader c = WireReader.of(b, off, end, "certificate of ownership");
    long nwid = c.u64();
    long ts = c.u64();
    long flags = c.u64();
    long id = c.u32();
    int n = c.u16();
    List<Thing> things = new ArrayList<>(Math.min(n, MAX_THINGS));
    for (int i = 0; i < n; i++) {
      if (i < MAX_THINGS) {
        int type = c.u8();
        things.add(new Thing(type, c.bytes(16)));
      }
    }
    long to = c.u40();
    long by = c.u40();
    byte[] sig = Credentials.readSignatureTriple(c);
    c.skip(c.u16());
    return new Parsed<>(new CertificateOfOwnership(nwid, ts, flags, id, things, to, by, sig), c.position() - off);
  }

  public long timestamp() {
    return timestamp;
  }

  public long flags() {
    return flags;
  }

  public long id() {
    return id;
  }

  public List<Thing> things() {
    return things;
  }

  public long issuedTo() {
    return issuedTo;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CertificateOfOwnership c && c.networkId == networkId && c.timestamp == timestamp
        && c.flags == flags && c.id == id && c.things.equals(things) && c.issuedTo == issuedTo
        && c.signedBy == signedBy && Arrays.equals(c.signature, signature);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(networkId * 31 + id) ^ things.hashCode();
  }

  @Override
  public String toString() {
    return "COO{id=" + id + ", things=" + things.size() + ", to=" + Long.toHexString(issuedTo) + "}";
  }
}
