package dev.ztjvm.tools.iperf;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One side's results, exchanged after TEST_END (each side sends its own; the client first).
 *
 * @param cpuTotal CPU use of the process during the test, percent of one core
 * @param cpuUser the user part (the JVM does not split it: equal to the total)
 * @param cpuSystem the system part (0: not known)
 * @param senderHasRetransmits 1/0 when this side sent and does/does not know retransmits, -1 when it received
 * @param streams per data stream
 */
record IperfResults(double cpuTotal, double cpuUser, double cpuSystem, int senderHasRetransmits,
    List<Stream> streams) {

  /**
   * One stream's figures.
   *
   * @param id the stream ID (1, 3, 4, … in creation order, as iperf3 numbers them)
   * @param bytes bytes sent (if this side sent) or received
   * @param retransmits -1 when not known
   * @param startSeconds 0
   * @param endSeconds seconds from the start of the test to its end
   */
  record Stream(int id, long bytes, long retransmits, double startSeconds, double endSeconds) {
    double seconds() {
      return endSeconds - startSeconds;
    }
  }

  IperfResults {
    streams = List.copyOf(streams);
  }

  long totalBytes() {
    return streams.stream().mapToLong(Stream::bytes).sum();
  }

  /** The longest stream time: the test's duration as this side measured it. */
  double seconds() {
    return streams.stream().mapToDouble(Stream::seconds).max().orElse(0);
  }

  ObjectNode toJson() {
    ObjectNode j = IperfProtocol.JSON.createObjectNode();
    j.put("cpu_util_total", cpuTotal);
    j.put("cpu_util_user", cpuUser);
    j.put("cpu_util_system", cpuSystem);
    j.put("sender_has_retransmits", senderHasRetransmits);
    ArrayNode a = j.putArray("streams");
    for (Stream s : streams) {
      ObjectNode o = a.addObject();
      o.put("id", s.id());
      o.put("bytes", s.bytes());
      o.put("retransmits", s.retransmits());
      o.put("jitter", 0);
      o.put("errors", 0);
      o.put("omitted_errors", 0);
      o.put("packets", 0);
      o.put("omitted_packets", 0);
      o.put("start_time", s.startSeconds());
      o.put("end_time", s.endSeconds());
    }
    return j;
  }

  /** Reads the other side's results; fails like iperf3 does when a required field is missing. */
  static IperfResults fromJson(JsonNode j) throws IOException {
    double total = number(j, "cpu_util_total");
    double user = number(j, "cpu_util_user");
    double system = number(j, "cpu_util_system");
    int retransmits = (int) number(j, "sender_has_retransmits");
    JsonNode a = j.get("streams");
    if (a == null || !a.isArray()) {
      throw new IOException("results without streams");
    }
    List<Stream> streams = new ArrayList<>();
    for (JsonNode s : a) {
      JsonNode start = s.get("start_time");
      JsonNode end = s.get("end_time");
      streams.add(new Stream((int) number(s, "id"), (long) number(s, "bytes"), (long) number(s, "retransmits"),
          start != null && start.isNumber() ? start.doubleValue() : 0,
          end != null && end.isNumber() ? end.doubleValue() : 0));
    }
    return new IperfResults(total, user, system, retransmits, streams);
  }

  private static double number(JsonNode j, String name) throws IOException {
    JsonNode v = j.get(name);
    if (v == null || !v.isNumber()) {
      throw new IOException("results without a number '" + name + "'");
    }
    return v.doubleValue();
  }
}
