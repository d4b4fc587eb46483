package dev.ztjvm.spring.boot.metrics;

import dev.ztjvm.netstack.tcp.TcpStats;
import dev.ztjvm.network.NetworkStatus;
import dev.ztjvm.node.PeerInfo;
import dev.ztjvm.node.Vl1Counters;
import dev.ztjvm.sockets.PeerDetails;
import dev.ztjvm.sockets.TcpStatistics;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierReadiness;
import dev.ztjvm.spring.boot.ZeroTierSnapshots;
import dev.ztjvm.vl1.Verb;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters of a ZeroTier node, all named {@code zerotier.*} and tagged with {@code node}:
 * <ul>
 *   <li>{@code zerotier.node.online} (1 or 0)
 *   <li>{@code zerotier.peers} by {@code role} (leaf, moon, planet) and {@code path} (direct, relayed)
 *   <li>{@code zerotier.roots.latency} best path latency to a root
 *   <li>{@code zerotier.networks} by {@code status}; {@code zerotier.network.ready} (1 or 0) by {@code network}
 *       for each expected network
 *   <li>{@code zerotier.packets} and {@code zerotier.bytes} by {@code direction} (in, out) and {@code verb}
 *   <li>{@code zerotier.drops} by {@code reason} (e.g. {@code mac_failed}, {@code malformed});
 *       {@code zerotier.mac.failures} (packets whose MAC did not verify)
 *   <li>{@code zerotier.datagrams} and {@code zerotier.datagram.bytes} by {@code direction} (UDP, before
 *       authentication); {@code zerotier.relayed} (packets forwarded for others, roots only)
 *   <li>{@code zerotier.tcp.connections} by {@code state} (open, established); {@code zerotier.tcp.connections.opened}
 *       by {@code side} (active, passive); {@code zerotier.tcp.connections.failed};
 *       {@code zerotier.tcp.retransmissions} by {@code type} (fast, timeout, other);
 *       {@code zerotier.tcp.segments} and {@code zerotier.tcp.bytes} by {@code direction};
 *       {@code zerotier.tcp.resets} by {@code direction}
 * </ul>
 * Values are read from the node's snapshots and counters when the registry polls (the TCP snapshot at most once a
 * second); nothing is recorded on the packet path.
 */
public final class ZeroTierMetrics implements MeterBinder {

  private final ZeroTierNode node;
  private final List<Long> expectedNetworks;
  private final Tags tags;
  private static final long TCP_SNAPSHOT_NANOS = TimeUnit.SECONDS.toNanos(1);
  private volatile @Nullable TcpStatistics tcpSnapshot;
  private volatile long tcpSnapshotNanos;

