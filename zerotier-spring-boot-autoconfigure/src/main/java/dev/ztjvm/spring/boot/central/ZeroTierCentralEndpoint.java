package dev.ztjvm.spring.boot.central;

import dev.ztjvm.central.NotFoundException;
import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberConfig;
import dev.ztjvm.central.model.Network;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import reactor.core.publisher.Mono;

/**
 * {@code /actuator/zerotiercentral}: administers the networks the {@link ZeroTierCentralClient} bean can reach
 * (ZeroTier Central, or our own controller's Central-compatible API in self-hosted mode). Off by default
 * ({@link Access#NONE}): reading needs {@code management.endpoint.zerotiercentral.access=read-only}, authorizing and
 * deauthorizing members needs {@code unrestricted}, and, like any endpoint, it must be exposed
 * ({@code management.endpoints.web.exposure.include}). Protect it with Spring Security: whoever reaches it administers
 * the networks with the application's token (the token itself is never shown).
 *
 * <ul>
 *   <li>{@code GET /actuator/zerotiercentral}: networks;
 *   <li>{@code GET /actuator/zerotiercentral/{networkId}}: a network and its members;
 *   <li>{@code GET /actuator/zerotiercentral/{networkId}/{memberId}}: one member;
 *   <li>{@code POST /actuator/zerotiercentral/{networkId}/{memberId}} with {@code {"authorized": true|false}}:
 *       authorizes (also pre-authorizes a node not seen yet) or deauthorizes a member.
 * </ul>
 */
@Endpoint(id = "zerotiercentral", defaultAccess = Access.NONE)
public final class ZeroTierCentralEndpoint {

  private static final Pattern NETWORK_ID = Pattern.compile("[0-9a-fA-F]{16}");
  private static final Pattern MEMBER_ID = Pattern.compile("[0-9a-fA-F]{10}");

  private final ZeroTierCentralClient client;
  private final Duration timeout;

  /**
   * @param client the client whose token and base URL are used
   * @param timeout how long an operation waits for the API
   */
  public ZeroTierCentralEndpoint(ZeroTierCentralClient client, Duration timeout) {
    this.client = client;
    this.timeout = timeout;
  }

  /** The networks. */
  @ReadOperation
  public List<NetworkDescriptor> networks() {
    List<Network> networks = client.networks().collectList().block(timeout);
    return networks == null ? List.of() : networks.stream().map(ZeroTierCentralEndpoint::network).toList();
  }

  /** One network with its members, or 404. */
  @ReadOperation
  public @Nullable NetworkMembersDescriptor network(@Selector String networkId) {
    String nwid = networkId(networkId);
    Network network = orNull(client.network(nwid));
    if (network == null) {
      return null;
    }
    List<Member> members = client.members(nwid).collectList().block(timeout);
    return new NetworkMembersDescriptor(network(network),
        members == null ? List.of() : members.stream().map(ZeroTierCentralEndpoint::member).toList());
  }

  /** One member, or 404. */
  @ReadOperation
  public @Nullable MemberDescriptor member(@Selector String networkId, @Selector String memberId) {
    Member m = orNull(client.member(networkId(networkId), memberId(memberId)));
    return m == null ? null : member(m);
  }

  /** Authorizes ({@code authorized=true}) or deauthorizes a member; returns the member as stored. */
  @WriteOperation
  public @Nullable MemberDescriptor authorize(@Selector String networkId, @Selector String memberId,
      boolean authorized) {
    String nwid = networkId(networkId);
    String node = memberId(memberId);
    Member m = orNull(authorized ? client.authorizeMember(nwid, node) : client.deauthorizeMember(nwid, node));
    return m == null ? null : member(m);
  }

  private <T> @Nullable T orNull(Mono<T> mono) {
    try {
      return mono.block(timeout);
    } catch (NotFoundException e) {
      return null;
    }
  }

  private static String networkId(String value) {
    if (!NETWORK_ID.matcher(value).matches()) {
      throw new InvalidEndpointRequestException("network ID must be sixteen hex digits: " + value,
          "network ID must be sixteen hex digits");
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  private static String memberId(String value) {
    if (!MEMBER_ID.matcher(value).matches()) {
      throw new InvalidEndpointRequestException("member ID must be ten hex digits: " + value,
          "member ID must be ten hex digits");
    }
    return value.toLowerCase(java.util.Locale.ROOT);
  }

  private static NetworkDescriptor network(Network n) {
    Boolean isPrivate = n.config() == null ? null : n.config().isPrivate();
    return new NetworkDescriptor(String.valueOf(n.id()), n.name(), isPrivate == null || isPrivate,
        n.authorizedMemberCount(), n.totalMemberCount());
  }

  private static MemberDescriptor member(Member m) {
    MemberConfig c = m.config();
    String id = m.nodeId() != null ? m.nodeId() : c != null && c.id() != null ? c.id() : String.valueOf(m.id());
    return new MemberDescriptor(id, m.name(), m.isAuthorized(),
        c == null || c.ipAssignments() == null ? List.of() : c.ipAssignments(), m.lastSeen());
  }

  /**
   * A network.
   *
   * @param id sixteen hex digits
   * @param name its name, null if none
   * @param isPrivate whether members need authorization
   * @param authorizedMembers authorized members, null when the API does not count them
   * @param totalMembers all members, null when the API does not count them
   */
  public record NetworkDescriptor(String id, @Nullable String name, boolean isPrivate,
      @Nullable Integer authorizedMembers, @Nullable Integer totalMembers) {}

  /**
   * A network and its members.
   *
   * @param network the network
   * @param members its members
   */
  public record NetworkMembersDescriptor(NetworkDescriptor network, List<MemberDescriptor> members) {}

  /**
   * A member.
   *
   * @param nodeId ten hex digits
   * @param name its name, null if none (self-hosted controllers keep none)
   * @param authorized whether it is authorized
   * @param ipAssignments managed addresses
   * @param lastSeen last check-in with the controller, ms since the epoch, null if unknown
   */
  public record MemberDescriptor(String nodeId, @Nullable String name, boolean authorized,
      List<String> ipAssignments, @Nullable Long lastSeen) {}
}
