package dev.ztjvm.spring.boot.autoconfigure;

import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.core.io.Resource;

/**
 * Configuration of the managed ZeroTier node, bound from {@code zerotier.*}. Values are checked while binding: a bad
 * value fails start-up with a message naming the property and how to fix it.
 *
 * @param enabled Whether to run a managed ZeroTier node.
 * @param networkId ID of the network to join: sixteen hex digits, e.g. 8056c2e21c000001.
 * @param networks Comma-separated list of further network IDs to join.
 * @param storage Directory holding identity.secret/public, planet, moons.d and the caches; a new identity is created
 *     there on first start. Without it and without an inline identity the node gets a new identity on every start.
 * @param identity Inline secret identity (address:0:public:secret), e.g. from a secret store; takes precedence over the
 *     one in the storage directory.
 * @param port Primary UDP port; 0 picks a random free port.
 * @param bindAddresses Comma-separated list of local addresses to bind UDP on; default is every address.
 * @param planet Custom planet file (a Spring resource location such as file:/etc/zt/planet or classpath:planet);
 *     default is ZeroTier's public planet.
 * @param moons Moon files (Spring resource locations of zerotier-one .moon files); their roots are used like the
 *     planet's.
 * @param secondaryPort Whether to also bind a secondary random UDP port (helps behind some NATs).
 * @param interfaces Which physical interfaces and prefixes ZeroTier may use for its UDP paths.
 * @param cache Caching of network configs and the planet in the storage directory.
 * @param allowLoopbackPaths Whether physical paths to loopback addresses are allowed (local testing only).
 * @param tcpRelay TCP relay (ZeroTier One's TCP fallback tunnel) for networks where UDP does not get out.
 * @param startup Start-up behaviour.
 * @param events Event publishing.
 * @param health The zerotier health contributor.
 * @param central ZeroTier Central API client.
 * @param server Serving the application (WebFlux or a servlet container) on the node's ZeroTier address.
 * @param client Routing Boot's HTTP client builders (WebClient, RestClient) over ZeroTier.
 * @param selfHosted Self-hosted mode: an in-process root and controller with the application's own network.
 */
