package dev.ztjvm.node;

import dev.ztjvm.crypto.SymmetricKey;
import dev.ztjvm.identity.Identity;
import dev.ztjvm.vl1.world.World;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The peers a node knows, its planet and moons, and which peers are its upstreams (ZeroTier One's {@code Topology}).
 * The peer table is bounded ({@link Vl1Limits#maxPeers()}): when it is full, adding a peer evicts the leaf heard from
 * least recently; upstreams are never evicted. Confined to the node's loop.
 */
final class Topology {

  private final Vl1Node node;
  private final LongMap<Peer> peers = new LongMap<>();
  private World planet;
  private final Map<Long, World> moons = new HashMap<>();
  /** Moons we want: id → seed address. */
  private final Map<Long, Long> orbits = new HashMap<>();
  /** The peers whose role is not LEAF, kept apart so that picking one does not walk every peer. */
  private List<Peer> upstreams = List.of();

  Topology(Vl1Node node, World planet, List<World> heldMoons) {
    this.node = node;
    this.planet = planet;
    for (World m : heldMoons) {
      moons.put(m.id(), m);
    }
  }

  @Nullable
  Peer get(long address) {
    return peers.get(address);
  }

  List<Peer> all() {
    return peers.values();
  }

  int size() {
    return peers.size();
  }

  /**
   * Adds a peer whose identity was validated (or comes from a signed world), evicting the least recently heard leaf
   * when the table is full. The caller announces it.
   */
  Peer add(Identity id, SymmetricKey key, long now) {
    Peer p = new Peer(id, key, now);
    if (peers.get(p.address) == null && peers.size() >= node.config().limits().maxPeers()) {
      evictStalestLeaf();
    }
    peers.put(p.address, p);
    return p;
  }

  void remove(long address) {
    peers.remove(address);
  }

  private void evictStalestLeaf() {
    Peer stalest = null;
    for (Peer p : peers.values()) {
      if (!p.isUpstream() && (stalest == null || p.lastReceiveMillis < stalest.lastReceiveMillis)) {
        stalest = p;
      }
    }
    if (stalest != null) {
      peers.remove(stalest.address);
      node.counters().countPeerEvicted();
      node.firePeerRemoved(stalest.address);
    }
  }

  // ---------------------------------------------------------------------------------------------- worlds

  World planet() {
    return planet;
  }

  void setPlanet(World w) {
    planet = w;
  }

  Map<Long, World> moons() {
    return moons;
  }

  Map<Long, Long> orbits() {
    return orbits;
  }

  // ---------------------------------------------------------------------------------------------- upstreams

  void rebuildUpstreams(long now) {
    for (Peer p : peers.values()) {
      p.role = PeerInfo.Role.LEAF;
      p.stableEndpoints = List.of();
    }
    addUpstreams(planet, PeerInfo.Role.PLANET, now);
    for (World m : moons.values()) {
      addUpstreams(m, PeerInfo.Role.MOON, now);
    }
    List<Peer> ups = new ArrayList<>();
    for (Peer p : peers.values()) {
      if (p.isUpstream()) {
        ups.add(p);
      }
    }
    upstreams = List.copyOf(ups);
  }

  private void addUpstreams(World world, PeerInfo.Role role, long now) {
    for (World.Root r : world.roots()) {
      long a = r.identity().address();
      if (a == node.address()) {
        continue;
      }
      Peer p = peers.get(a);
      if (p == null || !p.identity.equals(r.identity())) {
        // Roots come from a signed world: their identities are trusted without a proof-of-work check.
        p = new Peer(r.identity(), node.identity().agree(r.identity()), now);
        peers.put(a, p);
      }
      if (p.role != PeerInfo.Role.PLANET) {
        p.role = role;
      }
      List<InetSocketAddress> eps = new ArrayList<>(p.stableEndpoints);
      eps.addAll(r.stableEndpoints());
      p.stableEndpoints = List.copyOf(eps);
    }
  }

  /** The upstream with the best path (lowest latency, recently heard), other than {@code exclude}. */
  @Nullable
  Peer bestUpstream(long now, long exclude) {
    Peer best = null;
    double bestScore = Double.MAX_VALUE;
    for (Peer p : upstreams) {
      if (p.address == exclude) {
        continue;
      }
      Path path = p.bestPath(now);
      if (path == null) {
        continue;
      }
      double score = path.quality(now);
      if (score < bestScore) {
        bestScore = score;
        best = p;
      }
    }
    return best;
  }
}