  /**
   * @param node the node
   * @param expectedNetworks networks that get a {@code zerotier.network.ready} gauge
   * @param tags extra tags on every meter
   */
  public ZeroTierMetrics(ZeroTierNode node, List<Long> expectedNetworks, Iterable<Tag> tags) {
    this.node = node;
    this.expectedNetworks = List.copyOf(expectedNetworks);
    this.tags = Tags.of(tags).and("node", node.nodeIdString());
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("zerotier.node.online", node, n -> ZeroTierSnapshots.online(n) ? 1 : 0)
        .description("Whether the node reaches at least one root").tags(tags).register(registry);

    for (PeerInfo.Role role : PeerInfo.Role.values()) {
      for (boolean direct : new boolean[] {true, false}) {
        Gauge.builder("zerotier.peers", node,
            n -> ZeroTierSnapshots.peers(n).stream().filter(p -> p.role() == role && p.direct() == direct).count())
            .description("Known peers").tags(tags)
            .tag("role", lower(role.name())).tag("path", direct ? "direct" : "relayed")
            .register(registry);
      }
    }
    TimeGauge.builder("zerotier.roots.latency", node, TimeUnit.MILLISECONDS,
        n -> ZeroTierSnapshots.peers(n).stream().filter(p -> p.role() != PeerInfo.Role.LEAF && p.latencyMillis() >= 0)
            .mapToDouble(PeerDetails::latencyMillis).min().orElse(Double.NaN))
        .description("Best path latency to a root").tags(tags).register(registry);

    for (NetworkStatus status : NetworkStatus.values()) {
      Gauge.builder("zerotier.networks", node, n -> ZeroTierSnapshots.networks(n).stream().filter(x -> x
          .status() == status).count())
          .description("Joined networks by status").tags(tags).tag("status", lower(status.name()))
          .register(registry);
    }
    for (long nwid : expectedNetworks) {
      Gauge.builder("zerotier.network.ready", node,
          n -> ZeroTierSnapshots.network(n, nwid).filter(ZeroTierReadiness::ready).isPresent() ? 1 : 0)
          .description("Whether the network is OK with an address").tags(tags)
          .tag("network", ZeroTierSnapshots.networkId(nwid)).register(registry);
    }

    for (Verb verb : Verb.values()) {
      String v = lower(verb.name());
      counter(registry, "zerotier.packets", "Packets by direction and verb", "packets", "in", v, c -> c.packetsIn(
          verb));
      counter(registry, "zerotier.packets", "Packets by direction and verb", "packets", "out", v, c -> c.packetsOut(
          verb));
      counter(registry, "zerotier.bytes", "Packet bytes by direction and verb", "bytes", "in", v, c -> c.bytesIn(verb));
      counter(registry, "zerotier.bytes", "Packet bytes by direction and verb", "bytes", "out", v, c -> c.bytesOut(
          verb));
    }
    for (Vl1Counters.Drop reason : Vl1Counters.Drop.values()) {
      FunctionCounter.builder("zerotier.drops", node, n -> count(n, c -> c.drops(reason)))
          .description("Dropped packets by reason").tags(tags).tag("reason", lower(reason.name()))
          .register(registry);
    }
    FunctionCounter.builder("zerotier.mac.failures", node, n -> count(n, c -> c.drops(Vl1Counters.Drop.MAC_FAILED)))
        .description("Packets whose MAC did not verify (forged, corrupted or wrongly keyed)").tags(tags)
        .register(registry);
    FunctionCounter.builder("zerotier.datagrams", node, n -> count(n, Vl1Counters::datagramsIn))
        .description("UDP datagrams").baseUnit("datagrams").tags(tags).tag("direction", "in").register(registry);
    FunctionCounter.builder("zerotier.datagrams", node, n -> count(n, Vl1Counters::datagramsOut))
        .description("UDP datagrams").baseUnit("datagrams").tags(tags).tag("direction", "out").register(registry);
    FunctionCounter.builder("zerotier.datagram.bytes", node, n -> count(n, Vl1Counters::datagramBytesIn))
        .description("UDP datagram bytes").baseUnit("bytes").tags(tags).tag("direction", "in").register(registry);
    FunctionCounter.builder("zerotier.datagram.bytes", node, n -> count(n, Vl1Counters::datagramBytesOut))
        .description("UDP datagram bytes").baseUnit("bytes").tags(tags).tag("direction", "out").register(registry);
    FunctionCounter.builder("zerotier.relayed", node, n -> count(n, Vl1Counters::relayed))
        .description("Packets forwarded for other nodes").baseUnit("packets").tags(tags).register(registry);
    bindTcp(registry);
  }

