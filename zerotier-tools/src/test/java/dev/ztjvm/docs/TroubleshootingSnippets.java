package dev.ztjvm.docs;

import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.node.Vl1Node;

/** The Java code shown in {@code docs/troubleshooting.md}. */
final class TroubleshootingSnippets {

  private TroubleshootingSnippets() {}

  static String vl1Report(Vl1Node node) {
    // region counters
    Vl1Counters c = node.counters();                       // readable from any thread
    String report = "online=" + node.online()
        + " datagramsOut=" + c.datagramsOut()              // 0: no root endpoint passed the path policy
        + " datagramsIn=" + c.datagramsIn()                // 0 while out > 0: UDP blocked or wrong address/port
        + " pathsRefused=" + c.pathsRefused()              // addresses refused by the policy (e.g. loopback)
        + " drops=" + c.drops();                           // MAC_FAILED, WHOIS_TIMEOUT, ... by reason
    // endregion
    return report;
  }
}
