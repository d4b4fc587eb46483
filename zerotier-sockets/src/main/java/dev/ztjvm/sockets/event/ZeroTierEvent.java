package dev.ztjvm.sockets.event;

import dev.ztjvm.sockets.NetworkDetails;
import dev.ztjvm.sockets.PeerDetails;
import java.net.InetAddress;
import java.util.Arrays;

/**
 * An event of a {@link dev.ztjvm.sockets.ZeroTierNode}. Every record names the libzt event code it corresponds to
 * ({@link #code()}), so code ported from libzt can switch on the same numbers; Java code should rather use pattern
 * matching on the record types.
 */
public sealed interface ZeroTierEvent {

  /** libzt's {@code ZTS_EVENT_*} value for this event (e.g. 200 for node up). */
  int code();

  // ------------------------------------------------------------------------------------------------ node

  /** The node started (its UDP sockets are bound). libzt 200. */
  record NodeUp(long nodeId, int primaryPort, int secondaryPort) implements ZeroTierEvent {
    @Override
    public int code() {
      return 200;
    }
  }

  /** At least one root answers. libzt 201. */
  record NodeOnline(long nodeId) implements ZeroTierEvent {
    @Override
    public int code() {
      return 201;
    }
  }

  /** No root answered for the activity timeout. libzt 202. */
  record NodeOffline(long nodeId) implements ZeroTierEvent {
    @Override
    public int code() {
      return 202;
    }
  }

  /** The node stopped; the last event of a run. libzt 203. */
  record NodeDown(long nodeId) implements ZeroTierEvent {
    @Override
    public int code() {
      return 203;
    }
  }

  /**
   * A root reports that another node uses this node's address (an identity collision); the node should be stopped
   * and given a new identity. libzt 204 (fatal error).
   */
  record IdentityCollision(long nodeId, long reportedBy) implements ZeroTierEvent {
    @Override
    public int code() {
      return 204;
    }
  }

  /**
   * The node's event loop died of a fatal error (out of memory, stack overflow): the node is offline for good and
   * should be stopped; {@link dev.ztjvm.sockets.ZeroTierNode#isFailed()} is now true. libzt 204 (fatal error).
   *
   * @param reason the error, e.g. {@code java.lang.OutOfMemoryError: Java heap space}
   */
  record NodeFailed(long nodeId, String reason) implements ZeroTierEvent {
    @Override
    public int code() {
      return 204;
    }
  }

  // ------------------------------------------------------------------------------------------------ networks

