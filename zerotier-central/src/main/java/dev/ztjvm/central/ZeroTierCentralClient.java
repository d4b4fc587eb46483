package dev.ztjvm.central;

import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberTag;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.RandomToken;
import dev.ztjvm.central.model.Status;
import dev.ztjvm.central.model.User;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Manages networks and members of ZeroTier Central (API v1) or of a self-hosted controller, reactively.
 *
 * <p>Create one with {@link #central()} or {@link #selfHosted()}. Network IDs are 16 hex digits, member (node) IDs 10
 * hex digits; other values are rejected with {@link IllegalArgumentException} before any request is made. Failures
 * are signalled as {@link ZeroTierCentralException} subclasses: {@link NotAuthorizedException} (401/403),
 * {@link NotFoundException} (404), {@link RateLimitedException} (429 after bounded retries),
 * {@link ServerErrorException} (5xx after bounded retries), {@link CentralTimeoutException}.
 *
 * <p>Implementations are thread-safe; nothing happens until a returned publisher is subscribed.
 */
public interface ZeroTierCentralClient {

  /** A builder for a client of ZeroTier Central API v1 (default base URL {@code https://api.zerotier.com/api/v1}). */
  static ZeroTierCentralClientBuilder central() {
    return new ZeroTierCentralClientBuilder(ZeroTierCentralClientBuilder.Target.CENTRAL);
  }

  /**
   * A builder for a client of a self-hosted controller's local API (default base URL {@code http://127.0.0.1:9993},
   * token from {@code authtoken.secret}).
   */
  static ZeroTierCentralClientBuilder selfHosted() {
    return new ZeroTierCentralClientBuilder(ZeroTierCentralClientBuilder.Target.SELF_HOSTED);
  }

  /** API status ({@code GET /status} on Central, {@code GET /controller} on a self-hosted controller). */
  Mono<Status> status();

  /** All networks visible to the token. */
  Flux<Network> networks();

  /** One network. */
  Mono<Network> network(String networkId);

  /**
   * Creates a network with a new random ID and the given initial settings ({@link NetworkUpdate#empty()} for the
   * server's defaults). Not retried on 5xx, since a retry could create a second network.
   */
  Mono<Network> createNetwork(NetworkUpdate initial);

  /** Updates the fields set in {@code update}; returns the network as stored. */
  Mono<Network> updateNetwork(String networkId, NetworkUpdate update);

  /** Deletes a network. */
  Mono<Void> deleteNetwork(String networkId);

  /** All members of a network. */
  Flux<Member> members(String networkId);

  /** One member. */
  Mono<Member> member(String networkId, String memberId);

  /**
   * Updates the fields set in {@code update}; creates the member record if the node has not joined yet (so a node
   * can be pre-authorized). Returns the member as stored.
   */
  Mono<Member> updateMember(String networkId, String memberId, MemberUpdate update);

  /** Authorizes a member (or pre-authorizes a node). */
  default Mono<Member> authorizeMember(String networkId, String memberId) {
    return updateMember(networkId, memberId, MemberUpdate.authorize());
  }

  /** Deauthorizes a member. */
  default Mono<Member> deauthorizeMember(String networkId, String memberId) {
    return updateMember(networkId, memberId, MemberUpdate.deauthorize());
  }

  /** Renames a member. */
  default Mono<Member> renameMember(String networkId, String memberId, String name) {
    return updateMember(networkId, memberId, MemberUpdate.named(name));
  }

  /** Replaces a member's IP assignments. */
  default Mono<Member> assignMemberIps(String networkId, String memberId, List<String> ipAssignments) {
    return updateMember(networkId, memberId, MemberUpdate.empty().withIpAssignments(ipAssignments));
  }

  /** Replaces a member's tag values. */
  default Mono<Member> setMemberTags(String networkId, String memberId, List<MemberTag> tags) {
    return updateMember(networkId, memberId, MemberUpdate.empty().withTags(tags));
  }

  /** Deletes a member record. Deauthorize first: a member that is still online comes back on its next request. */
  Mono<Void> deleteMember(String networkId, String memberId);

  /** A user (Central only). */
  Mono<User> user(String userId);

  /** Adds an API token to a user (Central only); the response does not contain the token. */
  Mono<ApiToken> addApiToken(String userId, ApiToken token);

  /** Deletes a user's API token by name (Central only). */
  Mono<Void> deleteApiToken(String userId, String tokenName);

  /**
   * A random token usable as a new API token ({@code GET /randomToken} on Central; generated locally from a
   * {@link java.security.SecureRandom} for a self-hosted controller, which has no such endpoint).
   */
  Mono<RandomToken> randomToken();

  /** A blocking view of this client; each call waits at most five minutes. */
  default BlockingZeroTierCentralClient blocking() {
    return new BlockingZeroTierCentralClient(this, java.time.Duration.ofMinutes(5));
  }
}
