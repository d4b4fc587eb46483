package dev.ztjvm.vl1.decode;

import dev.ztjvm.crypto.PacketArmor;
import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.FragmentReassembler;
import dev.ztjvm.vl1.Hello;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.PacketCompressor;
import dev.ztjvm.vl1.Verb;
import dev.ztjvm.vl1.pcap.UdpDatagram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * Decodes captured ZeroTier traffic with known identities: classifies datagrams (spec 2.1), reassembles fragments,
 * derives the key of every pair where one side's secret is known, dearmors (HELLO including its encrypted moon
 * section), and decompresses. Datagrams that are not ZeroTier packets (beacons, NAT-traversal junk, anything shorter
 * than a header) are skipped.
 */
public final class CaptureDecoder {

  private final Map<Long, Identity> identities = new HashMap<>();
  private final Map<Pair, @Nullable SymmetricKey> keys = new HashMap<>();
  private record Pair(long low, long high) {}

  private final PacketArmor armor = new PacketArmor();
  private final PacketCompressor compressor = new PacketCompressor();

  /** @param known identities; those with secrets let their traffic be authenticated */
  public CaptureDecoder(Collection<Identity> known) {
    for (Identity id : known) {
      Identity prev = identities.get(id.address());
      if (prev == null || (!prev.hasSecret() && id.hasSecret())) {
        identities.put(id.address(), id);
      }
    }
  }

  /**
   * Every {@code identity.secret} under a directory tree (the {@code decode} tool's {@code --identities}).
   *
   * @throws IOException if the tree cannot be read
   * @throws IllegalArgumentException naming the file if one does not parse
   */
  public static List<Identity> loadSecrets(Path dir) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.walk(dir)) {
      files = s.filter(f -> f.getFileName().toString().equals("identity.secret") && Files.isRegularFile(f))
          .sorted()
          .toList();
    }
    List<Identity> ids = new ArrayList<>();
    for (Path f : files) {
      try {
        ids.add(Identity.parse(Files.readString(f).trim()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(f + ": " + e.getMessage(), e);
      }
    }
    return ids;
  }

  /** Decodes the datagrams in capture order. */
  public List<DecodedPacket> decode(List<UdpDatagram> datagrams) {
    FragmentReassembler reassembler = new FragmentReassembler();
    Map<Long, List<Integer>> fragmentFrames = new HashMap<>();
    byte[] assembled = new byte[Packet.MAX_PACKET_LENGTH];
    List<DecodedPacket> out = new ArrayList<>();
    for (UdpDatagram d : datagrams) {
      byte[] b = d.payload();
      long now = d.timestampMicros() / 1000;
      if (b.length == Packet.BEACON_LENGTH) {
        continue;
      }
      if (Packet.isFragment(b, 0, b.length) || (Packet.isPacketHead(b, 0, b.length) && Packet.isFragmented(b, 0))) {
        boolean fragment = Packet.isFragment(b, 0, b.length);
        long id = Packet.packetId(b, 0);
        List<Integer> frames = fragmentFrames.computeIfAbsent(id, k -> new ArrayList<>());
        if (fragment) {
          frames.add(d.frame());
        } else {
          frames.add(0, d.frame());
        }
        int n = fragment
            ? reassembler.offerFragment(b, 0, b.length, now, assembled, 0)
            : reassembler.offerHead(b, 0, b.length, now, assembled, 0);
        if (n > 0) {
          fragmentFrames.remove(id);
          out.add(decodePacket(frames, Arrays.copyOf(assembled, n)));
        }
      } else if (Packet.isPacketHead(b, 0, b.length)) {
        out.add(decodePacket(List.of(d.frame()), b));
      }
    }
    return out;
  }

  private DecodedPacket decodePacket(List<Integer> frames, byte[] wire) {
    long src = Packet.source(wire, 0);
    long dst = Packet.destination(wire, 0);
    long pid = Packet.packetId(wire, 0);
    int hops = Packet.hops(wire, 0);
    int cipher = Packet.cipher(wire, 0);
    SymmetricKey key = key(src, dst);
    if (key == null && cipher == PacketArmor.SUITE_POLY1305_NONE && Packet.verbCode(wire, 0) == Verb.HELLO.code()) {
      Identity sender = Hello.peekIdentity(wire, 0, wire.length); // a HELLO carries its sender's identity
      Identity receiver = identities.get(dst);
      if (sender != null && sender.address() == src && receiver != null && receiver.hasSecret()) {
        key = receiver.agree(sender);
      }
    }
    if (key == null) {
      return new DecodedPacket(frames, src, dst, pid, hops, cipher, DecodedPacket.Status.UNKNOWN_KEY,
          cipher == 0 && Packet.isCompressed(wire, 0), wire);
    }
    byte[] p = Arrays.copyOf(wire, Math.max(wire.length, Packet.MAX_PACKET_LENGTH));
    boolean ok = cipher == PacketArmor.SUITE_POLY1305_NONE && Packet.verbCode(p, 0) == Verb.HELLO.code()
        ? Hello.dearmor(armor, p, 0, wire.length, key)
        : armor.dearmor(p, 0, wire.length, key);
    if (!ok) {
      return new DecodedPacket(frames, src, dst, pid, hops, cipher, DecodedPacket.Status.FAILED,
          cipher == 0 && Packet.isCompressed(wire, 0), wire);
    }
    boolean compressed = Packet.isCompressed(p, 0);
    int len = compressor.decompress(p, 0, wire.length);
    if (len < 0) {
      return new DecodedPacket(frames, src, dst, pid, hops, cipher, DecodedPacket.Status.FAILED, true, wire);
    }
    return new DecodedPacket(frames, src, dst, pid, hops, cipher, DecodedPacket.Status.AUTHENTICATED, compressed,
        Arrays.copyOf(p, len));
  }

  private @Nullable SymmetricKey key(long a, long b) {
    Pair pair = new Pair(Math.min(a, b), Math.max(a, b));
    if (keys.containsKey(pair)) {
      return keys.get(pair);
    }
    Identity x = identities.get(a);
    Identity y = identities.get(b);
    SymmetricKey k = null;
    if (x != null && y != null) {
      if (x.hasSecret()) {
        k = x.agree(y);
      } else if (y.hasSecret()) {
        k = y.agree(x);
      }
    }
    keys.put(pair, k);
    return k;
  }
}
