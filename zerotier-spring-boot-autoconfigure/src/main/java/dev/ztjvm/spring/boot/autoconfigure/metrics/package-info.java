/** Auto-configuration of ZeroTier Micrometer metrics. */
@NullMarked
package dev.ztjvm.spring.boot.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
