package dev.ztjvm.spring.boot.selfhosted;

import dev.ztjvm.controller.ControllerDatabase;
import dev.ztjvm.sockets.LocalZeroTier;
import dev.ztjvm.vl1.world.World;
import dev.ztjvm.vl2.IpPrefix;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The application's own ZeroTier: an in-process root (on loopback, described by a planet it signed) and a network
 * controller, with one network the application joins. With a storage directory the root and controller identities,
 * the planet and the controller's networks ({@code controller.d}) are kept there, so a restart finds the same network
 * (looked up by name) and other nodes keep working with the same planet file; without one everything lives in a
 * temporary directory deleted on {@link #close()}.
 *
 * <p>The root listens on loopback only: this is for development and offline use on one machine.
 */
public final class SelfHostedZeroTier implements AutoCloseable {

  /** The in-process root and controller, or null when the controller is shared (see {@link #withController}). */
  private final @Nullable LocalZeroTier local;
  private final Controller controller;
  private final long networkId;
  private final boolean created;
  private final boolean persistent;

  /**
   * What the application's network needs from its controller: its database, the planet its nodes use and where the
   * state lives. {@link LocalZeroTier} provides it in-process; a controller shared by several replicas (e.g. on
   * PostgreSQL) provides it with an external planet.
   *
   * @param planetFile the planet other nodes use to join
   * @param onClose stops the controller
   */
  public record Controller(ControllerDatabase database, World planet, Path planetFile, Path home,
      AutoCloseable onClose) {}

  private SelfHostedZeroTier(@Nullable LocalZeroTier local, Controller controller, long networkId, boolean created,
      boolean persistent) {
    this.local = local;
    this.controller = controller;
    this.networkId = networkId;
    this.created = created;
    this.persistent = persistent;
  }

  private static Controller of(LocalZeroTier local) {
    return new Controller(local.database(), local.planet(), local.home().resolve("planet"), local.home(), local);
  }

  /**
   * Starts the root and controller and finds the network named {@code networkName}, creating it (private, IPv4
   * addresses auto-assigned from {@code ipv4Range} minus its first and last address) if the controller has none of
   * that name.
   *
   * @param storage where the state is kept, or null for a temporary directory
   * @param networkName name of the application's network
   * @param ipv4Range managed route and address pool, e.g. 10.147.17.0/24 (IPv4, /8 to /30)
   */
  public static SelfHostedZeroTier start(@Nullable Path storage, String networkName, IpPrefix ipv4Range)
      throws IOException {
    Objects.requireNonNull(networkName, "networkName");
    checkRange(ipv4Range);
    LocalZeroTier local = storage == null ? LocalZeroTier.start() : LocalZeroTier.start(storage);
    try {
      Long existing = find(local.database(), networkName);
      if (existing != null) {
        return new SelfHostedZeroTier(local, of(local), existing, false, storage != null);
      }
      IpPrefix route = network(ipv4Range);
      byte[] base = route.address().getAddress();
      long nwid = local.createPrivateNetwork(networkName, route.toString(),
          address(base, 1).getHostAddress(), address(base, (1L << (32 - route.bits())) - 2).getHostAddress(), false);
      return new SelfHostedZeroTier(local, of(local), nwid, true, storage != null);
    } catch (IOException | RuntimeException e) {
      local.close();
      throw e;
    }
  }

  /**
   * The application's network on a controller that is not in-process only, e.g. one shared by the application's
   * replicas through PostgreSQL: finds the network named {@code networkName} or creates it. Replicas starting together
   * agree on one network: its ID is derived from the name, so the second creation finds the first.
   */
  public static SelfHostedZeroTier withController(Controller controller, String networkName, IpPrefix ipv4Range)
      throws IOException {
    Objects.requireNonNull(networkName, "networkName");
    checkRange(ipv4Range);
    ControllerDatabase db = controller.database();
    Long existing = find(db, networkName);
    if (existing != null) {
      return new SelfHostedZeroTier(null, controller, existing, false, true);
    }
    long suffix = (networkName.hashCode() & 0xffffffL) == 0 ? 1 : networkName.hashCode() & 0xffffffL;
    long nwid = (db.controllerAddress() << 24) | suffix;
    IpPrefix route = network(ipv4Range);
    byte[] base = route.address().getAddress();
    InetAddress first = address(base, 1);
    InetAddress last = address(base, (1L << (32 - route.bits())) - 2);
    try {
      db.createNetwork(nwid, e -> e.name(networkName).privateNetwork(true).addRoute(route, null)
          .addPool(first, last).v4AutoAssign(true));
      return new SelfHostedZeroTier(null, controller, nwid, true, true);
    } catch (IllegalArgumentException e) {
      Long found = find(db, networkName); // another replica created it a moment ago
      if (found == null) {
        throw new IOException("cannot create network '" + networkName + "': " + e.getMessage(), e);
      }
      return new SelfHostedZeroTier(null, controller, found, false, true);
    }
  }

  private static void checkRange(IpPrefix ipv4Range) {
    if (!ipv4Range.isIpv4() || ipv4Range.bits() < 8 || ipv4Range.bits() > 30) {
      throw new IllegalArgumentException("IPv4 range must be an IPv4 prefix of /8 to /30: " + ipv4Range);
    }
  }

  private static @Nullable Long find(ControllerDatabase db, String name) throws IOException {
    for (long id : db.networkIds()) {
      Map<String, Object> n = db.network(id).orElse(Map.of());
      if (name.equals(n.get("name"))) {
        return id;
      }
    }
    return null;
  }

  /** The prefix with its host bits cleared (10.147.17.5/24 becomes 10.147.17.0/24). */
  private static IpPrefix network(IpPrefix p) {
    byte[] a = p.address().getAddress();
    long v = toLong(a) & (0xffffffffL << (32 - p.bits())) & 0xffffffffL;
    return new IpPrefix(fromLong(v), p.bits());
  }

  private static InetAddress address(byte[] networkBase, long hostOffset) {
    return fromLong(toLong(networkBase) + hostOffset);
  }

  private static long toLong(byte[] a) {
    return ((a[0] & 0xffL) << 24) | ((a[1] & 0xffL) << 16) | ((a[2] & 0xffL) << 8) | (a[3] & 0xffL);
  }

  private static InetAddress fromLong(long v) {
    try {
      return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The application's network. */
  public long networkId() {
    return networkId;
  }

  /** The network ID as sixteen hex digits. */
  public String networkIdString() {
    return String.format("%016x", networkId);
  }

  /** Whether this start created the network (false: found from an earlier start). */
  public boolean createdNetwork() {
    return created;
  }

  /** Whether the state survives a restart (a storage directory was given). */
  public boolean persistent() {
    return persistent;
  }

  /** The planet naming the in-process root; nodes of this ZeroTier must use it. */
  public World planet() {
    return controller.planet();
  }

  /** The planet file other nodes (zerotier-one or this SDK) use to join. */
  public Path planetFile() {
    return controller.planetFile();
  }

  /** The (first) root's UDP address: the in-process root on loopback, or the planet's first root. */
  public InetSocketAddress rootEndpoint() {
    return local != null ? local.rootEndpoint() : controller.planet().roots().get(0).stableEndpoints().get(0);
  }

  /** The controller's node address (the first ten hex digits of the network ID). */
  public long controllerId() {
    return controller.database().controllerAddress();
  }

  /** The directory holding the state. */
  public Path home() {
    return controller.home();
  }

  /** The controller's database, e.g. to serve its API. */
  public ControllerDatabase database() {
    return controller.database();
  }

  /** The root, controller and planet, for building further nodes in this JVM ({@code nodeBuilder()}). */
  public LocalZeroTier localZeroTier() {
    if (local == null) {
      throw new IllegalStateException("this self-hosted network's controller is shared (not in-process): build nodes"
          + " with the planet " + planetFile());
    }
    return local;
  }

  /** Authorizes a node on the application's network (idempotent). */
  public void authorize(long nodeId) throws IOException {
    controller.database().authorize(networkId, nodeId, true);
  }

  /** Stops the controller and root; a temporary state directory is deleted. */
  @Override
  public void close() {
    try {
      controller.onClose().close();
    } catch (Exception e) {
      throw new IllegalStateException("stopping the self-hosted controller failed: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "SelfHostedZeroTier[network " + networkIdString() + ", root " + rootEndpoint() + ", home " + home() + "]";
  }
}
