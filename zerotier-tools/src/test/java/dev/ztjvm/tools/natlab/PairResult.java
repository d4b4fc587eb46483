package dev.ztjvm.tools.natlab;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * What the lab measured for one pair of members.
 *
 * @param a the first member's NAT
 * @param b the second member's NAT
 * @param connects the first TCP connect a→b and b→a ({@code ok <ms>} or {@code fail <why>})
 * @param finalConnect a→b again after the observation window
 * @param aPaths a's last view of its paths to b ({@link NatLabMember} {@code PATHS} answer)
 * @param bPaths b's last view of its paths to a
 * @param directAfterSeconds seconds from the first connect until both saw a direct path, −1 if none formed
 */
record PairResult(NatType a, NatType b, List<String> connects, String finalConnect, String aPaths, String bPaths,
    double directAfterSeconds) {

  /** A live UDP path to a router's public address (198.18.0.11 and up), not to the root's or the relay's. */
  private static final Pattern DIRECT = Pattern.compile("(^|,)udp:198\\.18\\.0\\.(1\\d|[2-9]\\d)/\\d+");

  enum Outcome {
    DIRECT("direct"), ROOT_RELAY("relayed by the root"), TCP_RELAY("TCP relay");

    final String text;

    Outcome(String text) {
      this.text = text;
    }
  }

  PairResult {
    connects = List.copyOf(connects);
  }

  static boolean directUdp(String paths) {
    return DIRECT.matcher(paths).find();
  }

  Outcome outcome() {
    if (aPaths.contains("tcpRelay=true") || bPaths.contains("tcpRelay=true")) {
      return Outcome.TCP_RELAY;
    }
    return directAfterSeconds >= 0 ? Outcome.DIRECT : Outcome.ROOT_RELAY;
  }

  String pair() {
    return a.label() + " ↔ " + b.label();
  }

  /** The matrix as a Markdown table, one row per pair. */
  static String markdown(List<PairResult> results) {
    StringBuilder s = new StringBuilder(
        "| pair | path | direct after | first TCP connect a→b / b→a |\n| --- | --- | --- | --- |\n");
    for (PairResult r : results) {
      s.append("| ").append(r.pair()).append(" | ").append(r.outcome().text).append(" | ")
          .append(r.directAfterSeconds < 0 ? "—" : String.format(Locale.ROOT, "%.1f s", r.directAfterSeconds))
          .append(" | ").append(ms(r.connects.get(0))).append(" / ").append(ms(r.connects.get(1))).append(" |\n");
    }
    return s.toString();
  }

  private static String ms(String connect) {
    return connect.startsWith("ok ") ? connect.substring(3) + " ms" : connect;
  }
}
