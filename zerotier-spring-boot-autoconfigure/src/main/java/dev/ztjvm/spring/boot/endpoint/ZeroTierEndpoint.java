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
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/zerotier}: the node, its networks, peers and recent events; {@code /actuator/zerotier/{networkId}}
 * for one network. The physical side — peers' paths (their public IP addresses and ports), the recent events (which
 * carry them too) and the self-hosted join details (local file paths, the controller API's URL) — is shown only when
 * {@code management.endpoint.zerotier.show-details} allows it for the caller ({@code when-authorized} by default: an
 * authenticated caller with one of {@code management.endpoint.zerotier.roles}, or any authenticated caller when no
 * role is set), like health's details. Read-only by default: joining ({@code POST /actuator/zerotier/{networkId}})
 * and leaving ({@code DELETE}) need {@code management.endpoint.zerotier.access=unrestricted} (and, as for any
 * endpoint, exposure; protect it with Spring Security). A selector that is not a network ID is answered with 400.
 */
@Endpoint(id = "zerotier", defaultAccess = Access.READ_ONLY)
public final class ZeroTierEndpoint {

  private static final Pattern NETWORK_ID = Pattern.compile("[0-9a-fA-F]{16}");

  private final ZeroTierNode node;
  private final @Nullable ZeroTierEventPublisher events;
  private final @Nullable SelfHostedJoinDetails selfHosted;
  private final Show showDetails;
  private final Set<String> roles;

  /**
   * An endpoint that always shows details.
   *
   * @param node the node
   * @param events source of recent events, null if events are not published
   */
  public ZeroTierEndpoint(ZeroTierNode node, @Nullable ZeroTierEventPublisher events) {
    this(node, events, null, Show.ALWAYS, Set.of());
  }

  /**
   * @param node the node
   * @param events source of recent events, null if events are not published
   * @param selfHosted how other nodes join the self-hosted network, null when self-hosted mode is off
   * @param showDetails when the physical side (paths, events, join details) is shown
   * @param roles roles of which the caller needs one for {@link Show#WHEN_AUTHORIZED} (empty: any authenticated caller)
   */
  public ZeroTierEndpoint(ZeroTierNode node, @Nullable ZeroTierEventPublisher events,
      @Nullable SelfHostedJoinDetails selfHosted, Show showDetails, Set<String> roles) {
    this.node = node;
    this.events = events;
    this.selfHosted = selfHosted;
    this.showDetails = showDetails;
    this.roles = Set.copyOf(roles);
  }

  /** The whole node, with the physical side when details are shown to this caller. */
  @ReadOperation
  public NodeDescriptor node(SecurityContext securityContext) {
    boolean details = showDetails.isShown(securityContext, roles);
    String nodeId = node.nodeIdString();
    List<NetworkDescriptor> networks =
        ZeroTierSnapshots.networks(node).stream().map(n -> network(nodeId, n)).toList();
    List<PeerDescriptor> peers = ZeroTierSnapshots.peers(node).stream().map(p -> peer(p, details)).toList();
    List<EventDescriptor> recent = events == null || !details ? List.of()
        : events.recentEvents().stream().map(ZeroTierEndpoint::event).toList();
    return new NodeDescriptor(nodeId, node.isRunning(), ZeroTierSnapshots.online(node), details, networks, peers,
        recent, details ? selfHosted : null);
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

  private static PeerDescriptor peer(PeerDetails p, boolean details) {
    return new PeerDescriptor(
        p.addressString(),
        p.role().name(),
        p.version(),
        p.latencyMillis(),
        p.direct(),
        details ? p.paths().stream().map(ZeroTierEndpoint::path).toList() : List.of());
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
   * @param details whether the physical side is shown (peers' paths, recent events, self-hosted join details)
   * @param networks joined networks
   * @param peers known peers (their paths only with details)
   * @param recentEvents most recent events, oldest first (only with details)
   * @param selfHosted in self-hosted mode and with details, what a second node needs to join (planet file, network
   *     ID, controller API URLs and token file; never the token); null otherwise
   */
  public record NodeDescriptor(
      String nodeId,
      boolean running,
      boolean online,
      boolean details,
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
