package dev.ztjvm.tools.iperf;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The test parameters the client sends after PARAM_EXCHANGE (the part of iperf3's set this implementation uses).
 *
 * @param protocol {@code tcp}, {@code udp} or {@code sctp} (only TCP is served)
 * @param seconds test duration ({@code time}); 0 when the test ends by bytes or blocks
 * @param bytes end after this many bytes ({@code num}), 0 for none
 * @param blocks end after this many blocks ({@code blockcount}), 0 for none
 * @param parallel number of data streams
 * @param reverse the server sends ({@code -R})
 * @param bidirectional both send ({@code --bidir}; not served)
 * @param blockSize bytes per write ({@code len})
 * @param omit seconds at the start not counted ({@code -O}; not served)
 */
record IperfParameters(String protocol, int seconds, long bytes, long blocks, int parallel, boolean reverse,
    boolean bidirectional, int blockSize, int omit) {

  /** iperf3's limit on parallel streams. */
  static final int MAX_STREAMS = 128;
  /** iperf3's limit on a TCP block (MAX_BLOCKSIZE). */
  static final int MAX_BLOCK_SIZE = 1024 * 1024;
  /** iperf3's limit on the duration (MAX_TIME, one day). */
  static final int MAX_SECONDS = 86400;

  static IperfParameters client(int seconds, int parallel, boolean reverse) {
    return new IperfParameters("tcp", seconds, 0, 0, parallel, reverse, false, IperfProtocol.DEFAULT_BLOCK_SIZE, 0);
  }

  ObjectNode toJson(String clientVersion) {
    ObjectNode j = IperfProtocol.JSON.createObjectNode();
    j.put(protocol, true);
    j.put("omit", omit);
    j.put("time", seconds);
    j.put("num", bytes);
    j.put("blockcount", blocks);
    j.put("parallel", parallel);
    if (reverse) {
      j.put("reverse", true);
    }
    if (bidirectional) {
      j.put("bidirectional", true);
    }
    j.put("len", blockSize);
    j.put("pacing_timer", 1000);
    j.put("client_version", clientVersion);
    return j;
  }

  /** Reads what a client sent; missing fields take iperf3's defaults. */
  static IperfParameters fromJson(JsonNode j) {
    String protocol = isTrue(j, "udp") ? "udp" : isTrue(j, "sctp") ? "sctp" : "tcp";
    int len = (int) number(j, "len", 0);
    return new IperfParameters(protocol, (int) number(j, "time", 10), number(j, "num", 0),
        number(j, "blockcount", 0), (int) number(j, "parallel", 1), isTrue(j, "reverse"),
        isTrue(j, "bidirectional"), len == 0 ? IperfProtocol.DEFAULT_BLOCK_SIZE : len, (int) number(j, "omit", 0));
  }

  /** Why this server cannot run the test, or null if it can. */
  String unsupportedReason() {
    if (!protocol.equals("tcp")) {
      return protocol.toUpperCase(java.util.Locale.ROOT) + " tests are not supported (TCP only)";
    }
    if (bidirectional) {
      return "--bidir is not supported";
    }
    if (omit != 0) {
      return "--omit is not supported";
    }
    return null;
  }

  /** Why the values are out of iperf3's ranges, or null. */
  String invalidReason() {
    if (parallel < 1 || parallel > MAX_STREAMS) {
      return "parallel streams " + parallel + " not in 1.." + MAX_STREAMS;
    }
    if (blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
      return "block size " + blockSize + " not in 1.." + MAX_BLOCK_SIZE;
    }
    if (seconds < 0 || seconds > MAX_SECONDS) {
      return "duration " + seconds + " s not in 0.." + MAX_SECONDS;
    }
    if (bytes < 0 || blocks < 0) {
      return "negative byte or block count";
    }
    return null;
  }

  private static boolean isTrue(JsonNode j, String name) {
    JsonNode v = j.get(name);
    return v != null && v.isBoolean() && v.booleanValue();
  }

  private static long number(JsonNode j, String name, long absent) {
    JsonNode v = j.get(name);
    return v != null && v.isNumber() ? v.longValue() : absent;
  }
}
