package dev.ztjvm.underlay.portmap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * PCP MAP messages (RFC 6887 sections 7 and 11): a 24-byte common header and the 36-byte MAP payload, big-endian,
 * to the gateway's UDP port 5351. Addresses are 16 bytes, IPv4 ones as IPv4-mapped IPv6.
 */
final class Pcp {
  static final int VERSION = 2;
  static final int OP_MAP = 1;
  static final int RESPONSE_BIT = 0x80;
  static final int PROTOCOL_UDP = 17;
  static final int NONCE_LENGTH = 12;
  static final int MAP_LENGTH = 60;
  /** Largest PCP message (section 7). */
  static final int MAX_LENGTH = 1100;
  static final int RESULT_SUCCESS = 0;
  static final int RESULT_UNSUPP_VERSION = 1;

  private Pcp() {}

  /**
   * MAP request (sections 7.1 and 11.1) for UDP. {@code suggestedExternalPort} 0 lets the gateway choose; the
   * suggested external address is all zeros (no preference); lifetime 0 deletes the mapping (section 15).
   */
  static byte[] mapRequest(byte[] nonce, InetAddress clientAddress, int internalPort, int suggestedExternalPort,
      long lifetimeSeconds) {
    ByteBuffer out = ByteBuffer.allocate(MAP_LENGTH);
    out.put((byte) VERSION).put((byte) OP_MAP).putShort((short) 0).putInt((int) lifetimeSeconds);
    out.put(to16(clientAddress));
    out.put(nonce).put((byte) PROTOCOL_UDP).put(new byte[3]);
    out.putShort((short) internalPort).putShort((short) suggestedExternalPort);
    out.put(new byte[16]);
    return out.array();
  }

  /** A parsed MAP response; the mapping fields are meaningful only when {@code resultCode} is SUCCESS. */
  record MapResponse(int version, int resultCode, long lifetimeSeconds, long epochSeconds, byte[] nonce,
      int protocol, int internalPort, int externalPort, InetAddress externalAddress) {}

  /**
   * Parses a MAP response; null when the datagram is not one (too short or long, not a multiple of 4, no response
   * bit, other opcode): such datagrams are dropped (section 8.3). The version is returned as read, so the caller
   * can see an UNSUPP_VERSION answer.
   */
  static @Nullable MapResponse parseMap(byte[] b, int len) {
    if (len < MAP_LENGTH || len > MAX_LENGTH || len % 4 != 0) {
      return null;
    }
    if ((b[1] & 0xff) != (RESPONSE_BIT | OP_MAP)) {
      return null;
    }
    ByteBuffer in = ByteBuffer.wrap(b, 0, len);
    int version = in.get() & 0xff;
    in.get();
    in.get(); // reserved
    int result = in.get() & 0xff;
    long lifetime = in.getInt() & 0xffffffffL;
    long epoch = in.getInt() & 0xffffffffL;
    in.position(24);
    byte[] nonce = new byte[NONCE_LENGTH];
    in.get(nonce);
    int protocol = in.get() & 0xff;
    in.position(in.position() + 3);
    int internal = in.getShort() & 0xffff;
    int external = in.getShort() & 0xffff;
    byte[] ip = new byte[16];
    in.get(ip);
    InetAddress addr;
    try {
      addr = InetAddress.getByAddress(ip); // an IPv4-mapped address comes back as an Inet4Address
    } catch (UnknownHostException e) {
      return null; // cannot happen for 16 bytes
    }
    return new MapResponse(version, result, lifetime, epoch, nonce, protocol, internal, external, addr);
  }

  /** Whether a response belongs to our request: same nonce, UDP and internal port (section 11.3). */
  static boolean matches(MapResponse r, byte[] nonce, int internalPort) {
    return Arrays.equals(r.nonce(), nonce) && r.protocol() == PROTOCOL_UDP && r.internalPort() == internalPort;
  }

  static byte[] to16(InetAddress a) {
    byte[] raw = a.getAddress();
    if (a instanceof Inet4Address) {
      byte[] mapped = new byte[16];
      mapped[10] = (byte) 0xff;
      mapped[11] = (byte) 0xff;
      System.arraycopy(raw, 0, mapped, 12, 4);
      return mapped;
    }
    return raw;
  }

  /** Names a result code (section 7.4). */
  static String resultName(int code) {
    return switch (code) {
      case 0 -> "SUCCESS";
      case 1 -> "UNSUPP_VERSION";
      case 2 -> "NOT_AUTHORIZED";
      case 3 -> "MALFORMED_REQUEST";
      case 4 -> "UNSUPP_OPCODE";
      case 5 -> "UNSUPP_OPTION";
      case 6 -> "MALFORMED_OPTION";
      case 7 -> "NETWORK_FAILURE";
      case 8 -> "NO_RESOURCES";
      case 9 -> "UNSUPP_PROTOCOL";
      case 10 -> "USER_EX_QUOTA";
      case 11 -> "CANNOT_PROVIDE_EXTERNAL";
      case 12 -> "ADDRESS_MISMATCH";
      case 13 -> "EXCESSIVE_REMOTE_PEERS";
      default -> "UNKNOWN_" + code;
    };
  }
}
