/** Glue between VL1, VL2 and the in-JVM stack behind {@link dev.ztjvm.sockets.ZeroTierNode}. */
@NullMarked
package dev.ztjvm.sockets.internal.node;

import org.jspecify.annotations.NullMarked;
