package dev.ztjvm.central.internal;

import dev.ztjvm.central.ZeroTierCentralClient;
import dev.ztjvm.central.ZeroTierCentralException;
import dev.ztjvm.central.model.ApiToken;
import dev.ztjvm.central.model.Member;
import dev.ztjvm.central.model.MemberConfig;
import dev.ztjvm.central.model.MemberConfigUpdate;
import dev.ztjvm.central.model.MemberUpdate;
import dev.ztjvm.central.model.Network;
import dev.ztjvm.central.model.NetworkConfig;
import dev.ztjvm.central.model.NetworkSsoConfig;
import dev.ztjvm.central.model.NetworkUpdate;
import dev.ztjvm.central.model.RandomToken;
import dev.ztjvm.central.model.Status;
import dev.ztjvm.central.model.User;
import java.lang.System.Logger.Level;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import tools.jackson.databind.JavaType;

/**
 * {@link ZeroTierCentralClient} for a self-hosted controller's local API ({@code /controller/...}, {@code X-ZT1-Auth}),
 * absorbing the differences from Central: flat member and network objects, list endpoints that return IDs (networks)
 * or an ID-to-revision map (members) and so need one follow-up GET per entry, and network creation with a random ID by
 * posting to {@code <controller node ID>______}. Central-only fields (descriptions, hidden flags, name maps, SSO
 * configuration) are not sent; user and token operations are not available.
 */
public final class SelfHostedControllerClient implements ZeroTierCentralClient {
  private static final System.Logger LOG = System.getLogger(SelfHostedControllerClient.class.getName());
  /** Follow-up GETs in flight at once when listing. */
  private static final int LIST_CONCURRENCY = 4;
  private static final String TOKEN_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

  private final ApiTransport http;
  private final String baseUrl;
  private final @Nullable String controllerNodeId;
  private final JavaType idList;
  private final JavaType revisionMap;
  private final SecureRandom random = new SecureRandom();

  /**
   * Creates the client.
   *
   * @param controllerNodeId the controller's node ID for network creation; read from {@code GET /status} if null
   */
  public SelfHostedControllerClient(ApiTransport http, String baseUrl, @Nullable String controllerNodeId) {
    this.http = http;
    this.baseUrl = baseUrl;
    this.controllerNodeId = controllerNodeId;
    this.idList = http.mapper().getTypeFactory().constructCollectionType(List.class, String.class);
    this.revisionMap = http.mapper().getTypeFactory()
        .constructMapType(LinkedHashMap.class, String.class, Long.class);
  }

  private record ControllerStatus(@Nullable Boolean controller, @Nullable Long apiVersion, @Nullable Long clock) {}

  private record NodeStatus(@Nullable String address, @Nullable String version) {}

  @Override
  public Mono<Status> status() {
    return http.get(ControllerStatus.class, "/controller").map(s -> new Status("controller", "ControllerStatus",
        s.clock(), null, s.apiVersion() == null ? null : String.valueOf(s.apiVersion()), null, null, null,
        null));
  }

  @Override
  public Flux<Network> networks() {
    return http.<List<String>>get(idList, "/controller/network")
        .flatMapIterable(ids -> ids)
        .flatMapSequential(this::network, LIST_CONCURRENCY);
  }

  @Override
  public Mono<Network> network(String networkId) {
    return http.get(ControllerNetwork.class, "/controller/network/{id}", Ids.networkId(networkId))
        .map(SelfHostedControllerClient::toNetwork);
  }

  @Override
  public Mono<Network> createNetwork(NetworkUpdate initial) {
    ControllerNetwork body = toBody(initial);
    Mono<String> nodeId = controllerNodeId != null ? Mono.just(controllerNodeId)
        : http.get(NodeStatus.class, "/status").flatMap(s -> s.address() == null
            ? Mono.error(new ZeroTierCentralException("GET", "/status", 200,
                "node status has no address; set controllerNodeId", null))
            : Mono.just(Ids.nodeId(s.address())));
    return nodeId.flatMap(id -> http.post(body, ControllerNetwork.class, false,
        "/controller/network/{controller}______", id))
        .map(SelfHostedControllerClient::toNetwork);
  }

  @Override
  public Mono<Network> updateNetwork(String networkId, NetworkUpdate update) {
    return http.post(toBody(update), ControllerNetwork.class, true, "/controller/network/{id}",
        Ids.networkId(networkId)).map(SelfHostedControllerClient::toNetwork);
  }

  @Override
  public Mono<Void> deleteNetwork(String networkId) {
    return http.delete("/controller/network/{id}", Ids.networkId(networkId));
  }

  @Override
  public Flux<Member> members(String networkId) {
    String nwid = Ids.networkId(networkId);
    return http.<Map<String, Long>>get(revisionMap, "/controller/network/{id}/member", nwid)
        .flatMapIterable(Map::keySet)
        .flatMapSequential(node -> member(nwid, node), LIST_CONCURRENCY);
  }

  @Override
  public Mono<Member> member(String networkId, String memberId) {
    String nwid = Ids.networkId(networkId);
    return http.get(ControllerMember.class, "/controller/network/{id}/member/{node}", nwid, Ids.nodeId(memberId))
        .map(m -> toMember(nwid, m));
  }

