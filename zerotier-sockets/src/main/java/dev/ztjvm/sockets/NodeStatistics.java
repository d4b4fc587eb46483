package dev.ztjvm.sockets;

import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.vl1.Verb;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A snapshot of a node's statistics since its current run started ({@link ZeroTierNode#statistics()}): the VL1
 * (UDP / ZeroTier packet) counters by direction and verb, drops by reason, and the TCP statistics of the in-JVM stack
 * summed over the node and per joined network. Per-peer path latency is in {@link PeerDetails}.
 *
 * @param nodeId the node
 * @param datagramsIn UDP datagrams received (packets and fragments, before authentication)
 * @param datagramBytesIn bytes of those datagrams
 * @param datagramsOut UDP datagrams sent
 * @param datagramBytesOut bytes of those datagrams
 * @param packetsIn authenticated ZeroTier packets received, by verb (every verb present, zeros included)
 * @param bytesIn bytes of those packets (after decompression), by verb
 * @param packetsOut ZeroTier packets sent, by verb
 * @param bytesOut bytes of those packets (armored, before fragmentation), by verb
 * @param drops datagrams and packets dropped, by reason (every reason present); MAC/authentication failures are
 *     {@link Vl1Counters.Drop#MAC_FAILED}
 * @param relayed packets and fragments forwarded for other nodes (only a root relays)
 * @param pathsRefused candidate physical paths refused by the path policy (interfaces, prefixes, loopback)
 * @param tcp TCP statistics summed over all networks of this run (networks already left included in the counters)
 * @param networks per joined network
 */
public record NodeStatistics(
    long nodeId,
    long datagramsIn,
    long datagramBytesIn,
    long datagramsOut,
    long datagramBytesOut,
    Map<Verb, Long> packetsIn,
    Map<Verb, Long> bytesIn,
    Map<Verb, Long> packetsOut,
    Map<Verb, Long> bytesOut,
    Map<Vl1Counters.Drop, Long> drops,
    long relayed,
    long pathsRefused,
    TcpStatistics tcp,
    List<NetworkStatistics> networks) {

  /** Copies the maps and the list (unmodifiable). */
  public NodeStatistics {
    packetsIn = Map.copyOf(packetsIn);
    bytesIn = Map.copyOf(bytesIn);
    packetsOut = Map.copyOf(packetsOut);
    bytesOut = Map.copyOf(bytesOut);
    drops = Map.copyOf(drops);
    networks = List.copyOf(networks);
  }

  /** Reads VL1 counters (lock-free, any thread). */
  static NodeStatistics of(long nodeId, Vl1Counters c, TcpStatistics tcp, List<NetworkStatistics> networks) {
    return new NodeStatistics(nodeId, c.datagramsIn(), c.datagramBytesIn(), c.datagramsOut(), c.datagramBytesOut(),
        byVerb(c::packetsIn), byVerb(c::bytesIn), byVerb(c::packetsOut), byVerb(c::bytesOut), c.drops(),
        c.relayed(), c.pathsRefused(), tcp, networks);
  }

  /** One counter for every verb, zeros included. */
  private static Map<Verb, Long> byVerb(ToLongFunction<Verb> counter) {
    Map<Verb, Long> m = new EnumMap<>(Verb.class);
    for (Verb v : Verb.values()) {
      m.put(v, counter.applyAsLong(v));
    }
    return m;
  }

  private static long sum(Map<?, Long> counts) {
    return counts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** Authenticated packets received, all verbs. */
  public long totalPacketsIn() {
    return sum(packetsIn);
  }

  /** Packets sent, all verbs. */
  public long totalPacketsOut() {
    return sum(packetsOut);
  }

  /** Drops for all reasons. */
  public long totalDrops() {
    return sum(drops);
  }

  /** Packets whose MAC (Poly1305 or AES-GMAC-SIV tag) did not verify: forged, corrupted or keyed wrongly. */
  public long macFailures() {
    return drops.getOrDefault(Vl1Counters.Drop.MAC_FAILED, 0L);
  }

  /** Packets refused because the sender's identity was invalid or collided with a known one. */
  public long identityFailures() {
    return drops.getOrDefault(Vl1Counters.Drop.BAD_IDENTITY, 0L);
  }

  /** One network's statistics, or null if it is not joined. */
  public @org.jspecify.annotations.Nullable NetworkStatistics network(long networkId) {
    for (NetworkStatistics n : networks) {
      if (n.networkId() == networkId) {
        return n;
      }
    }
    return null;
  }
}
