/**
 * The physical underlay: UDP sockets a node sends and receives ZeroTier datagrams on, and the policy deciding which
 * physical addresses may carry ZeroTier paths.
 */
@NullMarked
package dev.ztjvm.underlay;

import org.jspecify.annotations.NullMarked;
