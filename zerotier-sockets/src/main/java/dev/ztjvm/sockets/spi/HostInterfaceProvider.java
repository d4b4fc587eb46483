package dev.ztjvm.sockets.spi;

import java.io.IOException;

/**
 * Attaches joined networks to something other than the in-JVM stack, e.g. a TAP interface of the host. Set on
 * {@link dev.ztjvm.sockets.ZeroTierNode.Builder#hostInterface(HostInterfaceProvider)} (all networks) or
 * {@link dev.ztjvm.sockets.ZeroTierNode.Builder#hostInterface(long, HostInterfaceProvider)} (one network). A
 * network attached this way has no interface in the node's own stack: its sockets ({@code newSocket()} ...) do not
 * reach it; the host's programs (and the JDK's ordinary sockets) do.
 */
@FunctionalInterface
public interface HostInterfaceProvider {

  /**
   * Creates the host side of one joined network. Called on the node's network loop when the network is joined
   * (again after each restart of the node), before its first config: do only quick work here (opening a device)
   * and the slow rest on a thread of your own.
   *
   * @param port the network's Ethernet port: frames go into the network through it
   * @return the attachment that receives the network's frames and configs until it is closed
   * @throws IOException when the interface cannot be created (missing privileges, device, tools); the join fails
   *     with it, so the message should say what is missing
   */
  HostInterface attach(NetworkPort port) throws IOException;
}
