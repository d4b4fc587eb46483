package dev.ztjvm.spring.boot.web.servlet;

import java.net.InetSocketAddress;
import java.util.OptionalLong;

/**
 * Who called over ZeroTier: the caller's ZeroTier address and port, and the ZeroTier node on the other end when the
 * stack knows it (from the neighbour's MAC, which encodes the node address, or from an RFC 4193 / 6PLANE address).
 * A servlet request that arrived over ZeroTier carries it as the request attribute {@link #ATTRIBUTE}, and its node
 * ID (ten hex digits) as {@link #NODE_ID_ATTRIBUTE}; {@code request.getRemoteAddr()} and {@code getRemotePort()} are
 * {@link #address()}'s.
 *
 * @param address the caller's ZeroTier IP address and TCP port
 * @param nodeId the caller's 40-bit node address, when known
 * @param networkId the network the connection arrived on
 */
public record ZeroTierCaller(InetSocketAddress address, OptionalLong nodeId, long networkId) {

  /** Request attribute holding the {@link ZeroTierCaller} of a request that arrived over ZeroTier. */
  public static final String ATTRIBUTE = "dev.ztjvm.zerotier.caller";

  /** Request attribute holding the caller's node ID as ten hex digits (absent when unknown). */
  public static final String NODE_ID_ATTRIBUTE = "dev.ztjvm.zerotier.caller.node-id";

  /** The caller's node ID as ZeroTier prints it (ten hex digits), or null when unknown. */
  public @org.jspecify.annotations.Nullable String nodeIdString() {
    return nodeId.isPresent() ? String.format("%010x", nodeId.getAsLong()) : null;
  }
}
