package dev.ztjvm.underlay.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.jspecify.annotations.Nullable;

/** NAT-PMP messages (RFC 6886 section 3): version 0, big-endian, to the gateway's UDP port 5351. */
final class NatPmp {
  static final int VERSION = 0;
  static final int OP_EXTERNAL_ADDRESS = 0;
  static final int OP_MAP_UDP = 1;
  static final int RESPONSE_BIT = 128;
  static final int RESULT_SUCCESS = 0;
  static final int RESULT_UNSUPPORTED_VERSION = 1;

  private NatPmp() {}

  /** External address request (section 3.2): version, opcode 0. */
  static byte[] externalAddressRequest() {
    return new byte[] {VERSION, OP_EXTERNAL_ADDRESS};
  }

  /** UDP mapping request (section 3.3); lifetime 0 with suggested port 0 deletes the mapping (section 3.4). */
  static byte[] mapUdpRequest(int internalPort, int suggestedExternalPort, long lifetimeSeconds) {
    return ByteBuffer.allocate(12)
        .put((byte) VERSION)
        .put((byte) OP_MAP_UDP)
        .putShort((short) 0)
        .putShort((short) internalPort)
        .putShort((short) suggestedExternalPort)
        .putInt((int) lifetimeSeconds)
        .array();
  }

  /** A parsed answer: the result code always; the rest only for a successful answer of the full length. */
  record Response(int opcode, int resultCode, long epochSeconds, @Nullable InetAddress externalAddress,
      int internalPort, int externalPort, long lifetimeSeconds) {}

  /**
   * Parses an answer to {@code requestOpcode}; null when it is not one (wrong version or opcode, too short): such
   * datagrams are dropped. Error answers need only the 8-byte common header (section 3.5).
   */
  static @Nullable Response parse(byte[] b, int len, int requestOpcode) {
    if (len < 8 || (b[0] & 0xff) != VERSION || (b[1] & 0xff) != RESPONSE_BIT + requestOpcode) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(b, 0, len);
    in.position(2);
    int result = in.getShort() & 0xffff;
    long epoch = in.getInt() & 0xffffffffL;
    if (result != RESULT_SUCCESS) {
      return new Response(requestOpcode, result, epoch, null, 0, 0, 0);
    }
    if (requestOpcode == OP_EXTERNAL_ADDRESS) {
      if (len < 12) {
        return null;
      }
      byte[] ip = new byte[4];
      in.get(ip);
      try {
        return new Response(requestOpcode, result, epoch, (Inet4Address) InetAddress.getByAddress(ip), 0, 0, 0);
      } catch (UnknownHostException e) {
        return null; // cannot happen for 4 bytes
      }
    }
    if (len < 16) {
      return null;
    }
    int internal = in.getShort() & 0xffff;
    int external = in.getShort() & 0xffff;
    long lifetime = in.getInt() & 0xffffffffL;
    return new Response(requestOpcode, result, epoch, null, internal, external, lifetime);
  }

  /** Names a result code (section 3.5). */
  static String resultName(int code) {
    return switch (code) {
      case 0 -> "SUCCESS";
      case 1 -> "UNSUPPORTED_VERSION";
      case 2 -> "NOT_AUTHORIZED";
      case 3 -> "NETWORK_FAILURE";
      case 4 -> "OUT_OF_RESOURCES";
      case 5 -> "UNSUPPORTED_OPCODE";
      default -> "UNKNOWN_" + code;
    };
  }
}
