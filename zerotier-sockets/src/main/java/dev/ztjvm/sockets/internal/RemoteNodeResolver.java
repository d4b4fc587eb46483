package dev.ztjvm.sockets.internal;

import dev.ztjvm.netstack.NetworkInterface;
import dev.ztjvm.netstack.ethernet.MacAddress;
import dev.ztjvm.sockets.NetstackHost;
import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * Answers "which ZeroTier node is on the other end": maps the peer of a connection (its IP address and, when the
 * neighbour cache knows it, its Ethernet address on that interface) to a 40-bit ZeroTier node address. The node
 * layer installs one with {@link NetstackHost#setRemoteNodeResolver}; it runs on the host's loop thread.
 */
@FunctionalInterface
public interface RemoteNodeResolver {

  /** The 40-bit node address, or -1 when unknown. */
  long resolve(NetworkInterface networkInterface, InetAddress remote, @Nullable MacAddress remoteMac);

  /** Knows nothing (the default until the node layer installs its resolver). */
  RemoteNodeResolver NONE = (nif, remote, mac) -> -1;
}
