/**
 * The member side of VL2 (spec sections 7 and 8): joining and leaving virtual networks, fetching and caching their
 * configs from controllers, credentials and the membership gate, and moving Ethernet frames between the network and
 * a per-network {@link dev.ztjvm.network.VirtualTap}. Everything runs on the owning {@link dev.ztjvm.node.Vl1Node}'s
 * event loop.
 */
@NullMarked
package dev.ztjvm.network;

import org.jspecify.annotations.NullMarked;
