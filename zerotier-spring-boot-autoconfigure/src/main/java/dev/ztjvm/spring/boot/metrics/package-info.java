/** Micrometer meters of a ZeroTier node. */
@NullMarked
package dev.ztjvm.spring.boot.metrics;

import org.jspecify.annotations.NullMarked;
