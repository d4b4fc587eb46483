/** Internals shared by the netstack layers: the mutable statistics counters. Not API. */
@NullMarked
package dev.ztjvm.netstack.internal;

import org.jspecify.annotations.NullMarked;
