package dev.ztjvm.vl2;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.netstack.Bytes;
import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Certificate of membership (spec 7.5, 7.7): qualifiers (id, value, maxDelta) signed by the network's controller.
 * Immutable. Standard qualifiers: 0 timestamp, 1 network ID, 2 issued-to address, 3–6 the member's identity hash.
 */
public final class CertificateOfMembership {
  public static final long QUALIFIER_TIMESTAMP = 0;
  public static final long QUALIFIER_NETWORK_ID = 1;
  public static final long QUALIFIER_ISSUED_TO = 2;
  /** 1.x accepts at most this many qualifiers. */
  public static final int MAX_QUALIFIERS = 8;

  /** One qualifier; values are unsigned 64-bit held in longs. */
  public record Qualifier(long id, long value, long maxDelta) {}

  private final List<Qualifier> qualifiers;
  private final long signedBy;
  private final byte[] signature;

  private CertificateOfMembership(List<Qualifier> qualifiers, long signedBy, byte[] signature) {
    this.qualifiers = List.copyOf(qualifiers);
    this.signedBy = signedBy;
    this.signature = signature;
  }

  /**
   * The unsigned COM a 1.x controller issues: timestamp (max delta = credential time max delta), network ID (0),
   * issued-to address and identity hash (both max delta 2^64-1).
   */
  public static CertificateOfMembership issue(long nwid, long timestamp, long maxDelta, Identity issuedTo) {
    List<Qualifier> q = new ArrayList<>(7);
    q.add(new Qualifier(QUALIFIER_TIMESTAMP, timestamp, maxDelta));
    q.add(new Qualifier(QUALIFIER_NETWORK_ID, nwid, 0));
    q.add(new Qualifier(QUALIFIER_ISSUED_TO, issuedTo.address(), -1L));
    byte[] h = issuedTo.sha384AddressAndPublicKey();
    for (int i = 0; i < 4; i++) {
      q.add(new Qualifier(3 + i, Bytes.u64(h, 8 * i), -1L));
    }
    return new CertificateOfMembership(q, 0, new byte[0]);
  }

  /**
   * A COM with arbitrary qualifiers (sorted by id on construction), unsigned.
   *
   * @throws IllegalArgumentException if there are more than {@link #MAX_QUALIFIERS}
   */
  public static CertificateOfMembership of(List<Qualifier> qualifiers) {
    if (qualifiers.size() > MAX_QUALIFIERS) {
      throw new IllegalArgumentException("at most " + MAX_QUALIFIERS + " qualifiers");
    }
    List<Qualifier> q = new ArrayList<>(qualifiers);
    q.sort((a, b) -> Long.compareUnsigned(a.id(), b.id()));
    return new CertificateOfMembership(q, 0, new byte[0]);
  }

  /** This COM signed by {@code controller} (its secret identity). */
  public CertificateOfMembership sign(Identity controller) {
    return new CertificateOfMembership(qualifiers, controller.address(), Credentials.sign(controller, signedMessage()));
  }

  /**
   * True if signed by the network's controller ({@code nwid >>> 24} from qualifier 1) and the signature verifies
   * against {@code controller}'s public key.
   */
  public boolean verify(Identity controller) {
    if (!Credentials.signedByController(signedBy, networkId(), controller)) {
      return false;
    }
    return Credentials.verify(controller, signedMessage(), signature);
  }

  /** A COM signs its qualifiers alone, without the markers of the other credentials. */
  private WireWriter signedMessage() {
    WireWriter m = new WireWriter(24 * qualifiers.size());
    writeQualifiers(m);
    return m;
  }

  /**
   * The 1.x agreement check (spec 7.7), a pure function: for every qualifier of this (our) COM the other COM has the
   * same id with |ours − theirs| ≤ our maxDelta, and if ours has any of ids 3–6, the other's 3–6 equal the identity
   * hash of {@code otherIdentity}. False if either COM has no qualifiers.
   */
  public boolean agreesWith(CertificateOfMembership other, Identity otherIdentity) {
    if (qualifiers.isEmpty() || other.qualifiers.isEmpty()) {
      return false;
    }
    boolean full = false;
    for (Qualifier q : qualifiers) {
      if (q.id() >= 3 && q.id() <= 6) {
        full = true;
      }
      Qualifier o = other.qualifier(q.id());
      if (o == null) {
        return false;
      }
      long a = q.value();
      long b = o.value();
      long diff = Long.compareUnsigned(a, b) >= 0 ? a - b : b - a;
      if (Long.compareUnsigned(diff, q.maxDelta()) > 0) {
        return false;
      }
    }
    if (full) {
      byte[] h = otherIdentity.sha384AddressAndPublicKey();
      for (int i = 0; i < 4; i++) {
        Qualifier o = other.qualifier(3 + i);
        if (o == null || o.value() != Bytes.u64(h, 8 * i)) {
          return false;
        }
      }
    }
    return true;
  }

