/** The public SDK: nodes, networks and sockets over ZeroTier. */
@NullMarked
package dev.ztjvm.sockets;

import org.jspecify.annotations.NullMarked;
