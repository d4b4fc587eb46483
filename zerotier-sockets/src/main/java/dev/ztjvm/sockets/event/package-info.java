/**
 * Events of a {@link dev.ztjvm.sockets.ZeroTierNode}: one record per libzt event code, with full payloads, delivered
 * in order on the node's event thread.
 */
@NullMarked
package dev.ztjvm.sockets.event;

import org.jspecify.annotations.NullMarked;
