package dev.ztjvm.sample;

import dev.ztjvm.sockets.ZeroTierNode;
import java.io.IOException;
import java.net.InetAddress;
import java.util.OptionalLong;

/**
 * Which ZeroTier node is on the other end of a connection, from the two IP addresses a request carries. ZeroTier MACs
 * are derived from node addresses, so the stack's neighbor entry for the caller names its node; RFC4193 and 6PLANE
 * addresses even contain it.
 */
final class CallerLookup {

  private CallerLookup() {}

  /**
   * The 40-bit node address of {@code remote}, as seen on the interface that has {@code local}; empty when the caller
   * did not come over ZeroTier or is not known.
   */
  static OptionalLong nodeOf(ZeroTierNode node, InetAddress local, InetAddress remote) throws IOException {
    return node.remoteNodeId(local, remote);
  }
}
