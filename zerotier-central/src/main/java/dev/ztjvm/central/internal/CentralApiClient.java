package dev.ztjvm.central.internal;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.RandomToken;
import dev.ztjvm.central.model.Status;
import dev.ztjvm.central.model.User;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

/** {@link ZeroTierCentralClient} for ZeroTier Central API v1 ({@code Authorization: token ...}). */
public final class CentralApiClient implements ZeroTierCentralClient {
  private final ApiTransport http;
  private final String baseUrl;
  private final JavaType networkList;
  private final JavaType memberList;

  /** Creates the client over a transport configured for Central. */
  public CentralApiClient(ApiTransport http, String baseUrl) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.networkList = http.mapper().getTypeFactory().constructCollectionType(List.class, Network.class);
    this.memberList = http.mapper().getTypeFactory().constructCollectionType(List.class, Member.class);
  }

  @Override
  public Mono<Status> status() {
    return http.get(Status.class, "/status");
  }

  @Override
  public Flux<Network> networks() {
    return http.<List<Network>>get(networkList, "/network").flatMapIterable(list -> list);
  }

  @Override
  public Mono<Network> network(String networkId) {
    return http.get(Network.class, "/network/{id}", Ids.networkId(networkId));
  }

  @Override
  public Mono<Network> createNetwork(NetworkUpdate initial) {
    return http.post(initial, Network.class, false, "/network");
  }

  @Override
  public Mono<Network> updateNetwork(String networkId, NetworkUpdate update) {
    return http.post(update, Network.class, true, "/network/{id}", Ids.networkId(networkId));
  }

  @Override
  public Mono<Void> deleteNetwork(String networkId) {
    return http.delete("/network/{id}", Ids.networkId(networkId));
  }

  @Override
  public Flux<Member> members(String networkId) {
    return http.<List<Member>>get(memberList, "/network/{id}/member", Ids.networkId(networkId))
        .flatMapIterable(list -> list);
  }

  @Override
  public Mono<Member> member(String networkId, String memberId) {
    return http.get(Member.class, "/network/{id}/member/{member}", Ids.networkId(networkId),
        Ids.nodeId(memberId));
  }

  @Override
  public Mono<Member> updateMember(String networkId, String memberId, MemberUpdate update) {
    return http.post(update, Member.class, true, "/network/{id}/member/{member}", Ids.networkId(networkId),
        Ids.nodeId(memberId));
  }

  @Override
  public Mono<Void> deleteMember(String networkId, String memberId) {
    return http.delete("/network/{id}/member/{member}", Ids.networkId(networkId), Ids.nodeId(memberId));
  }

  @Override
  public Mono<User> user(String userId) {
    return http.get(User.class, "/user/{user}", Ids.nonBlank(userId, "user ID"));
  }

  @Override
  public Mono<ApiToken> addApiToken(String userId, ApiToken token) {
    if (token.tokenName() == null || token.tokenName().isBlank() || token.token() == null) {
      throw new IllegalArgumentException("an API token needs a name and a token");
    }
    if (token.token().length() < 32) {
      throw new IllegalArgumentException("an API token must be at least 32 characters long");
    }
    return http.post(token, ApiToken.class, true, "/user/{user}/token", Ids.nonBlank(userId, "user ID"));
  }

  @Override
  public Mono<Void> deleteApiToken(String userId, String tokenName) {
    return http.delete("/user/{user}/token/{name}", Ids.nonBlank(userId, "user ID"),
        Ids.nonBlank(tokenName, "token name"));
  }

  @Override
  public Mono<RandomToken> randomToken() {
    return http.get(RandomToken.class, "/randomToken");
  }

  @Override
  public String toString() {
    return "ZeroTierCentralClient[central, baseUrl=" + baseUrl + ", token=****]";
  }
}
