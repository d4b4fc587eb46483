package dev.ztjvm.network;

/** A joined network's state, as ZeroTier One reports it ({@code ZT_VirtualNetworkStatus}). */
public enum NetworkStatus {
  /** Waiting for a config from the controller (none held yet). */
  REQUESTING_CONFIGURATION,
  /** A valid config is held; frames flow. */
  OK,
  /** The controller refused us: a private network where this node is not authorized. */
  ACCESS_DENIED,
  /** The controller does not know the network (or is not a controller), or an ad-hoc ID is malformed. */
  NOT_FOUND,
  /** Reserved by ZeroTier for a failing local port (TAP); a pure-Java node never reports it. */
  PORT_ERROR,
  /** The controller needs a newer client. */
  CLIENT_TOO_OLD,
  /** The network uses SSO and this node must authenticate (see {@link NetworkInfo#authenticationUrl()}). */
  AUTHENTICATION_REQUIRED
}