  /** The controller says the network does not exist. libzt 210. */
  record NetworkNotFound(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 210;
    }
  }

  /** The controller needs a newer client. libzt 211. */
  record NetworkClientTooOld(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 211;
    }
  }

  /** Joined; waiting for the controller's config. libzt 212. */
  record NetworkRequestingConfig(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 212;
    }
  }

  /** The network's config is valid and applied. libzt 213. */
  record NetworkOk(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 213;
    }
  }

  /** The network is private and this node is not authorized (yet); see {@link NetworkDetails#reason()}. libzt 214. */
  record NetworkAccessDenied(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 214;
    }
  }

  /** The in-JVM stack has an IPv4 address on the network: IPv4 sockets can be used. libzt 215. */
  record NetworkReadyIpv4(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 215;
    }
  }

  /** The in-JVM stack has a managed IPv6 address on the network. libzt 216. */
  record NetworkReadyIpv6(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 216;
    }
  }

  /** The network was left (or the node stopped with it joined). libzt 218. */
  record NetworkDown(long networkId) implements ZeroTierEvent {
    @Override
    public int code() {
      return 218;
    }
  }

  /** A new config revision was applied. libzt 219. */
  record NetworkUpdate(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 219;
    }
  }

  /**
   * A status libzt has no event for: {@code PORT_ERROR} or {@code AUTHENTICATION_REQUIRED} (SSO; the URL is in
   * {@link NetworkDetails#authenticationUrl()}). Code 229 (unused by libzt).
   */
  record NetworkStatusOther(NetworkDetails network) implements ZeroTierEvent {
    @Override
    public int code() {
      return 229;
    }
  }

  // ------------------------------------------------------------------------------------------------ peers

  /** A peer is reachable over a direct path (new peer with paths, or its paths went from none to some). libzt 240. */
  record PeerDirect(PeerDetails peer) implements ZeroTierEvent {
    @Override
    public int code() {
      return 240;
    }
  }

  /** A peer is reachable only through a root (new peer without paths, or it lost all paths). libzt 241. */
  record PeerRelay(PeerDetails peer) implements ZeroTierEvent {
    @Override
    public int code() {
      return 241;
    }
  }

  /** A peer gained a physical path. libzt 243. */
  record PeerPathDiscovered(PeerDetails peer) implements ZeroTierEvent {
    @Override
    public int code() {
      return 243;
    }
  }

  /** A peer lost a physical path (some remain). libzt 244. */
  record PeerPathDead(PeerDetails peer) implements ZeroTierEvent {
    @Override
    public int code() {
      return 244;
    }
  }

  // ------------------------------------------------------------------------------------------------ addresses

  /** A managed address was added to the stack's interface for the network. libzt 260 (IPv4) / 262 (IPv6). */
  record AddressAdded(long networkId, InetAddress address, int prefixLength) implements ZeroTierEvent {
    @Override
    public int code() {
      return address instanceof java.net.Inet4Address ? 260 : 262;
    }
  }

  /** A managed address was removed. libzt 261 (IPv4) / 263 (IPv6). */
  record AddressRemoved(long networkId, InetAddress address, int prefixLength) implements ZeroTierEvent {
    @Override
    public int code() {
      return address instanceof java.net.Inet4Address ? 261 : 263;
    }
  }

  // ------------------------------------------------------------------------------------------------ routes

  /** A managed route of the network's config was added to the stack. libzt 250 (declared there, never emitted). */
  record RouteAdded(long networkId, dev.ztjvm.vl2.Route route) implements ZeroTierEvent {
    @Override
    public int code() {
      return 250;
    }
  }

  /** A managed route left the network's config and was removed from the stack. libzt 251. */
  record RouteRemoved(long networkId, dev.ztjvm.vl2.Route route) implements ZeroTierEvent {
    @Override
    public int code() {
      return 251;
    }
  }

  // ------------------------------------------------------------------------------------------------ store

  /**
   * The node's identity, for applications that persist it themselves (emitted at every start, also without a
   * storage directory). The secret form is only given by {@link #secretIdentity()}; {@link #toString()} leaves it
   * out. libzt 270/271.
   */
  record StoreIdentity(long nodeId, String publicIdentity, char[] secret) implements ZeroTierEvent {
    public StoreIdentity {
      secret = secret.clone();
    }

    /** The identity with its private key ({@code address:0:public:private}); keep it secret. */
    public String secretIdentity() {
      return new String(secret);
    }

    @Override
    public char[] secret() {
      return secret.clone();
    }

    @Override
    public int code() {
      return 270;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StoreIdentity s && s.nodeId == nodeId && s.publicIdentity.equals(publicIdentity)
          && Arrays.equals(s.secret, secret);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(nodeId) * 31 + publicIdentity.hashCode();
    }

    @Override
    public String toString() {
      return "StoreIdentity[nodeId=" + dev.ztjvm.identity.Address.toString(nodeId) + ", publicIdentity="
          + publicIdentity + ", secret=<hidden>]";
    }
  }

  /** The planet in use (at start and when a root pushes a newer signed revision), serialized. libzt 272. */
  record StorePlanet(long worldId, long timestamp, byte[] planet) implements ZeroTierEvent {
    public StorePlanet {
      planet = planet.clone();
    }

    @Override
    public byte[] planet() {
      return planet.clone();
    }

    @Override
    public int code() {
      return 272;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof StorePlanet s && s.worldId == worldId && s.timestamp == timestamp
          && Arrays.equals(s.planet, planet);
    }

    @Override
    public int hashCode() {
      return Long.hashCode(worldId) * 31 + Long.hashCode(timestamp);
    }

    @Override
    public String toString() {
      return "StorePlanet[worldId=" + worldId + ", timestamp=" + timestamp + ", bytes=" + planet.length + "]";
    }
  }
}
