/** Internals shared by the netstack layers: byte-order helpers and the mutable statistics counters. Not API. */
@NullMarked
package dev.ztjvm.netstack.internal;

import org.jspecify.annotations.NullMarked;
