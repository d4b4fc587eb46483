/**
 * The physical underlay: UDP sockets a node sends and receives ZeroTier datagrams on, the TCP relay (ZeroTier One's
 * TCP fallback tunnel: {@link dev.ztjvm.underlay.TcpRelayClient}, {@link dev.ztjvm.underlay.TcpRelayServer}, framing in
 * {@link dev.ztjvm.underlay.TcpRelayCodec}) for when UDP is blocked, and the policy deciding which physical addresses
 * may carry ZeroTier paths.
 */
@NullMarked
package dev.ztjvm.underlay;

import org.jspecify.annotations.NullMarked;
