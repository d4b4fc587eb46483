package dev.ztjvm.vl1;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A HELLO payload (spec 3.2). HELLO is always armored with suite 0 and its moon list is encrypted separately with
 * {@link PacketArmor#cryptField}; {@link #armor} and {@link #dearmor} do both steps in the right order.
 *
 * @param physicalDestination the physical address the packet was sent to, or null if unknown
 * @param moons moons the sender has, then moons it wants (timestamp 0)
 */
public record Hello(
    int protocolVersion,
    int major,
    int minor,
    int revision,
    long timestamp,
    Identity identity,
    @Nullable InetSocketAddress physicalDestination,
    long planetId,
    long planetTimestamp,
    List<MoonRef> moons) {

  /** Offset of the sender identity inside the packet (fixed: after version fields and timestamp). */
  public static final int IDX_IDENTITY = Packet.IDX_PAYLOAD + 13;

  /** One moon entry of the encrypted section. */
  public record MoonRef(int type, long worldId, long timestamp) {}

  public Hello {
    moons = List.copyOf(moons);
  }

  /**
   * Writes the complete plaintext HELLO packet (header, verb, payload) to {@code buf[off..]} and returns its length.
   * The moon section is still in the clear; {@link #armor} encrypts it.
   */
  public int write(byte[] buf, int off, long packetId, long destination) {
    Packet.writeHeader(buf, off, packetId, destination, identity.address(), Verb.HELLO);
    WireWriter w = new WireWriter(buf, off + Packet.IDX_PAYLOAD);
    w.u8(protocolVersion).u8(major).u8(minor).u16(revision).u64(timestamp);
    w.position(w.position() + identity.writeBinary(buf, w.position(), false));
    InetAddresses.write(w, physicalDestination);
    w.u64(planetId).u64(planetTimestamp);
    w.u16(moons.size());
    for (MoonRef m : moons) {
      w.u8(m.type()).u64(m.worldId()).u64(m.timestamp());
    }
    return w.position() - off;
  }

  /**
   * Offset (relative to {@code off}) of the encrypted moon section of the HELLO packet {@code pkt[off..off+len)}, or
   * −1 if the packet is too short or malformed before it. Works on wire and plaintext images alike.
   */
  public static int encryptedSectionStart(byte[] pkt, int off, int len) {
    try {
      WireReader r = new WireReader(pkt, off, len);
      r.skip(IDX_IDENTITY);
      r.identity();
      InetAddresses.read(r);
      r.skip(16);
      return r.position() - off;
    } catch (WireFormatException e) {
      return -1;
    }
  }

  /** Applies cryptField to the moon section and armors with suite 0. */
  public static void armor(PacketArmor armor, byte[] pkt, int off, int len, SymmetricKey key) {
    int start = encryptedSectionStart(pkt, off, len);
    if (start < 0) {
      throw new IllegalArgumentException("not a well-formed HELLO packet");
    }
    armor.cryptField(pkt, off, start, len, key);
    armor.armor(pkt, off, len, key, PacketArmor.SUITE_POLY1305_NONE);
  }

  /**
   * Verifies the MAC of a received HELLO and decrypts its moon section in place. Never throws; false if not
   * authentic or malformed.
   */
  public static boolean dearmor(PacketArmor armor, byte[] pkt, int off, int len, SymmetricKey key) {
    int start = encryptedSectionStart(pkt, off, len);
    if (start < 0 || !armor.dearmor(pkt, off, len, key)) {
      return false;
    }
    armor.cryptField(pkt, off, start, len, key);
    return true;
  }

  /**
   * The sender identity of a HELLO packet without dearmoring (needed to derive the key that checks the MAC), or
   * null if malformed.
   */
  public static @Nullable Identity peekIdentity(byte[] pkt, int off, int len) {
    try {
      WireReader r = new WireReader(pkt, off, len);
      r.skip(IDX_IDENTITY);
      return r.identity();
    } catch (WireFormatException e) {
      return null;
    }
  }

  /**
   * Parses a dearmored HELLO packet (moon section already decrypted). Returns null if malformed. Fields an old sender
   * omits (after the identity) are tolerated; trailing bytes are ignored as 1.x does.
   */
  public static @Nullable Hello parse(byte[] pkt, int off, int len) {
    try {
      return read(new WireReader(pkt, off, len));
    } catch (WireFormatException e) {
      return null;
    }
  }

  private static Hello read(WireReader r) {
    r.skip(Packet.IDX_PAYLOAD);
    int version = r.u8();
    int major = r.u8();
    int minor = r.u8();
    int revision = r.u16();
    long timestamp = r.u64();
    Identity id = r.identity();
    InetSocketAddress dest = null;
    long planetId = 0;
    long planetTs = 0;
    List<MoonRef> moons = new ArrayList<>();
    if (r.remaining() > 0) {
      dest = InetAddresses.read(r);
      if (r.remaining() >= 16) {
        planetId = r.u64();
        planetTs = r.u64();
        if (r.remaining() >= 2) {
          int n = r.u16();
          for (int i = 0; i < n; i++) {
            moons.add(new MoonRef(r.u8(), r.u64(), r.u64()));
          }
        }
      }
    }
    return new Hello(version, major, minor, revision, timestamp, id, dest, planetId, planetTs, moons);
  }
}