@ConfigurationProperties("zerotier")
public record ZeroTierProperties(
    @DefaultValue("true") boolean enabled,
    @Nullable String networkId,
    @DefaultValue List<String> networks,
    @Nullable Path storage,
    @Nullable String identity,
    @DefaultValue("9993") int port,
    @DefaultValue List<InetAddress> bindAddresses,
    @Nullable Resource planet,
    @DefaultValue List<Resource> moons,
    @DefaultValue("false") boolean secondaryPort,
    @DefaultValue Interfaces interfaces,
    @DefaultValue Cache cache,
    @DefaultValue("false") boolean allowLoopbackPaths,
    @DefaultValue TcpRelay tcpRelay,
    @DefaultValue Startup startup,
    @DefaultValue Events events,
    @DefaultValue Health health,
    @DefaultValue Central central,
    @DefaultValue Server server,
    @DefaultValue Client client,
    @DefaultValue SelfHosted selfHosted) {

  private static final Pattern NETWORK_ID = Pattern.compile("[0-9a-fA-F]{16}");

  public ZeroTierProperties {
    networks = List.copyOf(networks);
    bindAddresses = List.copyOf(bindAddresses);
    moons = List.copyOf(moons);
    for (int i = 0; i < moons.size(); i++) {
      checkReadable("zerotier.moons[" + i + "]", "moon", moons.get(i),
          "point it at a readable moon file (file:/path/000000xxxxxxxxxx.moon or classpath:...), or remove it");
    }
    if (networkId != null) {
      checkNetworkId("zerotier.network-id", networkId);
    }
    for (int i = 0; i < networks.size(); i++) {
      checkNetworkId("zerotier.networks[" + i + "]", networks.get(i));
    }
    if (port < 0 || port > 65535) {
      throw ZeroTierPropertyProblem.invalid("zerotier.port", Integer.toString(port),
          "a UDP port is between 0 and 65535", "set a port in that range (0 picks a random free port), e.g. 9993");
    }
    if (planet != null) {
      checkReadable("zerotier.planet", "planet", planet,
          "point it at a readable planet file (file:/path/planet or classpath:planet), or remove it to use ZeroTier's"
              + " public planet");
      if (selfHosted.enabled() && selfHosted.store() != SelfHosted.Store.JDBC) {
        throw ZeroTierPropertyProblem.invalid("zerotier.planet", planet.getDescription(),
            "self-hosted mode runs its own root and planet, so a configured planet cannot be used with it",
            "remove zerotier.planet, set zerotier.self-hosted.store=jdbc (replicas sharing a controller and your "
                + "roots), or set zerotier.self-hosted.enabled=false to join through that planet's roots");
      }
    }
    if (identity != null && identity.split(":").length < 4) {
      throw ZeroTierPropertyProblem.invalid("zerotier.identity", "(secret, not shown)",
          "an inline identity needs its secret part (address:0:public:secret)",
          "paste the content of identity.secret, not identity.public");
    }
  }

  private static void checkNetworkId(String property, String value) {
    if (!NETWORK_ID.matcher(value).matches()) {
      throw ZeroTierPropertyProblem.invalid(property, value, "a network ID is sixteen hex digits",
          "copy the ID from ZeroTier Central or your controller, e.g. 8056c2e21c000001");
    }
  }

  private static void checkReadable(String property, String kind, Resource resource, String fix) {
    String problem;
    if (!resource.exists()) {
      problem = "the " + kind + " resource " + resource.getDescription() + " does not exist";
    } else {
      try (InputStream in = resource.getInputStream()) {
        if (in.read() >= 0) {
          return;
        }
        problem = "the " + kind + " resource " + resource.getDescription() + " is empty";
      } catch (IOException e) {
        problem = "the " + kind + " resource " + resource.getDescription() + " cannot be read: " + e.getMessage();
      }
    }
    throw ZeroTierPropertyProblem.invalid(property, resource.getDescription(), problem, fix);
  }

  /** Every network to join: {@code network-id} first, then {@code networks}, without duplicates. */
  public List<Long> networkIds() {
    Set<Long> ids = new LinkedHashSet<>();
    if (networkId != null) {
      ids.add(Long.parseUnsignedLong(networkId, 16));
    }
    for (String id : networks) {
      ids.add(Long.parseUnsignedLong(id, 16));
    }
    return new ArrayList<>(ids);
  }

  /**
   * Caching in the storage directory (only with {@code zerotier.storage}).
   *
   * @param networks Whether to cache network configs (networks.d) so a restart works before the controller answers.
   * @param planet Whether to store planet updates and moons in the storage directory.
   * @param peers Whether to cache peers' identities and paths (peers.d) so a restart reconnects faster.
   * @param identity Whether to write a generated identity to identity.secret/identity.public (else a new one each
   *     start unless zerotier.identity is set).
   */
  public record Cache(
      @DefaultValue("true") boolean networks,
      @DefaultValue("true") boolean planet,
      @DefaultValue("true") boolean peers,
      @DefaultValue("true") boolean identity) {}

  /**
   * Physical interfaces and prefixes ZeroTier may use for its UDP paths.
   *
   * @param allow Comma-separated list of interface name prefixes to use exclusively (e.g. eth,en); default is all.
   * @param block Comma-separated list of interface name prefixes never to use (e.g. docker,veth).
   * @param blockedPrefixes Comma-separated list of physical address prefixes never to use as paths (e.g.
   *     10.0.0.0/8, fd00::/8).
   */
  public record Interfaces(
      @DefaultValue List<String> allow,
      @DefaultValue List<String> block,
      @DefaultValue List<String> blockedPrefixes) {

    public Interfaces {
      allow = List.copyOf(allow);
      block = List.copyOf(block);
      blockedPrefixes = List.copyOf(blockedPrefixes);
      checkNames("zerotier.interfaces.allow", allow);
      checkNames("zerotier.interfaces.block", block);
      for (int i = 0; i < blockedPrefixes.size(); i++) {
        String p = blockedPrefixes.get(i);
        try {
          IpPrefix.parse(p);
        } catch (IllegalArgumentException e) {
          throw ZeroTierPropertyProblem.invalid("zerotier.interfaces.blocked-prefixes[" + i + "]", p,
              "the value is not an IP prefix in CIDR form", "use e.g. 10.0.0.0/8 or fd00::/8");
        }
      }
    }

    private static void checkNames(String property, List<String> names) {
      for (int i = 0; i < names.size(); i++) {
        if (names.get(i).isBlank()) {
          throw ZeroTierPropertyProblem.invalid(property + "[" + i + "]", "(blank)",
              "an interface name prefix cannot be blank", "use a prefix such as eth or docker, or remove the entry");
        }
      }
    }
  }

  /**
   * Serving the application on the node's ZeroTier address: WebFlux on Reactor Netty directly, a servlet container
   * (Tomcat, Jetty) through a bridge from the ZeroTier address to the container on loopback.
   *
   * @param enabled Whether the application is served on the node's ZeroTier address (never on the OS stack).
   * @param networkId Network whose address the server binds to; default is zerotier.network-id.
   * @param mode Whether the ZeroTier binding replaces the normal one (replace) or is an additional server for the
   *     same handler next to the normal one on the OS stack (additional).
   * @param port TCP port on the ZeroTier address in additional mode; default is the normal server's port. Ignored in
   *     replace mode (server.port applies).
   */
  public record Server(
      @DefaultValue("false") boolean enabled,
      @Nullable String networkId,
      @DefaultValue("replace") Mode mode,
      @Nullable Integer port) {

    public Server {
      if (networkId != null) {
        checkNetworkId("zerotier.server.network-id", networkId);
      }
      if (port != null && (port < 0 || port > 65535)) {
        throw ZeroTierPropertyProblem.invalid("zerotier.server.port", Integer.toString(port),
            "a TCP port is between 0 and 65535", "set a port in that range, or remove it to reuse server.port");
      }
    }

    /** How the ZeroTier binding relates to the normal one. */
    public enum Mode {
      /** The normal server listens on the ZeroTier address instead of the OS stack. */
      REPLACE,
      /** A second server for the same handler listens on the ZeroTier address; the normal one is unchanged. */
      ADDITIONAL
    }
  }

  /**
   * TCP relay: ZeroTier One's TCP fallback tunnel, for networks where no UDP gets out. Run one with the tools jar's
   * {@code relay} command; ZeroTier's public relay (for the public planet) is 204.80.128.1:443.
   *
   * @param address Relay address as IP:port (e.g. 203.0.113.7:443 or [2001:db8::7]:443); unset means no relay.
   * @param allow Whether to fall back to the relay when nothing has arrived over UDP for 60 s (needs an address).
   * @param force Whether to send everything through the relay and bind no UDP socket at all (needs an address).
   */
  public record TcpRelay(
      @Nullable String address,
      @DefaultValue("true") boolean allow,
      @DefaultValue("false") boolean force) {

    public TcpRelay {
      if (address != null) {
        socketAddress(address);
      }
      if (force && address == null) {
        throw ZeroTierPropertyProblem.invalid("zerotier.tcp-relay.force", "true",
            "forcing the TCP relay needs a relay to use",
            "set zerotier.tcp-relay.address=IP:port (e.g. 203.0.113.7:443), or remove zerotier.tcp-relay.force");
      }
    }

    /** The relay as a socket address, or null when none is configured. */
    public @Nullable InetSocketAddress socketAddress() {
      return address == null ? null : socketAddress(address);
    }

    private static InetSocketAddress socketAddress(String value) {
      InetSocketAddress parsed = parseLiteral(value);
      if (parsed == null) {
        throw ZeroTierPropertyProblem.invalid("zerotier.tcp-relay.address", value,
            "a relay address is an IP address and a port, such as 203.0.113.7:443",
            "set zerotier.tcp-relay.address to IP:port (IPv6 in brackets: [2001:db8::7]:443)");
      }
      return parsed;
    }

    /**
     * {@code IP:port} or {@code [IPv6]:port}, or null. Only literal addresses: a host name would need DNS while the
     * application starts (the relay is for networks where little gets out), and zerotier-one also takes an IP.
     */
    private static @Nullable InetSocketAddress parseLiteral(String value) {
      int colon = value.lastIndexOf(':');
      if (colon <= 0) {
        return null;
      }
      String host = value.substring(0, colon).strip();
      boolean bracketed = host.startsWith("[") && host.endsWith("]");
      if (bracketed) {
        host = host.substring(1, host.length() - 1);
      }
      boolean literal = bracketed ? host.contains(":") : host.matches("[0-9.]+");
      int port;
      try {
        port = Integer.parseInt(value.substring(colon + 1).strip());
      } catch (NumberFormatException e) {
        return null;
      }
      if (!literal || port < 1 || port > 65535) {
        return null;
      }
      try {
        return new InetSocketAddress(InetAddress.getByName(host), port);
      } catch (java.net.UnknownHostException e) {
        return null;
      }
    }
  }

  /**
   * Start-up behaviour.
   *
   * @param timeout How long start-up waits for the node to be online and every network ready (OK with an address)
   *     before the web server starts; 0 does not wait.
   * @param failOnTimeout Whether a start-up wait that times out fails the application (else health reports DOWN until
   *     the networks are ready).
   */
  public record Startup(@DefaultValue("30s") Duration timeout, @DefaultValue("false") boolean failOnTimeout) {

    public Startup {
      if (timeout.isNegative()) {
        throw ZeroTierPropertyProblem.invalid("zerotier.startup.timeout", timeout.toString(),
            "a wait cannot be negative", "use 0 for no wait or a duration such as 30s");
      }
    }
  }

  /**
   * Event publishing.
   *
   * @param recent How many recent events the zerotier actuator endpoint shows.
   */
  public record Events(@DefaultValue("100") int recent) {

    public Events {
      if (recent < 0) {
        throw ZeroTierPropertyProblem.invalid("zerotier.events.recent", Integer.toString(recent),
            "a count cannot be negative", "use 0 to keep none, or e.g. 100");
      }
    }
  }

  /**
   * The zerotier health contributor.
   *
   * @param readiness Whether the zerotier health contributor is a member of the readiness group (the Kubernetes
   *     readiness probe), so an instance whose network is not ready is taken out of service.
   */
  public record Health(@DefaultValue("true") boolean readiness) {}

  /**
   * ZeroTier Central API client; the client bean exists only when a token is set.
   *
   * @param token API token (sent as "Authorization: token ..."); never logged.
   * @param baseUrl Base URL of the API; default is Central's https://api.zerotier.com/api/v1. For a self-hosted
   *     controller with a Central-compatible API (ours, self-hosted mode's /api/v1) use its URL.
   * @param authorizeSelf Whether the application authorizes its own node on the configured networks through this
   *     client when the node starts, before the start-up wait (needs the token).
   * @param ipAssignments IP addresses to request for the node on the first configured network when it authorizes
   *     itself (authorize-self); empty leaves the assignment to the controller's pool.
   * @param timeout Longest wait for one response of the API (per attempt); also bounds each call of the blocking
   *     client bean together with its retries.
   * @param maxRetries Retries of a call answered with HTTP 429 (rate limited) or, for idempotent calls, 5xx.
   */
  public record Central(
      @Nullable String token,
      @Nullable String baseUrl,
      @DefaultValue("false") boolean authorizeSelf,
      @DefaultValue List<String> ipAssignments,
      @DefaultValue("30s") Duration timeout,
      @DefaultValue("3") int maxRetries) {

    public Central {
      ipAssignments = List.copyOf(ipAssignments);
      if (timeout.isZero() || timeout.isNegative()) {
        throw ZeroTierPropertyProblem.invalid("zerotier.central.timeout", timeout.toString(),
            "a response timeout must be positive", "use a duration such as 30s");
      }
      if (maxRetries < 0) {
        throw ZeroTierPropertyProblem.invalid("zerotier.central.max-retries", Integer.toString(maxRetries),
            "a retry count cannot be negative", "use 0 for no retries, or e.g. 3");
      }
      if (baseUrl != null) {
        URI uri;
        try {
          uri = URI.create(baseUrl);
        } catch (IllegalArgumentException e) {
          uri = null;
        }
        if (uri == null || uri.getHost() == null
            || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
          throw ZeroTierPropertyProblem.invalid("zerotier.central.base-url", baseUrl,
              "the base URL is not an absolute http(s) URL",
              "use e.g. https://api.zerotier.com/api/v1, or remove it for ZeroTier Central");
        }
      }
      if (authorizeSelf && (token == null || token.isBlank())) {
        throw ZeroTierPropertyProblem.invalid("zerotier.central.authorize-self", "true",
            "authorizing the node needs an API token",
            "set zerotier.central.token (and zerotier.central.base-url for a self-hosted controller), or remove"
                + " authorize-self and authorize the node at its controller");
      }
      for (int i = 0; i < ipAssignments.size(); i++) {
        String ip = ipAssignments.get(i);
        try {
          IpPrefix.parseIp(ip);
        } catch (IllegalArgumentException e) {
          throw ZeroTierPropertyProblem.invalid("zerotier.central.ip-assignments[" + i + "]", ip,
              "an IP assignment is an IPv4 or IPv6 address", "use an address inside the network's routes, e.g."
                  + " 10.147.17.20");
        }
      }
    }

    @Override
    public String toString() {
      return "Central[token=" + (token == null ? "none" : "****") + ", baseUrl=" + baseUrl + ", authorizeSelf="
          + authorizeSelf + ", ipAssignments=" + ipAssignments + ", timeout=" + timeout + ", maxRetries=" + maxRetries
          + "]";
    }
  }

  /**
   * Routing Boot's HTTP client builders over ZeroTier: requests to hosts inside the node's managed routes (or to names
   * listed here or in a network's DNS domain) go over ZeroTier and everything else over the normal network stack;
   * applied to the auto-configured WebClient.Builder and RestClient.Builder (and HTTP interface clients on them).
   *
   * @param enabled Whether to route WebClient and RestClient requests to ZeroTier destinations over the node.
   * @param hosts Host names that go over ZeroTier, mapped to their ZeroTier IP address, e.g.
   *     zerotier.client.hosts[orders.zt]=10.147.17.12.
   * @param domains Comma-separated list of domain suffixes whose names go over ZeroTier and are resolved by the
   *     network's DNS; the DNS search domain a joined network pushes is included automatically.
   */
  public record Client(
      @DefaultValue("false") boolean enabled,
      @DefaultValue Map<String, String> hosts,
      @DefaultValue List<String> domains) {

    public Client {
      hosts = Map.copyOf(hosts);
      domains = List.copyOf(domains);
      hosts.forEach((name, address) -> {
        try {
          IpPrefix.parseIp(address);
        } catch (IllegalArgumentException e) {
          throw ZeroTierPropertyProblem.invalid("zerotier.client.hosts[" + name + "]", address,
              "the value is not an IP address", "map the name to the node's ZeroTier IP, e.g. 10.147.17.12");
        }
      });
    }

    /** The hosts table with parsed addresses. */
    public Map<String, InetAddress> hostAddresses() {
      Map<String, InetAddress> m = new java.util.LinkedHashMap<>();
      hosts.forEach((name, address) -> m.put(name, IpPrefix.parseIp(address)));
      return m;
    }
  }

  /**
   * Self-hosted mode: the application runs an in-process root and network controller, creates its network on first
   * start (kept in the storage directory, so restarts keep the network ID), authorizes its own node and joins it.
   * The root listens on loopback only: for development and offline use.
   *
   * @param enabled Whether to run an in-process root and controller and join their network.
   * @param storage Directory for the root and controller state (identities, planet, controller.d, API token); default
   *     is the self-hosted subdirectory of zerotier.storage, or a temporary directory (a new network on every start)
   *     when neither is set.
   * @param networkName Name of the application's network; a restart joins the controller's network of that name.
   * @param ipv4Range Managed route of the network, whose addresses (but the first and last) are auto-assigned, e.g.
   *     10.147.17.0/24.
   * @param api Serving the controller's HTTP APIs.
   * @param store Where the controller keeps its networks: file (controller.d in the storage directory, with an
   *     in-process root) or jdbc (PostgreSQL through the application's DataSource, shared by all replicas of the
   *     application; needs zerotier-controller-jdbc and zerotier.planet naming roots every replica reaches).
   */
  public record SelfHosted(
      @DefaultValue("false") boolean enabled,
      @Nullable Path storage,
      @DefaultValue("self-hosted") String networkName,
      @DefaultValue("10.147.17.0/24") String ipv4Range,
      @DefaultValue Api api,
      @DefaultValue("file") Store store) {

    /** Where the self-hosted controller keeps its networks. */
    public enum Store {
      /** {@code controller.d} files in the storage directory; one instance, with its own in-process root. */
      FILE,
      /** PostgreSQL through the application's DataSource; any number of replicas serve the same networks. */
      JDBC
    }

    public SelfHosted {
      if (networkName.isBlank()) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.network-name", networkName,
            "a network name cannot be blank", "use a name such as self-hosted");
      }
      ipv4Prefix(ipv4Range);
    }

    /** The parsed {@code ipv4-range}. */
    public IpPrefix ipv4Prefix() {
      return ipv4Prefix(ipv4Range);
    }

    private static IpPrefix ipv4Prefix(String value) {
      IpPrefix p;
      try {
        p = IpPrefix.parse(value);
      } catch (IllegalArgumentException e) {
        p = null;
      }
      if (p == null || !p.isIpv4() || p.bits() < 8 || p.bits() > 30) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.ipv4-range", value,
            "the range is not an IPv4 prefix of /8 to /30",
            "use a private IPv4 range in CIDR form, e.g. 10.147.17.0/24");
      }
      return p;
    }

    /** Where the state is kept: {@code storage}, else {@code <zerotier.storage>/self-hosted}, else null (temporary). */
    public @Nullable Path effectiveStorage(@Nullable Path nodeStorage) {
      if (storage != null) {
        return storage;
      }
      return nodeStorage == null ? null : nodeStorage.resolve("self-hosted");
    }
  }

  /**
   * The self-hosted controller's HTTP APIs: zerotier-one's /controller (header X-ZT1-Auth) and a Central-compatible
   * /api/v1 subset (header "Authorization: token ..."). Needs zerotier-central on the class path.
   *
   * @param enabled Whether to serve the controller APIs.
   * @param host Address the API listens on; loopback by default, since whoever holds the token administers the
   *     controller.
   * @param port TCP port of the API; 0 picks a free port (logged at start-up and shown by the zerotier endpoint).
   * @param token API token; default is the one stored in authtoken.secret in the self-hosted storage directory,
   *     generated with owner-only permissions on first start. Never logged.
   */
  public record Api(
      @DefaultValue("true") boolean enabled,
      @DefaultValue("127.0.0.1") String host,
      @DefaultValue("0") int port,
      @Nullable String token) {

    public Api {
      if (host.isBlank()) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.api.host", host,
            "the listen address cannot be blank", "use 127.0.0.1 (the default) or another local address");
      }
      if (port < 0 || port > 65535) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.api.port", Integer.toString(port),
            "a TCP port is between 0 and 65535", "set a port in that range (0 picks a free port), e.g. 9994");
      }
      if (token != null && token.isBlank()) {
        throw ZeroTierPropertyProblem.invalid("zerotier.self-hosted.api.token", "(blank)",
            "the API token cannot be blank", "remove it to have a token generated, or set a long random one");
      }
    }

    @Override
    public String toString() {
      return "Api[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token="
          + (token == null ? "none" : "****") + "]";
    }
  }

  @Override
  public String toString() {
    return "ZeroTierProperties[enabled=" + enabled + ", networkId=" + networkId + ", networks=" + networks
        + ", storage=" + storage + ", identity=" + (identity == null ? "none" : "****") + ", port=" + port
        + ", bindAddresses=" + bindAddresses
        + ", planet=" + planet + ", moons=" + moons + ", secondaryPort=" + secondaryPort + ", interfaces=" + interfaces
        + ", cache=" + cache + ", allowLoopbackPaths=" + allowLoopbackPaths
        + ", startup=" + startup + ", events=" + events + ", health=" + health + ", central=" + central + ", server="
        + server + ", client=" + client
        + ", selfHosted=" + selfHosted + "]";
  }
}
