/** Offline decoding of captured ZeroTier traffic with known identities (used by the {@code decode} tool). */
@NullMarked
package dev.ztjvm.vl1.decode;

import org.jspecify.annotations.NullMarked;
