/**
 * The member side of VL2 (spec sections 7 and 8): joining and leaving virtual networks, fetching and caching their
 * configs from controllers, credentials and the membership gate, and moving Ethernet frames between the network and
 * a per-network {@link dev.ztjvm.network.VirtualTap}. Everything runs on the owning {@link dev.ztjvm.node.Vl1Node}'s
 * event loop.
 *
 * <p>Laid out along ZeroTier One's seams: {@link dev.ztjvm.network.NetworkManager} is the public entry point and the
 * switch (verb dispatch, frames in and out through the rules); {@code Network} is one joined network (config,
 * status, its members), {@code Membership} one peer's credentials and COM gate on it, and {@code Multicaster} the
 * LIKE/GATHER bookkeeping and multicast replication.
 */
@NullMarked
package dev.ztjvm.network;

import org.jspecify.annotations.NullMarked;
