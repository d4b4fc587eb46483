package dev.ztjvm.spring.boot.endpoint;

import dev.ztjvm.node.PathInfo;
import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.PeerDetails;
import dev.ztjvm.sockets.ZeroTierNode;
import dev.ztjvm.spring.boot.ZeroTierReadiness;
import dev.ztjvm.spring.boot.ZeroTierSnapshots;
import dev.ztjvm.spring.boot.event.ZeroTierEventPublisher;
import dev.ztjvm.spring.boot.event.ZeroTierEventPublisher.RecentEvent;
import dev.ztjvm.spring.boot.selfhosted.SelfHostedJoinDetails;
import dev.ztjvm.vl2.IpPrefix;
import dev.ztjvm.vl2.Route;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/zerotier}: the node, its networks, peers with paths and latency, and recent events;
 * {@code /actuator/zerotier/{networkId}} for one network. Read-only by default: joining ({@code POST
 * /actuator/zerotier/{networkId}}) and leaving ({@code DELETE}) need {@code management.endpoint.zerotier.access=unrestricted}
 * (and, as for any endpoint, exposure; protect it with Spring Security).
 */
@Endpoint(id = "zerotier", defaultAccess = Access.READ_ONLY)
public final class ZeroTierEndpoint {

  private static final Pattern NETWORK_ID = Pattern.compile("[0-9a-fA-F]{16}");

  private final ZeroTierNode node;
  private final @Nullable ZeroTierEventPublisher events;
  private final @Nullable SelfHostedJoinDetails selfHosted;

  /**
   * @param node the node
   * @param events source of recent events, null if events are not bridged
   */
  public ZeroTierEndpoint(ZeroTierNode node, @Nullable ZeroTierEventPublisher events) {
    this(node, events, null);
  }

  /**
   * @param node the node
   * @param events source of recent events, null if events are not bridged
   * @param selfHosted how other nodes join the self-hosted network, null when self-hosted mode is off
   */
  public ZeroTierEndpoint(ZeroTierNode node, @Nullable ZeroTierEventPublisher events,
      @Nullable SelfHostedJoinDetails selfHosted) {
    this.node = node;
    this.events = events;
    this.selfHosted = selfHosted;
  }

  /** The whole node. */
  @ReadOperation
  public NodeDescriptor node() {
    String nodeId = node.nodeIdString();
    List<NetworkDescriptor> networks =
        ZeroTierSnapshots.networks(node).stream().map(n -> network(nodeId, n)).toList();
    List<PeerDescriptor> peers = ZeroTierSnapshots.peers(node).stream().map(ZeroTierEndpoint::peer).toList();
    List<EventDescriptor> recent = events == null ? List.of()
        : events.recentEvents().stream().map(ZeroTierEndpoint::event).toList();
    return new NodeDescriptor(
        nodeId, node.isRunning(), ZeroTierSnapshots.online(node), networks, peers, recent, selfHosted);
  }

  /** One joined network, or 404 when not joined; 400 when the selector is not a network ID. */
  @ReadOperation
  public @Nullable NetworkDescriptor network(@Selector String networkId) {
    long nwid = parse(networkId);
    return ZeroTierSnapshots.network(node, nwid).map(n -> network(node.nodeIdString(), n)).orElse(null);
  }

  /** Joins a network. */
  @WriteOperation
  public NetworkDescriptor join(@Selector String networkId) {
    long nwid = parse(networkId);
    node.join(nwid);
    return ZeroTierSnapshots.network(node, nwid).map(n -> network(node.nodeIdString(), n))
        .orElseGet(() -> new NetworkDescriptor(ZeroTierSnapshots.networkId(nwid), "REQUESTING_CONFIGURATION", "", "",
            List.of(), List.of(), 0, false, null));
  }

  /** Leaves a network. */
  @DeleteOperation
  public void leave(@Selector String networkId) {
    node.leave(parse(networkId));
  }

