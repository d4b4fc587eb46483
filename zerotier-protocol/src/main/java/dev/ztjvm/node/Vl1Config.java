package dev.ztjvm.node;

import dev.ztjvm.identity.Identity;
import dev.ztjvm.underlay.PhysicalPathPolicy;
import dev.ztjvm.underlay.UnderlayConfig;
import dev.ztjvm.vl1.Packet;
import dev.ztjvm.vl1.world.World;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Configuration of a {@link Vl1Node}.
 *
 * @param identity the node's identity, with its secret key
 * @param planet the planet (roots) the node uses; {@link World#defaultPlanet()} for ZeroTier's public one
 * @param moons moons already held (their roots join the upstreams)
 * @param underlay the UDP sockets to open
 * @param pathPolicy which physical addresses may be paths
 * @param root whether this node serves as a root: relays for anyone, answers WHOIS from anyone, sends RENDEZVOUS
 * @param physicalMtu largest UDP payload sent per datagram (packets above it are fragmented)
 * @param newIdentityInterval minimum spacing of HELLOs from never-seen identities per source /24 (IPv4) or /48
 *     (IPv6), which bounds the proof-of-work checks a stranger can make us do; zero disables the limit
 * @param pushDirectPaths whether to advertise our physical addresses to peers we exchange traffic with
 * @param rendezvous as a root, whether to introduce the two ends of a relayed conversation to each other
 * @param limits bounds on the tables fed by the wire (peers, WHOIS holds, reassembly, HELLO work)
 */
public record Vl1Config(
    Identity identity,
    World planet,
    List<World> moons,
    UnderlayConfig underlay,
    PhysicalPathPolicy pathPolicy,
    boolean root,
    int physicalMtu,
    Duration newIdentityInterval,
    boolean pushDirectPaths,
    boolean rendezvous,
    Vl1Limits limits) {

  public Vl1Config {
    Objects.requireNonNull(identity, "identity");
    if (!identity.hasSecret()) {
      throw new IllegalArgumentException("The node identity needs its secret key");
    }
    Objects.requireNonNull(planet, "planet");
    if (planet.type() != World.Type.PLANET) {
      throw new IllegalArgumentException("planet must be a world of type planet, got " + planet.type());
    }
    moons = List.copyOf(moons);
    Objects.requireNonNull(underlay, "underlay");
    Objects.requireNonNull(pathPolicy, "pathPolicy");
    if (physicalMtu < Packet.MIN_PHYSICAL_MTU || physicalMtu > Packet.MAX_PHYSICAL_MTU) {
      throw new IllegalArgumentException(
          "physicalMtu " + physicalMtu + " out of range " + Packet.MIN_PHYSICAL_MTU + ".." + Packet.MAX_PHYSICAL_MTU);
    }
    Objects.requireNonNull(limits, "limits");
    if (newIdentityInterval.isNegative()) {
      throw new IllegalArgumentException("newIdentityInterval must not be negative");
    }
  }

  /** Defaults: ZeroTier's rules (loopback refused), default MTU, 2 s new-identity limit, direct-path pushes on. */
  public static Vl1Config of(Identity identity, World planet, UnderlayConfig underlay) {
    return new Vl1Config(
        identity, planet, List.of(), underlay, PhysicalPathPolicy.DEFAULT, false, Packet.DEFAULT_PHYSICAL_MTU,
        Duration.ofSeconds(2), true, true, Vl1Limits.DEFAULT);
  }

  public Vl1Config withRoot(boolean asRoot) {
    return new Vl1Config(identity, planet, moons, underlay, pathPolicy, asRoot, physicalMtu, newIdentityInterval,
        pushDirectPaths, rendezvous, limits);
  }

  public Vl1Config withPathPolicy(PhysicalPathPolicy policy) {
    return new Vl1Config(identity, planet, moons, underlay, policy, root, physicalMtu, newIdentityInterval,
        pushDirectPaths, rendezvous, limits);
  }

  public Vl1Config withMoons(List<World> held) {
    return new Vl1Config(identity, planet, held, underlay, pathPolicy, root, physicalMtu, newIdentityInterval,
        pushDirectPaths, rendezvous, limits);
  }

  public Vl1Config withNewIdentityInterval(Duration interval) {
    return new Vl1Config(identity, planet, moons, underlay, pathPolicy, root, physicalMtu, interval,
        pushDirectPaths, rendezvous, limits);
  }

  public Vl1Config withPushDirectPaths(boolean push) {
    return new Vl1Config(identity, planet, moons, underlay, pathPolicy, root, physicalMtu, newIdentityInterval,
        push, rendezvous, limits);
  }

  public Vl1Config withRendezvous(boolean introduce) {
    return new Vl1Config(identity, planet, moons, underlay, pathPolicy, root, physicalMtu, newIdentityInterval,
        pushDirectPaths, introduce, limits);
  }

  public Vl1Config withPhysicalMtu(int mtu) {
    return new Vl1Config(identity, planet, moons, underlay, pathPolicy, root, mtu, newIdentityInterval,
        pushDirectPaths, rendezvous, limits);
  }

  public Vl1Config withLimits(Vl1Limits bounds) {
    return new Vl1Config(identity, planet, moons, underlay, pathPolicy, root, physicalMtu, newIdentityInterval,
        pushDirectPaths, rendezvous, bounds);
  }
}
