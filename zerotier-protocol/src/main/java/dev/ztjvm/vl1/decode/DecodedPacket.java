package dev.ztjvm.vl1.decode;

import dev.ztjvm.identity.Address;
import dev.ztjvm.vl1.ErrorCode;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.Responses;
import dev.ztjvm.vl1.Verb;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One ZeroTier packet found in a capture (fragments already reassembled).
 *
 * @param frames capture record numbers of its datagrams (head first)
 * @param packet the packet: dearmored and decompressed if {@link Status#AUTHENTICATED}, else as received
 * @param cipher the cipher suite from the flags byte
 * @param compressed whether the payload arrived LZ4-compressed
 */
public record DecodedPacket(
    List<Integer> frames,
    long source,
    long destination,
    long packetId,
    int hops,
    int cipher,
    Status status,
    boolean compressed,
    byte[] packet) {

  /** Outcome of authenticating a packet. */
  public enum Status {
    /** MAC verified (and decrypted, decompressed). */
    AUTHENTICATED,
    /** The key was known but the MAC did not verify, the suite is unsupported, or decompression failed. */
    FAILED,
    /** Neither endpoint's secret (or one endpoint's identity) is known. */
    UNKNOWN_KEY
  }

  public DecodedPacket {
    frames = List.copyOf(frames);
    packet = packet.clone();
  }

  @Override
  public byte[] packet() {
    return packet.clone();
  }

  /** The verb code, meaningful when authenticated (or for suite 0). */
  public int verbCode() {
    return Packet.verbCode(packet, 0);
  }

  /** The verb's name, or "?" if the packet is still encrypted. */
  public String verbName() {
    if (status != Status.AUTHENTICATED && cipher != 0) {
      return "?";
    }
    String name = Verb.nameOf(verbCode());
    Verb v = Verb.of(verbCode());
    if ((v == Verb.OK && Responses.isValidOk(packet.length)) || (v == Verb.ERROR && Responses.isValidError(
        packet.length))) {
      name += "(" + Verb.nameOf(Responses.inReVerb(packet, 0)) + ")";
    }
    return name;
  }

  private String errorDetail() {
    if ((status != Status.AUTHENTICATED && cipher != 0) || Verb.of(verbCode()) != Verb.ERROR
        || !Responses.isValidError(packet.length)) {
      return "";
    }
    ErrorCode code = ErrorCode.of(Responses.errorCode(packet, 0));
    return " " + (code != null ? code.name() : "code " + Responses.errorCode(packet, 0));
  }

  /** The payload after the verb byte. */
  public byte[] payload() {
    byte[] p = new byte[Math.max(0, packet.length - Packet.IDX_PAYLOAD)];
    System.arraycopy(packet, Packet.IDX_PAYLOAD, p, 0, p.length);
    return p;
  }

  /** One line for the {@code decode} tool. */
  public String toLine() {
    return "frame " + frames.stream().map(String::valueOf).collect(Collectors.joining("+"))
        + " " + Address.toString(source) + " -> " + Address.toString(destination)
        + " pid " + String.format("%016x", packetId) + " hops " + hops + " cipher " + cipher + " "
        + verbName() + errorDetail() + (compressed ? " lz4" : "") + " len " + packet.length + " "
        + switch (status) {
          case AUTHENTICATED -> "authenticated";
          case FAILED -> "FAILED";
          case UNKNOWN_KEY -> "unknown-key";
        };
  }
}
