package dev.ztjvm.sockets;

import dev.ztjvm.netstack.tcp.TcpStats;

/**
 * TCP statistics of the in-JVM stack: of one joined network, or summed over all networks of a node (including
 * networks already left during the current run).
 *
 * @param connectionsOpen connections registered right now, in any state (also handshakes and TIME_WAIT)
 * @param connectionsEstablished connections right now in a state that carries data (ESTABLISHED, CLOSE_WAIT)
 * @param counters monotonic counters since the node started: segments and payload bytes in/out, retransmissions
 *     (all, fast, RTO timeouts), resets in/out, connections opened (active), accepted (passive) and failed, listen
 *     queue drops, segments to ports without a listener, checksum errors and more (see {@link TcpStats})
 */
public record TcpStatistics(int connectionsOpen, int connectionsEstablished, TcpStats counters) {

  /** No connections, all counters zero. */
  public static final TcpStatistics EMPTY =
      new TcpStatistics(0, 0, new TcpStats(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));

  /** Connections this node opened (active opens) since it started. */
  public long connectionsOpened() {
    return counters.connectionsOpened();
  }

  /** Connections this node accepted (passive opens) since it started. */
  public long connectionsAccepted() {
    return counters.connectionsAccepted();
  }

  /** Segments retransmitted (for any reason) since the node started. */
  public long retransmits() {
    return counters.retransmits();
  }

  /** Resets sent plus resets received since the node started. */
  public long resets() {
    return counters.resetsIn() + counters.resetsOut();
  }

  /** The field-wise sum of two statistics. */
  public TcpStatistics plus(TcpStatistics o) {
    return new TcpStatistics(connectionsOpen + o.connectionsOpen, connectionsEstablished + o.connectionsEstablished,
        sum(counters, o.counters));
  }

  /** The counters of {@code o} added to these counters, with the gauges (open/established) left as they are. */
  TcpStatistics plusCounters(TcpStats o) {
    return new TcpStatistics(connectionsOpen, connectionsEstablished, sum(counters, o));
  }

  private static TcpStats sum(TcpStats a, TcpStats b) {
    return a.plus(b);
  }
}
