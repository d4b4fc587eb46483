/**
 * Service-provider interface of the OS-interface mode: a joined network handed to something outside the in-JVM
 * TCP/IP stack, typically a real network interface of the host (the Linux TAP provider of module
 * {@code zerotier-native}, {@code dev.ztjvm.nativeio.LinuxTapInterface}), so that the host's own programs use the
 * network, as with ZeroTier One.
 *
 * <p>A {@link dev.ztjvm.sockets.spi.HostInterfaceProvider} is set on the node's builder
 * ({@link dev.ztjvm.sockets.ZeroTierNode.Builder#hostInterface}); for each network it covers, the node calls
 * {@link dev.ztjvm.sockets.spi.HostInterfaceProvider#attach} with the network's
 * {@link dev.ztjvm.sockets.spi.NetworkPort} (MAC, MTU, send path, multicast subscriptions) and feeds the returned
 * {@link dev.ztjvm.sockets.spi.HostInterface} the frames that arrive and every new
 * {@link dev.ztjvm.sockets.spi.HostNetworkConfig}.
 */
@NullMarked
package dev.ztjvm.sockets.spi;

import org.jspecify.annotations.NullMarked;