  private void bindTcp(MeterRegistry registry) {
    Gauge.builder("zerotier.tcp.connections", this, m -> m.tcp().connectionsOpen())
        .description("TCP connections of the in-JVM stack").tags(tags).tag("state", "open").register(registry);
    Gauge.builder("zerotier.tcp.connections", this, m -> m.tcp().connectionsEstablished())
        .description("TCP connections of the in-JVM stack").tags(tags).tag("state", "established")
        .register(registry);
    // No base unit where the name already says what is counted: Prometheus appends the unit to the name, and
    // "zerotier.tcp.connections.opened" in "connections" would read zerotier_tcp_connections_opened_connections_total.
    tcpCounter(registry, "zerotier.tcp.connections.opened", "TCP connections opened", null,
        Tags.of("side", "active"), TcpStats::connectionsOpened);
    tcpCounter(registry, "zerotier.tcp.connections.opened", "TCP connections opened", null,
        Tags.of("side", "passive"), TcpStats::connectionsAccepted);
    tcpCounter(registry, "zerotier.tcp.connections.failed", "TCP connection attempts that failed", null,
        Tags.empty(), TcpStats::connectionsFailed);
    tcpCounter(registry, "zerotier.tcp.retransmissions", "TCP segments retransmitted", null,
        Tags.of("type", "fast"), TcpStats::fastRetransmits);
    tcpCounter(registry, "zerotier.tcp.retransmissions", "TCP segments retransmitted", null,
        Tags.of("type", "timeout"), TcpStats::rtoTimeouts);
    tcpCounter(registry, "zerotier.tcp.retransmissions", "TCP segments retransmitted", null,
        Tags.of("type", "other"), s -> Math.max(0, s.retransmits() - s.fastRetransmits() - s.rtoTimeouts()));
    tcpCounter(registry, "zerotier.tcp.segments", "TCP segments", "segments", Tags.of("direction", "in"),
        TcpStats::segmentsIn);
    tcpCounter(registry, "zerotier.tcp.segments", "TCP segments", "segments", Tags.of("direction", "out"),
        TcpStats::segmentsOut);
    tcpCounter(registry, "zerotier.tcp.bytes", "TCP payload bytes", "bytes", Tags.of("direction", "in"),
        TcpStats::bytesIn);
    tcpCounter(registry, "zerotier.tcp.bytes", "TCP payload bytes", "bytes", Tags.of("direction", "out"),
        TcpStats::bytesOut);
    tcpCounter(registry, "zerotier.tcp.resets", "TCP resets", null, Tags.of("direction", "in"),
        TcpStats::resetsIn);
    tcpCounter(registry, "zerotier.tcp.resets", "TCP resets", null, Tags.of("direction", "out"),
        TcpStats::resetsOut);
  }

  private void tcpCounter(MeterRegistry registry, String name, String description, @Nullable String unit, Tags extra,
      ToLongFunction<TcpStats> value) {
    FunctionCounter.builder(name, this, m -> value.applyAsLong(m.tcp().counters()))
        .description(description).baseUnit(unit).tags(tags).tags(extra).register(registry);
  }

  /** The node's TCP statistics, read at most once a second (a read waits for the node's loop). */
  private TcpStatistics tcp() {
    long now = System.nanoTime();
    TcpStatistics cached = tcpSnapshot;
    if (cached != null && now - tcpSnapshotNanos < TCP_SNAPSHOT_NANOS) {
      return cached;
    }
    TcpStatistics read = ZeroTierSnapshots.tcp(node);
    if (read == null) {
      // not running: keep the last counters so the monotonic counters do not fall back to zero, but no connections
      TcpStatistics last = tcpSnapshot;
      return last == null ? TcpStatistics.EMPTY : new TcpStatistics(0, 0, last.counters());
    }
    tcpSnapshot = read;
    tcpSnapshotNanos = now;
    return read;
  }

  private void counter(MeterRegistry registry, String name, String description, String unit, String direction,
      String verb, ToLongFunction<Vl1Counters> value) {
    FunctionCounter.builder(name, node, n -> count(n, value))
        .description(description).baseUnit(unit).tags(tags).tag("direction", direction).tag("verb", verb)
        .register(registry);
  }

  private static double count(ZeroTierNode n, ToLongFunction<Vl1Counters> value) {
    Vl1Counters counters = n.vl1Counters();
    return counters == null ? 0 : value.applyAsLong(counters);
  }

  private static String lower(String name) {
    return name.toLowerCase(Locale.ROOT);
  }
}