  @Override
  public Mono<Member> updateMember(String networkId, String memberId, MemberUpdate update) {
    String nwid = Ids.networkId(networkId);
    if (update.description() != null || update.hidden() != null) {
      LOG.log(Level.DEBUG, "self-hosted controller: member description/hidden are Central-only, not sent");
    }
    MemberConfigUpdate c = update.config();
    ControllerMember body = new ControllerMember(null, null, null, null, update.name(),
        c == null ? null : c.authorized(), c == null ? null : c.activeBridge(), null,
        c == null ? null : c.ipAssignments(), c == null ? null : c.noAutoAssignIps(),
        c == null ? null : c.ssoExempt(), c == null ? null : c.capabilities(), c == null ? null : c.tags(),
        null, null, null, null, null, null, null, null);
    return http.post(body, ControllerMember.class, true, "/controller/network/{id}/member/{node}", nwid,
        Ids.nodeId(memberId)).map(m -> toMember(nwid, m));
  }

  @Override
  public Mono<Void> deleteMember(String networkId, String memberId) {
    return http.delete("/controller/network/{id}/member/{node}", Ids.networkId(networkId), Ids.nodeId(memberId));
  }

  @Override
  public Mono<User> user(String userId) {
    return Mono.error(new UnsupportedOperationException("users exist only on ZeroTier Central"));
  }

  @Override
  public Mono<ApiToken> addApiToken(String userId, ApiToken token) {
    return Mono.error(new UnsupportedOperationException(
        "API tokens exist only on ZeroTier Central; a self-hosted controller uses authtoken.secret"));
  }

  @Override
  public Mono<Void> deleteApiToken(String userId, String tokenName) {
    return Mono.error(new UnsupportedOperationException(
        "API tokens exist only on ZeroTier Central; a self-hosted controller uses authtoken.secret"));
  }

  @Override
  public Mono<RandomToken> randomToken() {
    return Mono.fromSupplier(() -> {
      byte[] bytes = new byte[32];
      random.nextBytes(bytes);
      StringBuilder token = new StringBuilder(32);
      for (int i = 0; i < 32; i++) {
        token.append(TOKEN_ALPHABET.charAt(random.nextInt(TOKEN_ALPHABET.length())));
      }
      return new RandomToken(System.currentTimeMillis(), HexFormat.of().formatHex(bytes), token.toString());
    });
  }

  /** The flat controller body for a Central-shaped update; Central-only fields are dropped. */
  static ControllerNetwork toBody(NetworkUpdate update) {
    NetworkConfig c = update.config();
    if (update.description() != null || update.capabilitiesByName() != null || update.tagsByName() != null
        || (c != null && c.ssoConfig() != null)) {
      LOG.log(Level.DEBUG, "self-hosted controller: description, name maps and SSO config are Central-only, "
          + "not sent");
    }
    if (c == null) {
      return new ControllerNetwork(null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, update.rulesSource(), null, null, null, null, null, null, null, null);
    }
    return new ControllerNetwork(null, null, null, c.name(), null, c.isPrivate(), c.enableBroadcast(),
        c.v4AssignMode(), c.v6AssignMode(), c.mtu(), c.multicastLimit(), null, c.routes(),
        c.ipAssignmentPools(), c.rules(), update.rulesSource(), c.capabilities(), c.tags(), c.dns(), null,
        null, null, null, null);
  }

  /** Maps the flat controller network into the Central shape. */
  static Network toNetwork(ControllerNetwork n) {
    String id = n.id() != null ? n.id() : n.nwid();
    NetworkSsoConfig sso = null;
    if (Boolean.TRUE.equals(n.ssoEnabled()) || notEmpty(n.clientId()) || notEmpty(n.authorizationEndpoint())) {
      sso = new NetworkSsoConfig(n.ssoEnabled(), null, emptyToNull(n.clientId()), null, null,
          emptyToNull(n.authorizationEndpoint()), null);
    }
    NetworkConfig config = new NetworkConfig(id, n.creationTime(), n.capabilities(), n.dns(), n.enableBroadcast(),
        n.ipAssignmentPools(), null, n.mtu(), n.multicastLimit(), n.name(), n.isPrivate(), n.routes(),
        n.rules(), sso, n.tags(), n.v4AssignMode(), n.v6AssignMode());
    return new Network(id, null, config, null, n.rulesSource(), null, null, null, null, null, null, null);
  }

  /** Maps the flat controller member into the Central shape. */
  static Member toMember(String networkId, ControllerMember m) {
    String node = m.address() != null ? m.address() : m.id();
    String nwid = m.nwid() != null ? m.nwid() : networkId;
    MemberConfig config = new MemberConfig(m.activeBridge(), m.authorized(), m.capabilities(), m.creationTime(),
        node, m.identity(), m.ipAssignments(), m.lastAuthorizedTime(), m.lastDeauthorizedTime(),
        m.noAutoAssignIps(), m.revision(), m.ssoExempt(), m.tags(), m.vMajor(), m.vMinor(), m.vRev(),
        m.vProto());
    boolean versionKnown = m.vMajor() != null && m.vMajor() >= 0 && m.vMinor() != null && m.vMinor() >= 0
        && m.vRev() != null && m.vRev() >= 0;
    String clientVersion = versionKnown ? m.vMajor() + "." + m.vMinor() + "." + m.vRev() : null;
    Boolean rulesEngine = versionKnown ? (m.vMajor() > 1 || (m.vMajor() == 1 && m.vMinor() >= 4)) : null;
    Integer protocol = m.vProto() != null && m.vProto() >= 0 ? m.vProto() : null;
    return new Member(nwid + "-" + node, null, nwid, node, nwid.length() >= 10 ? nwid.substring(0, 10) : null,
        null, m.name(), null, config, null, null, null, clientVersion, protocol, rulesEngine);
  }

  private static boolean notEmpty(@Nullable String s) {
    return s != null && !s.isEmpty();
  }

  private static @Nullable String emptyToNull(@Nullable String s) {
    return notEmpty(s) ? s : null;
  }

  @Override
  public String toString() {
    return "ZeroTierCentralClient[self-hosted, baseUrl=" + baseUrl + ", token=****]";
  }
}
