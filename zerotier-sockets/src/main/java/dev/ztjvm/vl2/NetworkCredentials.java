package dev.ztjvm.vl2;

import java.util.ArrayList;
import java.util.List;

/**
 * The NETWORK_CREDENTIALS payload (spec 3.10): COMs (each starting 0x01) terminated by 0x00, then counted lists of
 * capabilities, tags, revocations and certificates of ownership. Sections after the COM terminator may be absent
 * (old senders). Credentials for several networks may be mixed.
 *
 * @param coms certificates of membership
 * @param capabilities capabilities
 * @param tags tags
 * @param revocations revocations
 * @param certificatesOfOwnership certificates of ownership
 */
public record NetworkCredentials(
    List<CertificateOfMembership> coms,
    List<Capability> capabilities,
    List<Tag> tags,
    List<Revocation> revocations,
    List<CertificateOfOwnership> certificatesOfOwnership) {

  public NetworkCredentials {
    coms = List.copyOf(coms);
    capabilities = List.copyOf(capabilities);
    tags = List.copyOf(tags);
    revocations = List.copyOf(revocations);
    certificatesOfOwnership = List.copyOf(certificatesOfOwnership);
  }

  /** The payload bytes (all sections, 1.x layout). */
  public byte[] toBytes() {
    ByteSink out = new ByteSink(256);
    coms.forEach(c -> c.write(out));
    out.u8(0);
    out.u16(capabilities.size());
    capabilities.forEach(c -> c.write(out));
    out.u16(tags.size());
    tags.forEach(t -> t.write(out));
    out.u16(revocations.size());
    revocations.forEach(r -> r.write(out));
    out.u16(certificatesOfOwnership.size());
    certificatesOfOwnership.forEach(c -> c.write(out));
    return out.toByteArray();
  }

  /**
   * Parses a payload.
   *
   * @throws Vl2FormatException if any contained credential is malformed or truncated
   */
  public static NetworkCredentials parse(byte[] b, int off, int len) {
    int end = off + len;
    Cursor c = new Cursor(b, off, end, "NETWORK_CREDENTIALS");
    List<CertificateOfMembership> coms = new ArrayList<>();
    List<Capability> caps = new ArrayList<>();
    List<Tag> tags = new ArrayList<>();
    List<Revocation> revs = new ArrayList<>();
    List<CertificateOfOwnership> coos = new ArrayList<>();
    while (c.remaining() > 0 && (b[c.p] & 0xff) == 0x01) {
      Parsed<CertificateOfMembership> p = CertificateOfMembership.read(b, c.p, end);
      coms.add(p.value());
      c.p += p.length();
    }
    if (c.remaining() > 0) {
      if (c.u8() != 0) {
        throw c.error("COM list not terminated by 0x00");
      }
    }
    if (c.remaining() >= 2) {
      int n = c.u16();
      for (int i = 0; i < n; i++) {
        Parsed<Capability> p = Capability.read(b, c.p, end);
        caps.add(p.value());
        c.p += p.length();
      }
    }
    if (c.remaining() >= 2) {
      int n = c.u16();
      for (int i = 0; i < n; i++) {
        Parsed<Tag> p = Tag.read(b, c.p, end);
        tags.add(p.value());
        c.p += p.length();
      }
    }
    if (c.remaining() >= 2) {
      int n = c.u16();
      for (int i = 0; i < n; i++) {
        Parsed<Revocation> p = Revocation.read(b, c.p, end);
        revs.add(p.value());
        c.p += p.length();
      }
    }
    if (c.remaining() >= 2) {
      int n = c.u16();
      for (int i = 0; i < n; i++) {
        Parsed<CertificateOfOwnership> p = CertificateOfOwnership.read(b, c.p, end);
        coos.add(p.value());
        c.p += p.length();
      }
    }
    return new NetworkCredentials(coms, caps, tags, revs, coos);
  }
}
