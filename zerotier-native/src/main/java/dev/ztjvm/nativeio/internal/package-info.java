/** The JNA mappings of libc and the hand-laid C structures they take; not API. */
@NullMarked
package dev.ztjvm.nativeio.internal;

import org.jspecify.annotations.NullMarked;
