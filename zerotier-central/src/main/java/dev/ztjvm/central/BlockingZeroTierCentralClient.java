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
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import reactor.core.publisher.Mono;

/**
 * Blocking facade over a {@link ZeroTierCentralClient}: every method waits for the reactive call and throws its
 * {@link ZeroTierCentralException} directly. Do not call from a reactive (event-loop) thread.
 */
public final class BlockingZeroTierCentralClient {
  private final ZeroTierCentralClient client;
  private final Duration maxWait;

  /**
   * Wraps {@code client}.
   *
   * @param maxWait longest wait per call, a safety net above the client's own timeouts and retries
   */
  public BlockingZeroTierCentralClient(ZeroTierCentralClient client, Duration maxWait) {
    this.client = Objects.requireNonNull(client, "client");
    this.maxWait = Objects.requireNonNull(maxWait, "maxWait");
  }

  /** The reactive client behind this facade. */
  public ZeroTierCentralClient reactive() {
    return client;
  }

  private <T> T await(Mono<T> mono, String what) {
    T value = mono.block(maxWait);
    if (value == null) {
      throw new IllegalStateException(what + " completed without a value");
    }
    return value;
  }

  /** See {@link ZeroTierCentralClient#status()}. */
  public Status status() {
    return await(client.status(), "status");
  }

  /** See {@link ZeroTierCentralClient#networks()}. */
  public List<Network> networks() {
    return await(client.networks().collectList(), "networks");
  }

  /** See {@link ZeroTierCentralClient#network(String)}. */
  public Network network(String networkId) {
    return await(client.network(networkId), "network");
  }

  /** See {@link ZeroTierCentralClient#createNetwork(NetworkUpdate)}. */
  public Network createNetwork(NetworkUpdate initial) {
    return await(client.createNetwork(initial), "createNetwork");
  }

  /** See {@link ZeroTierCentralClient#updateNetwork(String, NetworkUpdate)}. */
  public Network updateNetwork(String networkId, NetworkUpdate update) {
    return await(client.updateNetwork(networkId, update), "updateNetwork");
  }

  /** See {@link ZeroTierCentralClient#deleteNetwork(String)}. */
  public void deleteNetwork(String networkId) {
    client.deleteNetwork(networkId).block(maxWait);
  }

  /** See {@link ZeroTierCentralClient#members(String)}. */
  public List<Member> members(String networkId) {
    return await(client.members(networkId).collectList(), "members");
  }

  /** See {@link ZeroTierCentralClient#member(String, String)}. */
  public Member member(String networkId, String memberId) {
    return await(client.member(networkId, memberId), "member");
  }

  /** See {@link ZeroTierCentralClient#updateMember(String, String, MemberUpdate)}. */
  public Member updateMember(String networkId, String memberId, MemberUpdate update) {
    return await(client.updateMember(networkId, memberId, update), "updateMember");
  }

  /** See {@link ZeroTierCentralClient#authorizeMember(String, String)}. */
  public Member authorizeMember(String networkId, String memberId) {
    return await(client.authorizeMember(networkId, memberId), "authorizeMember");
  }

  /** See {@link ZeroTierCentralClient#deauthorizeMember(String, String)}. */
  public Member deauthorizeMember(String networkId, String memberId) {
    return await(client.deauthorizeMember(networkId, memberId), "deauthorizeMember");
  }

  /** See {@link ZeroTierCentralClient#renameMember(String, String, String)}. */
  public Member renameMember(String networkId, String memberId, String name) {
    return await(client.renameMember(networkId, memberId, name), "renameMember");
  }

  /** See {@link ZeroTierCentralClient#assignMemberIps(String, String, List)}. */
  public Member assignMemberIps(String networkId, String memberId, List<String> ipAssignments) {
    return await(client.assignMemberIps(networkId, memberId, ipAssignments), "assignMemberIps");
  }

  /** See {@link ZeroTierCentralClient#setMemberTags(String, String, List)}. */
  public Member setMemberTags(String networkId, String memberId, List<MemberTag> tags) {
    return await(client.setMemberTags(networkId, memberId, tags), "setMemberTags");
  }

  /** See {@link ZeroTierCentralClient#deleteMember(String, String)}. */
  public void deleteMember(String networkId, String memberId) {
    client.deleteMember(networkId, memberId).block(maxWait);
  }

  /** See {@link ZeroTierCentralClient#user(String)}. */
  public User user(String userId) {
    return await(client.user(userId), "user");
  }

  /** See {@link ZeroTierCentralClient#addApiToken(String, ApiToken)}. */
  public ApiToken addApiToken(String userId, ApiToken token) {
    return await(client.addApiToken(userId, token), "addApiToken");
  }

  /** See {@link ZeroTierCentralClient#deleteApiToken(String, String)}. */
  public void deleteApiToken(String userId, String tokenName) {
    client.deleteApiToken(userId, tokenName).block(maxWait);
  }

  /** See {@link ZeroTierCentralClient#randomToken()}. */
  public RandomToken randomToken() {
    return await(client.randomToken(), "randomToken");
  }

  @Override
  public String toString() {
    return "BlockingZeroTierCentralClient[" + client + "]";
  }
}