  private static long parse(String networkId) {
    if (!NETWORK_ID.matcher(networkId).matches()) {
      // Boot maps this exception to 400 with the message, without logging a stack trace.
      throw new InvalidEndpointRequestException(
          "network ID must be sixteen hex digits: " + networkId, "network ID must be sixteen hex digits");
    }
    return Long.parseUnsignedLong(networkId, 16);
  }

  private static NetworkDescriptor network(String nodeId, NetworkDetails n) {
    return new NetworkDescriptor(
        n.networkIdString(),
        n.status().name(),
        n.name(),
        n.macString(),
        n.addresses().stream().map(IpPrefix::toString).toList(),
        n.routes().stream().map(Route::toString).toList(),
        n.mtu(),
        n.isPrivate(),
        ZeroTierReadiness.problem(nodeId, n));
  }

  private static PeerDescriptor peer(PeerDetails p) {
    return new PeerDescriptor(
        p.addressString(),
        p.role().name(),
        p.version(),
        p.latencyMillis(),
        p.direct(),
        p.paths().stream().map(ZeroTierEndpoint::path).toList());
  }

  private static PathDescriptor path(PathInfo p) {
    return new PathDescriptor(
        p.remote().getHostString() + "/" + p.remote().getPort(), p.latencyMillis(), p.alive(), p.sinceReceiveMillis());
  }

  private static EventDescriptor event(RecentEvent e) {
    return new EventDescriptor(e.timestamp(), e.event().getClass().getSimpleName(), e.event().toString());
  }

  /**
   * The node.
   *
   * @param nodeId ten hex digits
   * @param running whether the node is started
   * @param online whether a root is reachable
   * @param networks joined networks
   * @param peers known peers
   * @param recentEvents most recent events, oldest first
   * @param selfHosted in self-hosted mode, what a second node needs to join (planet file, network ID, controller API
   *     URLs and token file; never the token); null otherwise
   */
  public record NodeDescriptor(
      String nodeId,
      boolean running,
      boolean online,
      List<NetworkDescriptor> networks,
      List<PeerDescriptor> peers,
      List<EventDescriptor> recentEvents,
      @Nullable SelfHostedJoinDetails selfHosted) implements OperationResponseBody {}

  /**
   * One network.
   *
   * @param id sixteen hex digits
   * @param status ZeroTier's status name (OK, ACCESS_DENIED, ...)
   * @param name the network's name
   * @param mac this node's MAC on the network
   * @param addresses managed addresses with prefix length
   * @param routes managed routes
   * @param mtu virtual MTU
   * @param isPrivate whether members need authorization
   * @param problem what keeps the network from being ready, null when ready
   */
  public record NetworkDescriptor(
      String id,
      String status,
      String name,
      String mac,
      List<String> addresses,
      List<String> routes,
      int mtu,
      boolean isPrivate,
      @Nullable String problem) implements OperationResponseBody {}

  /**
   * One peer.
   *
   * @param address ten hex digits
   * @param role LEAF, MOON or PLANET
   * @param version software version, empty if unknown
   * @param latencyMillis latency of the best path, -1 if unknown
   * @param direct whether a direct path exists
   * @param paths physical paths
   */
  public record PeerDescriptor(
      String address, String role, String version, double latencyMillis, boolean direct, List<PathDescriptor> paths) {}

  /**
   * One physical path.
   *
   * @param address remote address/port
   * @param latencyMillis measured round trip, -1 if not yet measured
   * @param alive whether something arrived recently
   * @param sinceReceiveMillis time since the last receive
   */
  public record PathDescriptor(String address, double latencyMillis, boolean alive, long sinceReceiveMillis) {}

  /**
   * One recent event.
   *
   * @param timestamp when it was published
   * @param type the SDK event's record type, e.g. {@code NetworkOk}
   * @param description the SDK record as text (secrets left out)
   */
  public record EventDescriptor(Instant timestamp, String type, String description) {}
}
