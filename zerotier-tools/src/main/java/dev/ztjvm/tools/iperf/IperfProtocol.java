package dev.ztjvm.tools.iperf;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The wire format of iperf3's control connection (as iperf3 3.x speaks it): the cookie, the state bytes, the
 * length-prefixed JSON messages, and the error codes this implementation sends or names.
 */
final class IperfProtocol {
  private IperfProtocol() {}

  /** The default server port. */
  static final int DEFAULT_PORT = 5201;
  /** 36 characters and a NUL: identifies a test on its control and data connections. */
  static final int COOKIE_SIZE = 37;
  /** iperf3's default TCP block size (128 KiB). */
  static final int DEFAULT_BLOCK_SIZE = 128 * 1024;
  /** iperf3's limit for a parameters message. */
  static final int MAX_PARAMS_JSON = 8 * 1024;
  /** A sanity limit for a results message (iperf3 itself has none). */
  static final int MAX_RESULTS_JSON = 4 * 1024 * 1024;

  // Control states (iperf_api.h); sent as one signed byte.
  static final int TEST_START = 1;
  static final int TEST_RUNNING = 2;
  static final int TEST_END = 4;
  static final int PARAM_EXCHANGE = 9;
  static final int CREATE_STREAMS = 10;
  static final int SERVER_TERMINATE = 11;
  static final int CLIENT_TERMINATE = 12;
  static final int EXCHANGE_RESULTS = 13;
  static final int DISPLAY_RESULTS = 14;
  static final int IPERF_DONE = 16;
  static final int ACCESS_DENIED = -1;
  static final int SERVER_ERROR = -2;

  // iperf3 error numbers (i_errno) sent after SERVER_ERROR.
  /** "an option you are trying to set is not implemented yet". */
  static final int IE_UNIMPLEMENTED = 13;
  /** "unable to receive parameters from client". */
  static final int IE_RECEIVE_PARAMETERS = 114;

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final byte[] COOKIE_CHARS = "abcdefghijklmnopqrstuvwxyz234567".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  /** A new random cookie as iperf3 makes them: 36 characters of a base-32 alphabet and a terminating NUL. */
  static byte[] newCookie() {
    byte[] c = new byte[COOKIE_SIZE];
    for (int i = 0; i < COOKIE_SIZE - 1; i++) {
      c[i] = COOKIE_CHARS[RANDOM.nextInt(COOKIE_CHARS.length)];
    }
    return c;
  }

  static byte[] readCookie(InputStream in) throws IOException {
    byte[] c = new byte[COOKIE_SIZE];
    new DataInputStream(in).readFully(c);
    return c;
  }

  static void writeState(OutputStream out, int state) throws IOException {
    out.write(state);
    out.flush();
  }

  /** The next state byte (signed). */
  static int readState(InputStream in) throws IOException {
    int b = in.read();
    if (b < 0) {
      throw new EOFException("the other side closed the control connection");
    }
    return (byte) b;
  }

  /** A JSON message: its length as a 4-byte big-endian integer, then the JSON text. */
  static void writeJson(OutputStream out, ObjectNode json) throws IOException {
    byte[] text = JSON.writeValueAsBytes(json);
    byte[] length = {(byte) (text.length >>> 24), (byte) (text.length >>> 16), (byte) (text.length >>> 8),
        (byte) text.length};
    out.write(length);
    out.write(text);
    out.flush();
  }

  static JsonNode readJson(InputStream in, int maxSize) throws IOException {
    DataInputStream d = new DataInputStream(in);
    int length = d.readInt();
    if (length <= 0 || length > maxSize) {
      throw new IOException("JSON message of " + Integer.toUnsignedString(length) + " bytes (limit " + maxSize + ")");
    }
    byte[] text = new byte[length];
    d.readFully(text);
    try {
      JsonNode node = JSON.readTree(text);
      if (!node.isObject()) {
        throw new IOException("JSON message is not an object");
      }
      return node;
    } catch (JacksonException e) {
      throw new IOException("malformed JSON message: " + e.getOriginalMessage(), e);
    }
  }

  /** What an iperf3 error number means, for the ones a server is likely to send. */
  static String describeError(int errno) {
    return switch (errno) {
      case 5 -> "test duration too long";
      case 6 -> "number of parallel streams too large";
      case 7 -> "block size too large";
      case 13 -> "an option you are trying to set is not implemented";
      case 27 -> "total required bandwidth is larger than the server's limit";
      case 37 -> "the duration exceeds the server's maximum";
      case 114 -> "the server could not read the parameters";
      case 121 -> "the server is busy running a test";
      default -> "iperf3 error " + errno;
    };
  }
}
