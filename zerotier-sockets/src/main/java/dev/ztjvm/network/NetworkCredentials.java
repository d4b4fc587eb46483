package dev.ztjvm.network;

import dev.ztjvm.vl2.Capability;
import dev.ztjvm.vl2.CertificateOfMembership;
import dev.ztjvm.vl2.CertificateOfOwnership;
import dev.ztjvm.vl2.Parsed;
import dev.ztjvm.vl2.Revocation;
import dev.ztjvm.vl2.Tag;
import dev.ztjvm.vl2.Vl2FormatException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The NETWORK_CREDENTIALS payload (spec 3.10): COMs terminated by 0x00, then counted capabilities, tags,
 * revocations and certificates of ownership. Credentials of several networks may be mixed.
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

  /** Serialises the payload. */
  public byte[] toBytes() {
    ByteArrayOutputStream o = new ByteArrayOutputStream(256);
    for (CertificateOfMembership c : coms) {
      o.writeBytes(c.toBytes());
    }
    o.write(0);
    u16(o, capabilities.size());
    for (Capability c : capabilities) {
      o.writeBytes(c.toBytes());
    }
    u16(o, tags.size());
    for (Tag t : tags) {
      o.writeBytes(t.toBytes());
    }
    u16(o, revocations.size());
    for (Revocation r : revocations) {
      o.writeBytes(r.toBytes());
    }
    u16(o, certificatesOfOwnership.size());
    for (CertificateOfOwnership c : certificatesOfOwnership) {
      o.writeBytes(c.toBytes());
    }
    return o.toByteArray();
  }

  private static void u16(ByteArrayOutputStream o, int v) {
    o.write(v >>> 8);
    o.write(v);
  }

  /**
   * Parses a payload; the sections after the COM terminator may be absent (old senders).
   *
   * @throws Vl2FormatException if a credential is malformed or a section is truncated
   */
  public static NetworkCredentials parse(byte[] b, int off, int len) {
    int end = off + len;
    int p = off;
    List<CertificateOfMembership> coms = new ArrayList<>();
    while (p < end && b[p] != 0) {
      Parsed<CertificateOfMembership> c = CertificateOfMembership.read(b, p, end);
      coms.add(c.value());
      p += c.length();
    }
    p++; // the terminator (or past the end)
    List<Capability> caps = new ArrayList<>();
    List<Tag> tags = new ArrayList<>();
    List<Revocation> revs = new ArrayList<>();
    List<CertificateOfOwnership> coos = new ArrayList<>();
    if (p + 2 <= end) {
      int n = count(b, p, end);
      p += 2;
      for (int i = 0; i < n; i++) {
        Parsed<Capability> c = Capability.read(b, p, end);
        caps.add(c.value());
        p += c.length();
      }
    }
    if (p + 2 <= end) {
      int n = count(b, p, end);
      p += 2;
      for (int i = 0; i < n; i++) {
        Parsed<Tag> t = Tag.read(b, p, end);
        tags.add(t.value());
        p += t.length();
      }
    }
    if (p + 2 <= end) {
      int n = count(b, p, end);
      p += 2;
      for (int i = 0; i < n; i++) {
        Parsed<Revocation> r = Revocation.read(b, p, end);
        revs.add(r.value());
        p += r.length();
      }
    }
    if (p + 2 <= end) {
      int n = count(b, p, end);
      p += 2;
      for (int i = 0; i < n; i++) {
        Parsed<CertificateOfOwnership> c = CertificateOfOwnership.read(b, p, end);
        coos.add(c.value());
        p += c.length();
      }
    }
    return new NetworkCredentials(coms, caps, tags, revs, coos);
  }

  private static int count(byte[] b, int p, int end) {
    if (p + 2 > end) {
      throw new Vl2FormatException("NETWORK_CREDENTIALS: truncated count");
    }
    return ((b[p] & 0xff) << 8) | (b[p + 1] & 0xff);
  }
}