  /** The qualifier with this id, or null; for a repeated id the last one wins, as in the 1.x map. */
  public @Nullable Qualifier qualifier(long id) {
    Qualifier found = null;
    for (Qualifier q : qualifiers) {
      if (q.id() == id) {
        found = q; // last wins, as in the 1.x map
      }
    }
    return found;
  }

  public List<Qualifier> qualifiers() {
    return qualifiers;
  }

  /** Qualifier 0 value, or 0. */
  public long timestamp() {
    Qualifier q = qualifier(QUALIFIER_TIMESTAMP);
    return q == null ? 0 : q.value();
  }

  /** Qualifier 1 value, or 0. */
  public long networkId() {
    Qualifier q = qualifier(QUALIFIER_NETWORK_ID);
    return q == null ? 0 : q.value();
  }

  /** Qualifier 2 value, or 0. */
  public long issuedTo() {
    Qualifier q = qualifier(QUALIFIER_ISSUED_TO);
    return q == null ? 0 : q.value();
  }

  /** Signer address, 0 if unsigned. */
  public long signedBy() {
    return signedBy;
  }

  /** 96-byte signature copy (empty if unsigned). */
  public byte[] signature() {
    return signature.clone();
  }

  private void writeQualifiers(WireWriter m) {
    for (Qualifier q : qualifiers) {
      m.u64(q.id()).u64(q.value()).u64(q.maxDelta());
    }
  }

  /** Wire form: 0x01, count, qualifiers, signer, signature if signed. */
  public byte[] toBytes() {
    return Credentials.toBytes(3 + 24 * qualifiers.size() + 5 + 96, this::write);
  }

  void write(WireWriter out) {
    out.u8(1).u16(qualifiers.size());
    writeQualifiers(out);
    out.u40(signedBy);
    if (signedBy != 0) {
      out.bytes(signature.length == 96 ? signature : new byte[96]);
    }
  }

  /** Parses exactly one COM occupying all of {@code b}. */
  public static CertificateOfMembership parse(byte[] b) {
    Parsed<CertificateOfMembership> p = read(b, 0, b.length);
    if (p.length() != b.length) {
      throw new WireFormatException("COM: " + (b.length - p.length()) + " trailing bytes");
    }
    return p.value();
  }

  /**
   * Reads one COM at {@code off}.
   *
   * @throws WireFormatException if truncated, not version 1, qualifiers out of order or more than 8
   */
  public static Parsed<CertificateOfMembership> read(byte[] b, int off, int end) {
    WireReader c = WireReader.of(b, off, end, "COM");
    if (c.u8() != 1) {
      throw c.error("unsupported version (first byte must be 0x01)");
    }
    int n = c.u16();
    if (n > MAX_QUALIFIERS) {
      throw c.error(n + " qualifiers (at most " + MAX_QUALIFIERS + ")");
    }
    List<Qualifier> q = new ArrayList<>(n);
    long last = 0;
    for (int i = 0; i < n; i++) {
      long id = c.u64();
      if (Long.compareUnsigned(id, last) < 0) {
        throw c.error("qualifiers not in ascending id order");
      }
      last = id;
      q.add(new Qualifier(id, c.u64(), c.u64()));
    }
    long signer = c.u40();
    byte[] sig = signer != 0 ? c.bytes(96) : new byte[0];
    return new Parsed<>(new CertificateOfMembership(q, signer, sig), c.position() - off);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof CertificateOfMembership c && c.qualifiers.equals(qualifiers) && c.signedBy == signedBy
        && Arrays.equals(c.signature, signature);
  }

  @Override
  public int hashCode() {
    return qualifiers.hashCode() * 31 + Long.hashCode(signedBy);
  }

  @Override
  public String toString() {
    return "COM{nwid=" + NetworkId.toString(networkId()) + ", ts=" + timestamp() + ", to=" + Long.toHexString(
        issuedTo())
        + ", signedBy=" + Long.toHexString(signedBy) + ", qualifiers=" + qualifiers.size() + "}";
  }
}
