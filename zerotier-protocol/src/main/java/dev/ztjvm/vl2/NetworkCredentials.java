package dev.ztjvm.vl2;

import dev.ztjvm.vl1.WireFormatException;
import dev.ztjvm.vl1.WireReader;
import dev.ztjvm.vl1.WireWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

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
    WireWriter out = new WireWriter(256);
    coms.forEach(c -> c.write(out));
    out.u8(0);
    writeCounted(out, capabilities, Capability::write);
    writeCounted(out, tags, Tag::write);
    writeCounted(out, revocations, Revocation::write);
    writeCounted(out, certificatesOfOwnership, CertificateOfOwnership::write);
    return out.toByteArray();
  }

  /**
   * Parses a payload.
   *
   * @throws WireFormatException if any contained credential is malformed or truncated
   */
  public static NetworkCredentials parse(byte[] b, int off, int len) {
    int end = off + len;
    WireReader c = WireReader.of(b, off, end, "NETWORK_CREDENTIALS");
    List<CertificateOfMembership> coms = new ArrayList<>();
    while (c.remaining() > 0 && (b[c.position()] & 0xff) == 0x01) {
      coms.add(next(c, CertificateOfMembership::read));
    }
    if (c.remaining() > 0) {
      if (c.u8() != 0) {
        throw c.error("COM list not terminated by 0x00");
      }
    }
    List<Capability> caps = readCounted(c, Capability::read);
    List<Tag> tags = readCounted(c, Tag::read);
    List<Revocation> revs = readCounted(c, Revocation::read);
    List<CertificateOfOwnership> coos = readCounted(c, CertificateOfOwnership::read);
    return new NetworkCredentials(coms, caps, tags, revs, coos);
  }

  /** Reads one credential of a concatenated list. */
  @FunctionalInterface
  private interface Reader<T> {
    Parsed<T> read(byte[] b, int off, int end);
  }

  private static <T> T next(WireReader c, Reader<T> reader) {
    Parsed<T> p = reader.read(c.array(), c.position(), c.end());
    c.skip(p.length());
    return p.value();
  }

  /** A u16 count and that many credentials; an empty list if the section is absent (old senders). */
  private static <T> List<T> readCounted(WireReader c, Reader<T> reader) {
    List<T> list = new ArrayList<>();
    if (c.remaining() >= 2) {
      int n = c.u16();
      for (int i = 0; i < n; i++) {
        list.add(next(c, reader));
      }
    }
    return list;
  }

  private static <T> void writeCounted(WireWriter out, List<T> list, BiConsumer<T, WireWriter> writer) {
    out.u16(list.size());
    list.forEach(t -> writer.accept(t, out));
  }
}
